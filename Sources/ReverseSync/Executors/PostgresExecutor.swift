import Foundation
import TemplateCompiler

/// PostgreSQL through one long-lived `psql` session (psql 13 or newer):
///
///     psql -X -q -w -v ON_ERROR_STOP=0 -v VERBOSITY=default -o /dev/null -f - "host=… port=… …"
///
/// Query results go to /dev/null; psql's messages (ERROR, WARNING, NOTICE) and the `\warn` markers
/// go to standard error, which is unbuffered, so each statement's messages arrive before its marker.
/// psql runs in autocommit mode: each statement commits or fails on its own.
///
/// Reading its script with `-f -`, psql prefixes every message with the input line that ended the
/// statement (`psql:<stdin>:12: ERROR: …`), so `executeAll` writes a marker only every 256 statements
/// and attributes messages by line number: psql does no more work than for `psql -f file`.
///
/// psql reads backslash commands and `:variable` references only outside literals and quoted
/// identifiers; `ClientScriptCheck` refuses a statement where one stands outside (and any statement
/// left unterminated), instead of letting psql misread it.
///
/// The session contract (docs/sync.md): at session start the executor sets
/// `standard_conforming_strings = on`, `client_encoding = UTF8`, `statement_timeout` and
/// `lock_timeout` (the URL's `timeout`), after any database, role, PGOPTIONS or service setting has
/// been applied, then reads them back with `\gset` and refuses to run when they differ. The
/// planner compiles with exactly these settings (`session`). PGOPTIONS and PGSERVICE are not passed
/// to psql; the URL parameters that could change them (`options`, `client_encoding`, `service`) are
/// refused by `ConnectionURL.parse`.
/// The password goes to psql in PGPASSWORD, never on its command line.
public final class PostgresExecutor: SQLExecutor {
    public let spec: ConnectionSpec
    private let environment: [String: String]
    private var clientSession: ClientSession?
    /// The settings read back when the current session opened.
    public private(set) var session = SessionSettings()

