import Foundation

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
/// The session runs `SET NAMES utf8mb4` and, with `?sql_mode=…` in the URL, `SET SESSION sql_mode`:
/// `sql_mode=NO_BACKSLASH_ESCAPES` sets exactly that mode, `sql_mode=+NO_BACKSLASH_ESCAPES` adds it
/// to the server's. The password goes to the client in MYSQL_PWD, never on its command line.
public final class MySQLExecutor: SQLExecutor {
    public let spec: ConnectionSpec
    private let environment: [String: String]
    private var session: ClientSession?
    /// The session's sql_mode has NO_BACKSLASH_ESCAPES (read from the server after setup).
    public private(set) var noBackslashEscapes = false

    public init(spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) {
        self.spec = spec
        self.environment = environment
        if let mode = spec.options["sql_mode"],
           mode.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "," || $0 == "+") }) {
            throw ConnectionError(.invalidURL, "connection URL \(spec.redacted): sql_mode '\(mode)' may contain only mode names, commas and a leading '+'")
        }
        self.session = try openSession()
    }

    deinit { session?.close() }

    public func execute(_ sql: String) -> ExecutionOutcome { executeAll([sql])[0] }

    public func executeAll(_ statements: [String]) -> [ExecutionOutcome] {
        if session?.isAlive != true {
            do { session = try openSession() } catch {
                return statements.map { _ in .failed(error.message) }
            }
        }
        let outcomes = session!.runAll(statements)
        // A statement may have changed sql_mode: the client check must follow the server.
        if statements.contains(where: { $0.range(of: "sql_mode", options: .caseInsensitive) != nil }) {
            _ = readMode(session!)
        }
        return outcomes
    }

    public func close() {
        session?.close()
        session = nil
    }

    private var where_: String {
        "MySQL at \(spec.endpoint) (database \(spec.database ?? "?"), user \(spec.user ?? environment["USER"] ?? "?"))"
    }

    private func client() -> String {
        if let configured = environment["TEMPLATEC_MYSQL_CLIENT"] { return configured }
        let path = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for name in ["mariadb", "mysql"] where path.contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }) {
            return name
        }
        return "mariadb"
    }

    private func openSession() throws(ConnectionError) -> ClientSession {
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
                problem: { [unowned self] in ClientScriptCheck.problem(in: $0, client: .mysql(backslashEscapes: !self.noBackslashEscapes)) }),
            endpoint: spec.endpoint, statementTimeout: spec.statementTimeout)
        var setup = "SET NAMES utf8mb4;"
        if let mode = spec.options["sql_mode"] {
            setup += mode.hasPrefix("+")
                ? " SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), '\(mode.dropFirst())');"
                : " SET SESSION sql_mode = '\(mode)';"
        }
        guard let lines = session.exchange(setup, timeout: spec.connectTimeout + 5) else {
            let output = PostgresExecutor.clean(session.failureOutput())
            let kind: ConnectionError.Kind = session.endedBecause?.hasPrefix("no answer") == true ? .timedOut : .connectionFailed
            session.close()
            throw ConnectionError(kind, "cannot connect to \(where_): \(output.isEmpty ? session.endedBecause ?? "no answer" : output). Check that the server runs and accepts TCP connections at \(spec.endpoint), and the user, password (URL or MYSQL_PWD) and database.")
        }
        let result = MySQLExecutor.outcome(lines)
        if !result.success {
            session.close()
            throw ConnectionError(.connectionFailed, "connected to \(where_) but the session setup (\(setup)) failed: \(result.message ?? ""). Check the sql_mode in the URL.")
        }
        guard readMode(session) else {
            session.close()
            throw ConnectionError(.connectionFailed, "connected to \(where_) but could not read @@SESSION.sql_mode: \(session.endedBecause ?? "no answer")")
        }
        return session
    }

    /// Reads the session's sql_mode, to lex statements the way the client will (backslashes).
    private func readMode(_ session: ClientSession) -> Bool {
        guard let lines = session.exchange("SELECT CONCAT('__templatec_mode=', @@SESSION.sql_mode);", timeout: spec.connectTimeout + 5),
              let line = lines.first(where: { $0.hasPrefix("__templatec_mode=") }) else { return false }
        noBackslashEscapes = line.contains("NO_BACKSLASH_ESCAPES")
        return true
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
