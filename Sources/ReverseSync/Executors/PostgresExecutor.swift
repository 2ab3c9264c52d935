import Foundation

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
/// The password goes to psql in PGPASSWORD, never on its command line.
public final class PostgresExecutor: SQLExecutor {
    public let spec: ConnectionSpec
    private let environment: [String: String]
    private var session: ClientSession?

    public init(spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) {
        self.spec = spec
        self.environment = environment
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
        return session!.runAll(statements)
    }

    public func close() {
        session?.close()
        session = nil
    }

    /// libpq keyword/value connection string (no password).
    var connectionString: String {
        var parameters: [(String, String)] = [("host", spec.host), ("port", String(spec.port))]
        if let user = spec.user { parameters.append(("user", user)) }
        if let database = spec.database { parameters.append(("dbname", database)) }
        parameters.append(("connect_timeout", String(max(Int(spec.connectTimeout.rounded(.up)), 2))))
        if spec.options["application_name"] == nil { parameters.append(("application_name", "templatec")) }
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
        let password = spec.password ?? environment["PGPASSWORD"]
        let psql = environment["TEMPLATEC_PSQL"] ?? "psql"
        let process = try ChildProcess(
            executable: psql,
            arguments: ["-X", "-q", "-w", "-v", "ON_ERROR_STOP=0", "-v", "VERBOSITY=default", "-o", "/dev/null", "-f", "-", connectionString],
            environment: childEnvironment(environment, [
                "PGPASSWORD": password, "PGCLIENTENCODING": "UTF8", "PGOPTIONS": environment["PGOPTIONS"],
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
                lineNumber: PostgresExecutor.lineNumber),
            endpoint: endpoint, statementTimeout: spec.statementTimeout)
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
        return session
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
