import Foundation

/// The result of one statement.
public struct ExecutionOutcome: Sendable, Equatable {
    public var success: Bool
    /// On failure: what the server or client said (never a password). On success: warnings, if any.
    public var message: String?

    public init(success: Bool, message: String? = nil) {
        self.success = success
        self.message = message
    }

    public static let ok = ExecutionOutcome(success: true)
    public static func failed(_ message: String) -> ExecutionOutcome { ExecutionOutcome(success: false, message: message) }
}

/// Sends SQL statements, one at a time, to a database. Each statement runs on its own (autocommit):
/// a failing statement undoes nothing else and does not stop the next one.
/// An executor is used from one thread at a time.
public protocol SQLExecutor: AnyObject {
    /// Runs one statement (it may contain newlines and semicolons inside literals; a trailing `;`
    /// is optional). Never throws and never hangs: a lost connection or a timeout is a failed outcome.
    func execute(_ sql: String) -> ExecutionOutcome
    /// Runs statements in order, each on its own, as `execute` would; executors that can pipeline
    /// (PostgreSQL, MySQL) send the next statements while earlier ones run.
    func executeAll(_ statements: [String]) -> [ExecutionOutcome]
    /// Ends the session (closes the client process or connection). Idempotent.
    func close()
}

extension SQLExecutor {
    public func executeAll(_ statements: [String]) -> [ExecutionOutcome] { statements.map { execute($0) } }
}

/// Why a connection could not be made or a URL not understood. `description` says what failed,
/// where (host:port, never a password) and what to do.
public struct ConnectionError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case invalidURL, unsupportedScheme, clientNotFound, clientFailed, connectionFailed, timedOut
    }
    public var kind: Kind
    public var message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Where and how to connect: parsed from a connection URL by `ConnectionURL.parse`.
public struct ConnectionSpec: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case postgresql, mysql, clickhouse, trino, databricks, snowflake, command, dryRun = "dry-run"

        /// Trino, Databricks and Snowflake: HTTP services reached by `Executors/Remote/`.
        var isRemoteService: Bool { self == .trino || self == .databricks || self == .snowflake }
    }
    public var kind: Kind
    public var host: String = ""
    public var port: Int = 0
    public var user: String?
    /// From the URL; `makeExecutor` falls back to PGPASSWORD / MYSQL_PWD / CLICKHOUSE_PASSWORD.
    public var password: String?
    public var database: String?
    /// Query parameters, decoded. Recognized: `connect_timeout` and `timeout` (seconds, all kinds),
    /// `sql_mode` (MySQL); `https` scheme for ClickHouse sets `useTLS`. Others are passed to the
    /// client where it has a place for them (libpq parameters, ClickHouse settings).
    public var options: [String: String] = [:]
    /// ClickHouse over https; Trino, Databricks and Snowflake over HTTPS (`trino+https://`,
    /// `databricks://`, `snowflake://`), not for their `+http` stand-in forms.
    public var useTLS = false
    /// The URL's path, split at `/` and each segment percent-decoded: Trino's catalog and schema,
    /// Databricks' warehouse id, Snowflake's database and schema.
    public var path: [String] = []
    /// The shell command of a `command:` URL.
    public var command: String?

    public init(kind: Kind) { self.kind = kind }

    /// `host:port`, for messages.
    public var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The URL with the password replaced by `***`: safe to print.
    public var redacted: String {
        switch kind {
        case .dryRun: return "dry-run:"
        case .command: return "command:\(command ?? "")"
        case .trino, .databricks, .snowflake:
            var text = "\(ConnectionURL.remoteScheme(kind, tls: useTLS))://"
            if let user { text += user + (password == nil ? "" : ":***") + "@" }
            text += endpoint
            if !path.isEmpty { text += "/" + path.joined(separator: "/") }
            let query = options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            if !query.isEmpty { text += "?" + query.joined(separator: "&") }
            return text
        case .postgresql, .mysql, .clickhouse:
            let scheme = kind == .clickhouse ? (useTLS ? "https" : "http") : kind.rawValue
            var text = "\(scheme)://"
            if let user { text += user + (password == nil ? "" : ":***") + "@" }
            text += endpoint
            if let database, kind != .clickhouse { text += "/" + database }
            let query = options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            if kind == .clickhouse, let database { text += "/?database=\(database)" + query.map { "&" + $0 }.joined() }
            else if !query.isEmpty { text += (kind == .clickhouse ? "/?" : "?") + query.joined(separator: "&") }
            return text
        }
    }

    func seconds(_ option: String, default value: Double) -> Double {
        options[option].flatMap(Double.init).map { max($0, 0.1) } ?? value
    }
    /// How long to wait for a connection (`connect_timeout`, default 10 s).
    var connectTimeout: Double { seconds("connect_timeout", default: 10) }
    /// How long one statement may run (`timeout`, default 300 s).
    var statementTimeout: Double { seconds("timeout", default: 300) }
}

