import Foundation
import TemplateCompiler

/// MySQL and MariaDB through one long-lived `mariadb` (or `mysql`) client session:
///
///     mariadb --no-defaults --batch --force --unbuffered --skip-column-names --show-warnings
///             --loose-skip-print-query-on-error --default-character-set=utf8mb4 --protocol=TCP
///             --binary-mode …
///
/// `--binary-mode` matters: without it the client turns CR LF into LF inside literals too, and
/// treats a backslash outside literals as one of its commands.
///
/// `--force` goes on after an error; the marker after each statement is `SELECT '__templatec_…__';`
/// (one extra round trip, about the cost of an empty query). Errors are `ERROR nnnn (SSSSS): …`
/// lines; warnings (`--show-warnings`, e.g. a comment cut to its maximum length) come back as the
/// message of a successful outcome.
///
/// The session contract (docs/sync.md): the session runs `SET NAMES utf8mb4`, reads the server's
/// `sql_mode`, applies the URL's `?sql_mode=…` (`sql_mode=NO_BACKSLASH_ESCAPES` sets exactly that
/// mode, `sql_mode=+NO_BACKSLASH_ESCAPES` adds it to the server's), then adds `STRICT_ALL_TABLES`
/// (a value the server would cut is an error, never a warning on a success) and removes
/// `ANSI_QUOTES` (so `"…"` stays a string, as the MySQL dialect and the client check read it). It
/// sets `max_statement_time` (MariaDB) and `lock_wait_timeout` to the URL's `timeout`, reads
/// everything back and refuses to run when a value differs. The planner compiles with the session's
/// `NO_BACKSLASH_ESCAPES` (`session`). The password goes to the client in MYSQL_PWD, never on its
/// command line.
public final class MySQLExecutor: SQLExecutor {
    public let spec: ConnectionSpec
    private let environment: [String: String]
    private var clientSession: ClientSession?
    /// The session's sql_mode has NO_BACKSLASH_ESCAPES (read from the server after setup).
    public private(set) var noBackslashEscapes = false
    /// The settings read back when the current session opened.
    public private(set) var session = SessionSettings()

