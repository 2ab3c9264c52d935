import Foundation

/// Read-only queries for the current-state readers, through each engine's usual path: `psql` with
/// `COPY … TO STDOUT`, the `mariadb` (or `mysql`) client in batch mode, ClickHouse's HTTP
/// interface with `FORMAT TabSeparated`. All three answer tab-separated rows with backslash escapes,
/// so one decoder reads them (`TabSeparatedRow`).
///
/// Passwords go in the clients' environment variables (PGPASSWORD, MYSQL_PWD) or the HTTP basic
/// header, never on a command line; the query texts are fixed and carry no value from the catalog.
///
/// Why not the executors: an executor's session sends results to /dev/null and answers outcomes,
/// not rows. The connection details are the executors' own (`PostgresExecutor.connectionString`,
/// `MySQLExecutor.client`), so a state read reaches the server a sync would.
enum StateQuery {
    /// What a query is for, in its error messages: the current-state readers' by default; the
    /// statement histories (Sources/ReverseSync/History) run theirs through the same clients.
    struct Task: Sendable {
        /// "read the current state", as in "cannot read the current state from …".
        var verb: String
        /// "current-state query", as in "… refused the current-state query".
        var noun: String
        static let currentState = Task(verb: "read the current state", noun: "current-state query")
    }

    /// Runs `sql` (a `COPY (…) TO STDOUT`) with psql; `each` gets every row's fields (`\N` → nil).
    static func postgres(_ spec: ConnectionSpec, environment: [String: String], sql: String, task: Task = .currentState,
                         applicationName: String = "templatec-state", each: ([String?]) -> Void) throws(StateReadError) {
        let password = spec.password ?? environment["PGPASSWORD"]
        // The query's literals (`'pg\_toast%'`) are written for standard_conforming_strings = on;
        // notices and warnings would be mixed with the rows (one output pipe), so they are silenced.
        let options = ((environment["PGOPTIONS"].map { $0 + " " } ?? "") + "-c standard_conforming_strings=on -c client_min_messages=error")
        let psql = environment["TEMPLATEC_PSQL"] ?? "psql"
        try runClient(psql, ["-X", "-q", "-w", "-v", "ON_ERROR_STOP=1", "-c", sql, PostgresExecutor.connectionString(spec, applicationName: applicationName)],
                      environment: childEnvironment(environment, ["PGPASSWORD": password, "PGOPTIONS": options, "PGCLIENTENCODING": "UTF8", "PAGER": nil]),
                      where: "PostgreSQL at \(spec.endpoint) (database \(spec.database ?? "?"))", timeout: spec.connectTimeout + spec.statementTimeout,
                      nullMarker: true, task: task, each: each)
    }

    /// Runs `sql` with the MySQL/MariaDB client in batch mode (`-B -N`): tab-separated, escaped.
    static func mysql(_ spec: ConnectionSpec, environment: [String: String], sql: String, each: ([String?]) -> Void) throws(StateReadError) {
        var arguments = ["--no-defaults", "--batch", "--skip-column-names", "--protocol=TCP", "--default-character-set=utf8mb4",
                         "--connect-timeout=\(max(Int(spec.connectTimeout.rounded(.up)), 1))",
                         "--host=\(spec.host)", "--port=\(spec.port)"]
        if let user = spec.user { arguments.append("--user=\(user)") }
        if let database = spec.database { arguments.append("--database=\(database)") }
        // `SET NAMES` as the executor does: `--default-character-set` only asks, and a server with
        // `skip-character-set-client-handshake` answers in its own character set (latin1 turns a
        // `✓` stored right into `?`, which a batch diff or `--to-openmetadata` would take as the
        // database's value).
        arguments += ["-e", "SET NAMES utf8mb4; " + sql]
        let password = spec.password ?? environment["MYSQL_PWD"]
        try runClient(MySQLExecutor.client(environment), arguments,
                      environment: childEnvironment(environment, ["MYSQL_PWD": password, "MYSQL_HISTFILE": "/dev/null"]),
                      where: "MySQL at \(spec.endpoint) (database \(spec.database ?? "?"))", timeout: spec.connectTimeout + spec.statementTimeout,
                      nullMarker: false, task: .currentState, each: each)
    }