/// Parses connection URLs:
///
///     postgresql://user[:password]@host[:port]/db[?param=value…]     (also postgres://; port 5432)
///     mysql://user[:password]@host[:port]/db[?sql_mode=…]             (also mariadb://; port 3306)
///     http[s]://[user[:password]@]host[:port][/?database=db&setting=…] (ClickHouse HTTP; port 8123)
///     trino[+https]://[user[:password]@]host[:port][/catalog[/schema]]   (port 8080, https 443)
///     databricks[+http]://host[:port]/warehouse_id[?catalog=…&schema=…]  (HTTPS, port 443)
///     snowflake[+http]://account.snowflakecomputing.com[/database[/schema]][?warehouse=…&role=…]
///     command:<shell command>        each statement on the command's standard input
///     dry-run:                       prints the statements, runs nothing
///
/// User, password and database are percent-decoded. Errors never contain the password.
public enum ConnectionURL {
    public static func parse(_ text: String) throws(ConnectionError) -> ConnectionSpec {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw ConnectionError(.invalidURL, "connection URL '\(redactGuess(trimmed))' has no scheme: use postgresql://, mysql://, http:// (ClickHouse), trino://, databricks://, snowflake://, command: or dry-run:")
        }
        let scheme = trimmed[..<colon].lowercased()
        let rest = String(trimmed[trimmed.index(after: colon)...])
        switch scheme {
        case "dry-run", "dryrun":
            return ConnectionSpec(kind: .dryRun)
        case "command":
            let command = rest.trimmingCharacters(in: .whitespaces)
            guard !command.isEmpty else {
                throw ConnectionError(.invalidURL, "connection URL 'command:' has no command: write command:<shell command>, which gets each statement on its standard input")
            }
            var spec = ConnectionSpec(kind: .command)
            spec.command = command
            return spec
        case "postgresql", "postgres":
            return try parseNetwork(rest, kind: .postgresql, defaultPort: 5432, original: trimmed)
        case "mysql", "mariadb":
            return try parseNetwork(rest, kind: .mysql, defaultPort: 3306, original: trimmed)
        case "http", "https", "clickhouse":
            var spec = try parseNetwork(rest, kind: .clickhouse, defaultPort: scheme == "https" ? 8443 : 8123, original: trimmed)
            spec.useTLS = scheme == "https"
            if let database = spec.options.removeValue(forKey: "database") { spec.database = database }
            return spec
        case "trino", "trino+http", "trino+https":
            return try parseRemote(rest, kind: .trino, tls: scheme == "trino+https", original: trimmed)
        case "databricks", "databricks+https", "databricks+http":
            return try parseRemote(rest, kind: .databricks, tls: scheme != "databricks+http", original: trimmed)
        case "snowflake", "snowflake+https", "snowflake+http":
            return try parseRemote(rest, kind: .snowflake, tls: scheme != "snowflake+http", original: trimmed)
        default:
            throw ConnectionError(.unsupportedScheme, "connection URL scheme '\(scheme)' is not supported: use postgresql://, mysql:// (or mariadb://), http:// (ClickHouse), trino://, databricks://, snowflake://, command: or dry-run:")
        }
    }

    /// The scheme that names a remote service's transport: the default one is the bare name.
    static func remoteScheme(_ kind: ConnectionSpec.Kind, tls: Bool) -> String {
        switch kind {
        case .trino: return tls ? "trino+https" : "trino"
        default: return kind.rawValue + (tls ? "" : "+http")
        }
    }

    /// Trino, Databricks, Snowflake: the path is split into segments; only known options are
    /// accepted (a credential put in the query would otherwise be printed back in messages).
    private static func parseRemote(_ rest: String, kind: ConnectionSpec.Kind, tls: Bool, original: String) throws(ConnectionError) -> ConnectionSpec {
        var spec = try parseNetwork(rest, kind: kind, defaultPort: tls ? 443 : (kind == .trino ? 8080 : 80), original: original)
        spec.useTLS = tls
        spec.database = nil
        let shown = redactGuess(original)
        let (allowed, pathForm): ([String], String) = switch kind {
        case .trino: (["timeout", "connect_timeout"], "/catalog/schema")
        case .databricks: (["catalog", "schema", "timeout", "connect_timeout"], "/warehouse_id")
        default: (["warehouse", "role", "timeout", "connect_timeout"], "/database/schema")
        }
        if let unknown = spec.options.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ConnectionError(.invalidURL, "connection URL '\(remoteScheme(kind, tls: tls))://\(spec.endpoint)…': unknown option '\(unknown)'; \(kind.rawValue) URLs take \(allowed.joined(separator: ", ")) (credentials come from the environment, see docs/sync.md)")
        }
        let maximum = kind == .databricks ? 1 : 2
        if spec.path.count > maximum || spec.path.contains(where: \.isEmpty) {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)': the path must be \(pathForm)\(kind == .databricks ? "" : " (each part optional)")")
        }
        if kind == .databricks && spec.path.isEmpty {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)' names no SQL warehouse: write databricks://HOST/WAREHOUSE_ID (the id from the warehouse's connection details)")
        }
        if kind != .trino && spec.password != nil {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)': \(kind.rawValue) takes no password in the URL; set the token in \(kind == .databricks ? "DATABRICKS_TOKEN" : "SNOWFLAKE_TOKEN")")
        }
        return spec
    }

    private static func parseNetwork(_ rest: String, kind: ConnectionSpec.Kind, defaultPort: Int, original: String) throws(ConnectionError) -> ConnectionSpec {
        let shown = redactGuess(original)
        guard rest.hasPrefix("//") else {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)' must have '//' after the scheme, as in \(kind == .clickhouse ? "http://host:8123" : "\(kind.rawValue)://user@host:port/db")")
        }
        var body = Substring(rest.dropFirst(2))
        var spec = ConnectionSpec(kind: kind)
        if let question = body.firstIndex(of: "?") {
            for pair in body[body.index(after: question)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = try decode(parts[0], what: "query parameter", in: shown)
                spec.options[key] = parts.count > 1 ? try decode(parts[1], what: "query parameter \(key)", in: shown) : ""
            }
            body = body[..<question]
        }
        var authority = body
        if let slash = body.firstIndex(of: "/") {
            authority = body[..<slash]
            let path = body[body.index(after: slash)...]
            if !path.isEmpty {
                spec.database = try decode(path, what: "database name", in: shown)
                var segments: [String] = []
                for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
                    segments.append(try decode(segment, what: "path", in: shown))
                }
                if segments.last == "" { segments.removeLast() }
                spec.path = segments
            }
        }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                spec.user = try decode(userInfo[..<colon], what: "user name", in: shown)
                spec.password = try decode(userInfo[userInfo.index(after: colon)...], what: "password", in: shown)
            } else {
                spec.user = try decode(userInfo, what: "user name", in: shown)
            }
            if spec.user?.isEmpty == true { spec.user = nil }
        }
        var host = authority, portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw ConnectionError(.invalidURL, "connection URL '\(shown)': IPv6 address has no closing ']'")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)' has no host: write \(kind == .clickhouse ? "http://127.0.0.1:8123" : "\(kind.rawValue)://user@127.0.0.1:port/db")")
        }
        spec.host = String(host)
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw ConnectionError(.invalidURL, "connection URL '\(shown)': port '\(portText)' is not a number from 1 to 65535")
            }
            spec.port = port
        } else {
            spec.port = defaultPort
        }
        // PostgreSQL without a database: one session per database the pipeline names (SessionRouter).
        if kind == .mysql && (spec.database ?? "").isEmpty {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)' names no database: add it as the path, as in \(kind.rawValue)://user@\(spec.endpoint)/mydb")
        }
        for key in ["connect_timeout", "timeout"] {
            if let value = spec.options[key], Double(value) == nil {
                throw ConnectionError(.invalidURL, "connection URL '\(shown)': \(key)=\(value) is not a number of seconds")
            }
        }
        return spec
    }

    private static func decode(_ text: Substring, what: String, in shown: String) throws(ConnectionError) -> String {
        guard let value = String(text).removingPercentEncoding else {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)': the \(what) has an invalid percent-encoding (write a literal % as %25)")
        }
        return value
    }

    /// Replaces a password in a URL that may not parse: everything between `user:` and the last `@`.
    public static func redactGuess(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<authority.index(after: colon)]) + "***" + String(text[at...])
    }
}