    public init(spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) {
        self.spec = spec
        self.environment = environment
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

    /// libpq keyword/value connection string (no password).
    var connectionString: String { Self.connectionString(spec, applicationName: "templatec") }

    /// The libpq keyword/value connection string of `spec`, without the password (which goes in
    /// PGPASSWORD): values quoted, `\` and `'` escaped. `applicationName` unless the URL gives one.
    static func connectionString(_ spec: ConnectionSpec, applicationName: String) -> String {
        var parameters: [(String, String)] = [("host", spec.host), ("port", String(spec.port))]
        if let user = spec.user { parameters.append(("user", user)) }
        if let database = spec.database { parameters.append(("dbname", database)) }
        parameters.append(("connect_timeout", String(max(Int(spec.connectTimeout.rounded(.up)), 2))))
        if spec.options["application_name"] == nil { parameters.append(("application_name", applicationName)) }
        for (key, value) in spec.options.sorted(by: { $0.key < $1.key }) where !["connect_timeout", "timeout"].contains(key) {
            parameters.append((key, value))
        }
        return parameters.map { key, value in
            "\(key)='" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }.joined(separator: " ")
    }

    private var where_: String {
        "PostgreSQL at \(spec.endpoint) (database \(spec.database ?? "?"), user \(spec.user ?? environment["PGUSER"] ?? environment["USER"] ?? "?"))"
    }

    private func openSession() throws(ConnectionError) -> ClientSession {
        backend = nil  // a pid of an earlier session may now belong to someone else
        let password = spec.password ?? environment["PGPASSWORD"]
        let psql = environment["TEMPLATEC_PSQL"] ?? "psql"
        let process = try ChildProcess(
            executable: psql,
            arguments: ["-X", "-q", "-w", "-v", "ON_ERROR_STOP=0", "-v", "VERBOSITY=default", "-o", "/dev/null", "-f", "-", connectionString],
            environment: childEnvironment(environment, [
                "PGPASSWORD": password, "PGCLIENTENCODING": "UTF8",
                // Server settings from the environment could undo the pinned ones before the SETs run
                // (they do not survive them, but nothing of the user's should be in between).
                "PGOPTIONS": nil, "PGSERVICE": nil, "PGSERVICEFILE": nil, "PGSYSCONFDIR": nil,
                "PAGER": nil, "PSQL_PAGER": nil,
            ]))
        let endpoint = spec.endpoint
        let session = ClientSession(
            process: process,
            dialect: .init(
                name: "PostgreSQL",
                markerCommand: { "\\warn \($0)" },
                outcome: PostgresExecutor.outcome,
                problem: { ClientScriptCheck.problem(in: $0, client: .psql) },
                lineNumber: PostgresExecutor.lineNumber,
                cancel: { [unowned self] in self.terminateBackend() }),
            endpoint: endpoint, statementTimeout: spec.clientWait)
        // The first exchange proves the connection and that psql knows \warn (psql 13+).
        let setup = session.exchange("SET client_min_messages = warning;", timeout: spec.connectTimeout + 5)
        guard let setup, !setup.contains(where: { $0.contains("invalid command") }) else {
            let output = setup?.joined(separator: "\n") ?? session.failureOutput()
            session.close()
            if output.contains("invalid command \\warn") {
                throw ConnectionError(.clientFailed, "psql is too old for templatec (it needs \\warn, psql 13 or newer): install a newer postgresql-client or set TEMPLATEC_PSQL to one")
            }
            let kind: ConnectionError.Kind = session.endedBecause?.hasPrefix("no answer") == true ? .timedOut : .connectionFailed
            throw ConnectionError(kind, "cannot connect to \(where_): \(Self.clean(output).isEmpty ? session.endedBecause ?? "psql gave no answer" : Self.clean(output)). Check that the server runs and accepts TCP connections at \(endpoint), and the user, password (URL or PGPASSWORD) and database.")
        }
        if let failure = PostgresExecutor.outcome(setup).message, !PostgresExecutor.outcome(setup).success {
            session.close()
            throw ConnectionError(.connectionFailed, "connected to \(where_) but the session setup failed: \(failure)")
        }
        do { try pin(session) } catch {
            session.close()
            throw error
        }
        return session
    }

    /// The settings pinned at session start, in order: the SET statement and the value that must be
    /// read back (nil: any value, only recorded).
    private var pinned: [(name: String, set: String, expected: String?)] {
        let milliseconds = String(Int((spec.statementTimeout * 1000).rounded()))
        return [
            ("standard_conforming_strings", "SET standard_conforming_strings = on;", "on"),
            ("client_encoding", "SET client_encoding = 'UTF8';", "UTF8"),
            ("statement_timeout", "SET statement_timeout = \(milliseconds);", nil),
            ("lock_timeout", "SET lock_timeout = \(milliseconds);", nil),
            ("server_encoding", "", nil),
        ]
    }

    /// Sets the pinned settings, reads them back (and psql's own ENCODING, which its lexer follows)
    /// and refuses the session when one differs.
    private func pin(_ client: ClientSession) throws(ConnectionError) {
        let settings = pinned
        var input = settings.map(\.set).filter { !$0.isEmpty }.joined(separator: "\n") + "\n"
        input += "SELECT " + settings.enumerated().map { "current_setting('\($1.name)') AS templatec_setting_\($0)" }.joined(separator: ", ")
            + ", pg_backend_pid() AS templatec_backend \\gset\n"
        input += "\\warn __templatec_settings " + settings.indices.map { ":'templatec_setting_\($0)'" }.joined(separator: " ") + " :'ENCODING' :'templatec_backend'"
        guard let lines = client.exchange(input, timeout: spec.connectTimeout + 5) else {
            throw ConnectionError(.connectionFailed, "connected to \(where_) but the session ended while its settings were pinned: \(client.endedBecause ?? "no answer")")
        }
        let problem = PostgresExecutor.outcome(lines.filter { !$0.hasPrefix("__templatec_settings ") })
        guard problem.success, let line = lines.last(where: { $0.hasPrefix("__templatec_settings ") }) else {
            throw ConnectionError(.sessionContract, "connected to \(where_) but could not pin the session's settings (\(settings.map(\.name).joined(separator: ", "))): \(problem.message ?? "psql did not print them"). templatec does not run without them (docs/sync.md, \"The session contract\").")
        }
        let values = PostgresExecutor.quotedWords(line.dropFirst("__templatec_settings ".count))
        guard values.count == settings.count + 2 else {
            throw ConnectionError(.sessionContract, "connected to \(where_) but could not read back the session's settings (got `\(line)`)")
        }
        var recorded: [SessionSettings.Setting] = []
        for (setting, value) in zip(settings, values) {
            recorded.append(.init(setting.name, value))
            if let expected = setting.expected, value.caseInsensitiveCompare(expected) != .orderedSame {
                throw ConnectionError(.sessionContract, "PostgreSQL at \(spec.endpoint): \(setting.name) is `\(value)` after `\(setting.set)`, and templatec's escaping relies on `\(expected)`; nothing was run. Check what sets it (ALTER DATABASE/ROLE … SET, a server extension).")
            }
        }
        let psqlEncoding = values[settings.count]
        recorded.append(.init("psql ENCODING", psqlEncoding))
        guard psqlEncoding.uppercased() == "UTF8" else {
            throw ConnectionError(.sessionContract, "PostgreSQL at \(spec.endpoint): psql's client encoding is `\(psqlEncoding)` after SET client_encoding = 'UTF8'; nothing was run")
        }
        backend = Int(values[settings.count + 1])
        session = SessionSettings(options: DialectOptions(standardConformingStrings: true), values: recorded)
    }

    /// The server process of the current session (`pg_backend_pid()`), for `terminateBackend`.
    private var backend: Int?

    /// Ends the session's backend over a second connection, when templatec stopped waiting for a
    /// statement: the statement in flight is rolled back instead of being applied when a lock is
    /// released. A backend that already ended counts too (nothing of it can still be applied).
    private func terminateBackend() -> String? {
        guard let backend else { return nil }
        let psql = environment["TEMPLATEC_PSQL"] ?? "psql"
        let ended = runClientOnce(psql, ["-X", "-q", "-w", "-A", "-t", "-c",
                                         "SELECT pg_terminate_backend(\(backend)) OR NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = \(backend))", connectionString],
                                  environment: childEnvironment(environment, ["PGPASSWORD": spec.password ?? environment["PGPASSWORD"], "PGOPTIONS": nil, "PGAPPNAME": nil]),
                                  timeout: spec.connectTimeout + 2, expect: "t")
        return ended ? "its server process \(backend) was ended (pg_terminate_backend)" : nil
    }

    /// `'on' 'UTF8' '300000'` → ["on", "UTF8", "300000"] (psql's :'var' form doubles quotes).
    static func quotedWords(_ text: Substring) -> [String] {
        var words: [String] = []
        var current: String? = nil
        var chars = text.makeIterator()
        var pending = chars.next()
        while let c = pending {
            pending = chars.next()
            if var word = current {
                if c == "'" {
                    if pending == "'" { word.append("'"); pending = chars.next(); current = word; continue }
                    words.append(word)
                    current = nil
                } else {
                    word.append(c)
                    current = word
                }
            } else if c == "'" {
                current = ""
            }
        }
        return words
    }

    /// psql's lines for one statement → outcome. Errors are `ERROR:` (or FATAL/PANIC) lines, with
    /// any `psql:<file>:<line>: ` prefix, followed by LINE/DETAIL/HINT lines that belong to them.
    static func outcome(_ lines: [String]) -> ExecutionOutcome {
        let cleaned = lines.map(stripPrefix).filter { !$0.isEmpty }
        if cleaned.contains(where: { $0.hasPrefix("ERROR:") || $0.hasPrefix("FATAL:") || $0.hasPrefix("PANIC:") || $0.hasPrefix("psql: error:") }) {
            return .failed(cleaned.joined(separator: "\n"))
        }
        if cleaned.contains(where: { $0.hasPrefix("server closed the connection") || $0.hasPrefix("connection to server was lost") }) {
            return .failed(cleaned.joined(separator: "\n"))
        }
        return ExecutionOutcome(success: true, message: cleaned.isEmpty ? nil : cleaned.joined(separator: "\n"))
    }

    /// "psql:<stdin>:12: ERROR:  …" → (12, "ERROR:  …"): with `-f -`, psql names the input line
    /// (the one that ended the statement) in each message.
    static func lineNumber(_ line: String) -> (Int, String)? {
        guard line.hasPrefix("psql:<stdin>:") else { return nil }
        let rest = line.dropFirst("psql:<stdin>:".count)
        guard let colon = rest.firstIndex(of: ":"), let number = Int(rest[..<colon]) else { return nil }
        return (number, String(rest[rest.index(after: colon)...].drop(while: { $0 == " " })))
    }

    private static func stripPrefix(_ line: String) -> String {
        // "psql:<stdin>:12: ERROR:  …" → "ERROR:  …"
        guard line.hasPrefix("psql:"), let range = line.range(of: #"^psql:[^:]*:[0-9]+: "#, options: .regularExpression) else { return line }
        return String(line[range.upperBound...])
    }

    static func clean(_ output: String) -> String {
        output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