    public init(spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) {
        self.spec = spec
        self.environment = environment
        if let mode = spec.options["sql_mode"],
           mode.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "," || $0 == "+") }) {
            throw ConnectionError(.invalidURL, "connection URL \(spec.redacted): sql_mode '\(mode)' may contain only mode names, commas and a leading '+'")
        }
        self.clientSession = try openSession()
    }

    deinit { clientSession?.close() }

    public func execute(_ sql: String) -> ExecutionOutcome { executeAll([sql])[0] }

    public func executeAll(_ statements: [String]) -> [ExecutionOutcome] {
        if clientSession?.isAlive != true {
            do { clientSession = try openSession() } catch {
                return statements.map { _ in .failed("not applied: \(error.message)") }
            }
        }
        return clientSession!.runAll(statements)
    }

    public func close() {
        clientSession?.close()
        clientSession = nil
    }

    private var where_: String {
        "MySQL at \(spec.endpoint) (database \(spec.database ?? "?"), user \(spec.user ?? environment["USER"] ?? "?"))"
    }

    private func client() -> String { Self.client(environment) }

    /// TEMPLATEC_MYSQL_CLIENT, else `mariadb` or `mysql`, whichever is on PATH first.
    static func client(_ environment: [String: String]) -> String {
        if let configured = environment["TEMPLATEC_MYSQL_CLIENT"] { return configured }
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["mariadb", "mysql"] where path.contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }) {
            return name
        }
        return "mariadb"
    }

    private func openSession() throws(ConnectionError) -> ClientSession {
        connectionID = nil
        var arguments = [
            "--no-defaults", "--batch", "--force", "--unbuffered", "--skip-column-names", "--show-warnings",
            "--loose-skip-print-query-on-error", "--default-character-set=utf8mb4", "--protocol=TCP",
            // Without it the client turns CR LF into LF even inside literals (a value would change) and
            // runs backslash commands; with it, input is SQL only.
            "--binary-mode",
            "--connect-timeout=\(max(Int(spec.connectTimeout.rounded(.up)), 1))",
            "--host=\(spec.host)", "--port=\(spec.port)",
        ]
        if let user = spec.user { arguments.append("--user=\(user)") }
        if let database = spec.database { arguments.append("--database=\(database)") }
        let password = spec.password ?? environment["MYSQL_PWD"]
        let process = try ChildProcess(
            executable: client(), arguments: arguments,
            environment: childEnvironment(environment, ["MYSQL_PWD": password, "MYSQL_HISTFILE": "/dev/null"]))
        let session = ClientSession(
            process: process,
            dialect: .init(
                name: "MySQL",
                markerCommand: { "SELECT '\($0)';" },
                outcome: MySQLExecutor.outcome,
                problem: { [unowned self] in ClientScriptCheck.problem(in: $0, client: .mysql(backslashEscapes: !self.noBackslashEscapes)) },
                cancel: { [unowned self] in self.killConnection() }),
            endpoint: spec.endpoint, statementTimeout: spec.clientWait)
        let setup = "SET NAMES utf8mb4;"
        guard let lines = session.exchange(setup, timeout: spec.connectTimeout + 5) else {
            let output = PostgresExecutor.clean(session.failureOutput())
            let kind: ConnectionError.Kind = session.endedBecause?.hasPrefix("no answer") == true ? .timedOut : .connectionFailed
            session.close()
            throw ConnectionError(kind, "cannot connect to \(where_): \(output.isEmpty ? session.endedBecause ?? "no answer" : output). Check that the server runs and accepts TCP connections at \(spec.endpoint), and the user, password (URL or MYSQL_PWD) and database.")
        }
        let result = MySQLExecutor.outcome(lines)
        if !result.success {
            session.close()
            throw ConnectionError(.connectionFailed, "connected to \(where_) but the session setup (\(setup)) failed: \(result.message ?? "")")
        }
        do { try pin(session) } catch {
            session.close()
            throw error
        }
        return session
    }

    /// The session's sql_mode from the server's: the URL's `sql_mode` (exact, or `+` added), then
    /// STRICT_ALL_TABLES added and ANSI_QUOTES removed.
    static func sessionMode(server: String, url: String?) -> [String] {
        var modes = server.split(separator: ",").map { $0.uppercased() }
        if let url {
            let named = url.drop(while: { $0 == "+" }).split(separator: ",").map { $0.uppercased() }
            if url.hasPrefix("+") { modes += named.filter { !modes.contains($0) } } else { modes = named }
        }
        modes.removeAll { $0 == "ANSI_QUOTES" || $0 == "ANSI" }
        if !modes.contains("STRICT_ALL_TABLES") { modes.append("STRICT_ALL_TABLES") }
        return modes
    }

    /// Reads the server's sql_mode, sets the session's (`sessionMode`) and the timeouts, reads all
    /// of it back and refuses the session when it differs.
    private func pin(_ client: ClientSession) throws(ConnectionError) {
        guard let server = read(client, "@@SESSION.sql_mode")?.first else {
            throw ConnectionError(.connectionFailed, "connected to \(where_) but could not read @@SESSION.sql_mode: \(client.endedBecause ?? "no answer")")
        }
        let modes = Self.sessionMode(server: server, url: spec.options["sql_mode"])
        let seconds = max(Int(spec.statementTimeout.rounded(.up)), 1)
        let setup = "SET SESSION sql_mode = '\(modes.joined(separator: ","))'; SET SESSION lock_wait_timeout = \(seconds);"
            + " /*M!100108 SET SESSION max_statement_time = \(spec.statementTimeout) */;"
        guard let lines = client.exchange(setup, timeout: spec.connectTimeout + 5) else {
            throw ConnectionError(.connectionFailed, "connected to \(where_) but the session ended while its settings were pinned: \(client.endedBecause ?? "no answer")")
        }
        let result = MySQLExecutor.outcome(lines)
        guard result.success else {
            throw ConnectionError(.sessionContract, "connected to \(where_) but could not pin the session's settings (\(setup)): \(result.message ?? ""). Check the sql_mode in the URL.")
        }
        let names = ["sql_mode", "character_set_client", "character_set_connection", "character_set_results", "lock_wait_timeout"]
        guard let values = read(client, names.map { "@@SESSION.\($0)" }.joined(separator: ", ") + ", CONNECTION_ID() /*M!100108 , @@SESSION.max_statement_time */"),
              values.count > names.count else {
            throw ConnectionError(.sessionContract, "connected to \(where_) but could not read back the session's settings: \(client.endedBecause ?? "no answer")")
        }
        let mode = values[0].split(separator: ",").map(String.init)
        func refuse(_ what: String) -> ConnectionError {
            ConnectionError(.sessionContract, "MySQL at \(spec.endpoint): \(what) after the session setup, and templatec's escaping relies on it; nothing was run (docs/sync.md, \"The session contract\")")
        }
        for (name, value) in zip(names[1...3], values[1...3]) where value.lowercased() != "utf8mb4" {
            throw refuse("\(name) is `\(value)`, not utf8mb4")
        }
        if mode.contains("ANSI_QUOTES") { throw refuse("sql_mode still has ANSI_QUOTES (`\(values[0])`)") }
        if !mode.contains("STRICT_ALL_TABLES") { throw refuse("sql_mode lacks STRICT_ALL_TABLES (`\(values[0])`)") }
        noBackslashEscapes = mode.contains("NO_BACKSLASH_ESCAPES")
        var recorded = zip(names, values).map { SessionSettings.Setting($0, $1) }
        connectionID = Int(values[names.count])
        if values.count > names.count + 1 { recorded.append(.init("max_statement_time", values[names.count + 1])) }
        session = SessionSettings(options: DialectOptions(noBackslashEscapes: noBackslashEscapes), values: recorded)
    }

    /// The server's id of the current session (`CONNECTION_ID()`), for `killConnection`.
    private var connectionID: Int?

    /// Ends the session on the server over a second connection (`KILL`), when templatec stopped
    /// waiting for a statement: the statement in flight is rolled back, not applied later.
    private func killConnection() -> String? {
        guard let connectionID else { return nil }
        var arguments = ["--no-defaults", "--batch", "--skip-column-names", "--protocol=TCP",
                         "--connect-timeout=\(max(Int(spec.connectTimeout.rounded(.up)), 1))", "--host=\(spec.host)", "--port=\(spec.port)"]
        if let user = spec.user { arguments.append("--user=\(user)") }
        arguments += ["-e", "KILL \(connectionID)"]
        let killed = runClientOnce(client(), arguments, environment: childEnvironment(environment, ["MYSQL_PWD": spec.password ?? environment["MYSQL_PWD"], "MYSQL_HISTFILE": "/dev/null"]),
                                   timeout: spec.connectTimeout + 2)
        return killed ? "its server connection \(connectionID) was ended (KILL)" : nil
    }

    /// Values of expressions, read with one `SELECT CONCAT_WS(…)` (tab-free, one line).
    private func read(_ client: ClientSession, _ expressions: String) -> [String]? {
        let tag = "__templatec_values"
        guard let lines = client.exchange("SELECT CONCAT_WS(CHAR(31), '\(tag)', \(expressions));", timeout: spec.connectTimeout + 5),
              let line = lines.first(where: { $0.hasPrefix(tag) }) else { return nil }
        return Array(line.split(separator: "\u{1F}", omittingEmptySubsequences: false).dropFirst().map(String.init))
    }

    /// The client's lines for one statement → outcome: an `ERROR nnnn (SSSSS)[ at line n]: …` line
    /// (and the lines after it, for multi-line messages) means failure.
    static func outcome(_ lines: [String]) -> ExecutionOutcome {
        if let start = lines.firstIndex(where: isErrorLine) {
            var message = lines[start...].joined(separator: "\n")
            if let range = message.range(of: #"^ERROR ([0-9]+)( \([0-9A-Z]{5}\))? at line [0-9]+"#, options: .regularExpression) {
                message = String(message[range]).replacingOccurrences(of: #" at line [0-9]+$"#, with: "", options: .regularExpression)
                    + message[range.upperBound...]
            }
            return .failed(message)
        }
        let warnings = lines.filter { $0.hasPrefix("Warning (Code") || $0.hasPrefix("Note (Code") || $0.hasPrefix("Error (Code") }
        return ExecutionOutcome(success: true, message: warnings.isEmpty ? nil : warnings.joined(separator: "\n"))
    }

    private static func isErrorLine(_ line: String) -> Bool {
        line.hasPrefix("ERROR ") && line.range(of: #"^ERROR [0-9]+( \([0-9A-Z]{5}\))?( at line [0-9]+)?: "#, options: .regularExpression) != nil
    }
}