/// Opens a session for `spec`. `environment` is the process environment to use (passwords:
/// PGPASSWORD, MYSQL_PWD, CLICKHOUSE_PASSWORD / CLICKHOUSE_USER; TRINO_USER, TRINO_PASSWORD,
/// TRINO_TOKEN, DATABRICKS_TOKEN, SNOWFLAKE_TOKEN / SNOWFLAKE_TOKEN_TYPE; PATH to find psql,
/// mariadb and curl).
/// For PostgreSQL and MySQL the session is opened and checked here: a server that is down or a wrong
/// password is a `ConnectionError` now, within the connect timeout, not a failure of every statement.
public func makeExecutor(_ spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) -> SQLExecutor {
    switch spec.kind {
    case .postgresql: return try PostgresExecutor(spec: spec, environment: environment)
    case .mysql: return try MySQLExecutor(spec: spec, environment: environment)
    case .clickhouse: return try ClickHouseExecutor(spec: spec, environment: environment)
    case .trino: return try TrinoExecutor(spec: spec, environment: environment)
    case .databricks: return try DatabricksExecutor(spec: spec, environment: environment)
    case .snowflake: return try SnowflakeExecutor(spec: spec, environment: environment)
    case .command: return CommandExecutor(command: spec.command ?? "", environment: environment, timeout: spec.statementTimeout)
    case .dryRun: return DryRunExecutor()
    }
}

/// Statement text as a client reading a script needs it: without trailing blanks, ending with `;`.
/// A statement that does not end with `;` (or ends with a comment) gets one on a line of its own.
func terminated(_ sql: String) -> String {
    var text = Substring(sql)
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    if text.last == ";" { return String(text) }
    return String(text) + "\n;"
}