    /// Runs `sql` on ClickHouse over HTTP with `FORMAT TabSeparated`.
    /// `formatted` false: the statement is sent as it is (`SYSTEM FLUSH LOGS` takes no FORMAT).
    static func clickhouse(_ spec: ConnectionSpec, environment: [String: String], sql: String, task: Task = .currentState,
                           formatted: Bool = true, each: ([String?]) -> Void) throws(StateReadError) {
        // The user agent marks these reads in system.query_log, so the statement history leaves them out.
        var headers = [("Content-Type", "text/plain; charset=utf-8"), ("User-Agent", ClickHouseExecutor.stateUserAgent)]
        let user = spec.user ?? environment["CLICKHOUSE_USER"]
        let password = spec.password ?? environment["CLICKHOUSE_PASSWORD"]
        if user != nil || password != nil {
            headers.append(("Authorization", "Basic " + Data("\(user ?? "default"):\(password ?? "")".utf8).base64EncodedString()))
        }
        var target = "/"
        if let database = spec.database { target += "?database=" + HTTPClient.percentEncode(database) }
        let response: HTTPClient.Response
        do {
            response = try HTTPClient(host: spec.host, port: spec.port).send(
                method: "POST", target: target, headers: headers, body: Array((formatted ? sql + " FORMAT TabSeparated" : sql).utf8),
                connectTimeout: spec.connectTimeout, timeout: spec.statementTimeout)
        } catch {
            throw StateReadError("cannot \(task.verb) from ClickHouse at \(spec.endpoint): \(error). Check that the server runs and that \(spec.endpoint) is its HTTP port.")
        }
        guard response.status == 200 else {
            let text = String(decoding: response.body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw StateReadError("ClickHouse at \(spec.endpoint) refused the \(task.noun) (HTTP \(response.status)): \(text)")
        }
        var start = 0
        let body = response.body
        while start < body.count {
            let end = body[start...].firstIndex(of: 0x0A) ?? body.count
            if end > start { each(TabSeparatedRow.decode(body[start..<end], nullMarker: false)) }
            start = end + 1
        }
    }

    /// Runs a client to its end, each output line decoded as a row. A non-zero exit status is an
    /// error whose message is the client's output (stdout and stderr are one pipe).
    private static func runClient(_ executable: String, _ arguments: [String], environment: [String: String], where place: String,
                                  timeout: Double, nullMarker: Bool, task: Task, each: ([String?]) -> Void) throws(StateReadError) {
        let process: ChildProcess
        do {
            process = try ChildProcess(executable: executable, arguments: arguments, environment: environment)
        } catch {
            throw StateReadError("cannot \(task.verb) from \(place): \(error.message)")
        }
        defer { process.terminate() }
        process.closeInput()
        // Kept only for the error message: a failing client prints a few lines, not rows.
        var lastLines: [String] = []
        let deadline = DispatchTime.now() + timeout
        reading: while true {
            switch process.readLine(deadline: deadline) {
            case .line(let bytes):
                if !bytes.isEmpty { each(TabSeparatedRow.decode(bytes[...], nullMarker: nullMarker)) }
                lastLines.append(String(decoding: bytes.prefix(500), as: UTF8.self))
                if lastLines.count > 5 { lastLines.removeFirst() }
            case .endOfFile:
                break reading
            case .timedOut:
                process.forceKill()
                throw StateReadError("\(place) gave no answer to the \(task.noun) within \(Int(timeout)) s")
            }
        }
        let status = process.wait(seconds: 10)
        guard status == 0 else {
            let said = lastLines.joined(separator: " ").trimmingCharacters(in: .whitespaces)
            throw StateReadError("cannot \(task.verb) from \(place) (\(executable) exit status \(status)): \(said.isEmpty ? "no message" : said). Check the connection URL, the password and that the user may read the system catalog.")
        }
    }
}

/// One line of tab-separated output with backslash escapes, as PostgreSQL's COPY text format,
/// the MySQL client's batch mode and ClickHouse's TabSeparated write it: `\t`, `\n`, `\r`, `\\`,
/// `\0`, `\b`, `\f`, `\v`, `\'` are decoded; `\N` alone is NULL where the format has it (COPY).
enum TabSeparatedRow {
    static func decode(_ line: ArraySlice<UInt8>, nullMarker: Bool) -> [String?] {
        var fields: [String?] = []
        var current: [UInt8] = []
        var i = line.startIndex
        var fieldStart = i
        func finish() {
            if nullMarker, current == [0x5C, 0x4E], line[fieldStart..<i].elementsEqual([0x5C, 0x4E]) {
                fields.append(nil)
            } else {
                fields.append(String(decoding: current, as: UTF8.self))
            }
            current.removeAll(keepingCapacity: true)
        }
        while i < line.endIndex {
            let b = line[i]
            if b == 0x09 {
                finish()
                i += 1
                fieldStart = i
                continue
            }
            if b == 0x5C, i + 1 < line.endIndex {
                let e = line[i + 1]
                switch e {
                case UInt8(ascii: "t"): current.append(0x09)
                case UInt8(ascii: "n"): current.append(0x0A)
                case UInt8(ascii: "r"): current.append(0x0D)
                case UInt8(ascii: "0"): current.append(0x00)
                case UInt8(ascii: "b"): current.append(0x08)
                case UInt8(ascii: "f"): current.append(0x0C)
                case UInt8(ascii: "v"): current.append(0x0B)
                case UInt8(ascii: "N") where nullMarker: current += [0x5C, 0x4E]
                default: current.append(e)  // \\ \' and anything else: the character itself
                }
                i += 2
                continue
            }
            current.append(b)
            i += 1
        }
        finish()
        return fields
    }
}
