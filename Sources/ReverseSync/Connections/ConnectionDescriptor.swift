import TemplateCompiler

/// One kind of connection, as data: how its URLs are written, where its credentials come from,
/// which session settings its executor pins (the escaper relies on them), which connectors it can
/// serve, and how its executor is made. `ConnectionURL`, `makeExecutor` and `sync`'s start-up check
/// read these instead of branching on the kind.
public struct ConnectionDescriptor: Sendable {
    /// How the part after the scheme is written.
    public enum Address: Sendable {
        /// `dry-run:`
        case none
        /// `command:<shell command>`
        case command
        /// `scheme://user[:password]@host[:port]/database[?param=value…]`; the database is required.
        case databasePath
        /// `scheme://[user[:password]@]host[:port][/?database=db&setting=…]` (ClickHouse HTTP).
        case databaseQuery
        /// `scheme://[user@]host[:port][/segment…][?option=…]`: a remote service with a fixed set of
        /// options (a credential put in the query would otherwise be printed back in messages).
        case servicePath(ServicePath)

        var isServicePath: Bool { if case .servicePath = self { return true } else { return false } }
    }

    public struct ServicePath: Sendable {
        /// The query options accepted.
        public var options: [String]
        /// How many path segments, at most; at least one when `required` is set.
        public var maximumSegments: Int
        /// `/catalog/schema`, for messages.
        public var form: String
        /// The message when the path is required and missing.
        public var required: String?
        /// The variable that holds the token when the URL must not carry a password; nil: a URL
        /// password is accepted.
        public var tokenVariable: String?
    }

    public let kind: ConnectionSpec.Kind
    /// URL schemes, lower case; the first of each transport is the one printed.
    public let schemes: [(name: String, tls: Bool)]
    /// The port when the URL names none: without TLS, with TLS.
    public let defaultPort: (plain: Int, tls: Int)
    public let address: Address
    /// Environment variables read for credentials (the URL's user and password come first).
    public let credentialVariables: [String]
    /// The settings the executor establishes at session start and verifies, or refuses to run
    /// (`SessionSettings`), as `name = value` for docs and messages.
    public let pinnedSettings: [String]
    /// URL query parameters refused because they would undo a pinned setting, with the reason.
    public let refusedParameters: [String: String]
    /// The connectors whose SQL this kind can run; nil: any (command, dry run).
    public let connectors: Set<ConnectorID>?
    /// Opens a session.
    let factory: @Sendable (ConnectionSpec, [String: String]) throws(ConnectionError) -> SQLExecutor

    /// The scheme printed for this kind and transport.
    public func scheme(tls: Bool) -> String {
        (schemes.first { $0.tls == tls } ?? schemes[0]).name
    }

    /// Whether this kind's sessions can run `connector`'s SQL.
    public func serves(_ connector: ConnectorID) -> Bool { connectors?.contains(connector) ?? true }

    /// The schemes that can serve `connector`, for the usage error of a mismatch.
    public static func schemes(serving connector: ConnectorID) -> [String] {
        all.filter { $0.serves(connector) }.flatMap { d in d.schemes.map { d.address.isCommandOrNone ? $0.name + ":" : $0.name + "://" } }
    }

    public static func of(_ kind: ConnectionSpec.Kind) -> ConnectionDescriptor {
        all.first { $0.kind == kind }!
    }

    /// The descriptor whose schemes include `scheme` (lower case), with the TLS flag of that scheme.
    static func named(_ scheme: String) -> (ConnectionDescriptor, tls: Bool)? {
        for d in all { if let s = d.schemes.first(where: { $0.name == scheme }) { return (d, s.tls) } }
        return nil
    }

    /// Every kind, in the order of the help text.
    public static let all: [ConnectionDescriptor] = [
        ConnectionDescriptor(
            kind: .postgresql, schemes: [("postgresql", false), ("postgres", false)], defaultPort: (5432, 5432),
            address: .databasePath, credentialVariables: ["PGPASSWORD"],
            pinnedSettings: ["standard_conforming_strings = on", "client_encoding = UTF8",
                             "statement_timeout = timeout", "lock_timeout = timeout"],
            refusedParameters: [
                "options": "it sets server settings at connection start, which could turn standard_conforming_strings off or change client_encoding; templatec pins those settings itself",
                "client_encoding": "templatec pins client_encoding to UTF8, the encoding of every value it sends",
                "service": "a pg_service.conf entry can set server options at connection start; give host, port, user and database in the URL",
            ],
            connectors: [.postgres, .redshift, .timescaledb],
            factory: { spec, environment throws(ConnectionError) in try PostgresExecutor(spec: spec, environment: environment) }),
        ConnectionDescriptor(
            kind: .mysql, schemes: [("mysql", false), ("mariadb", false)], defaultPort: (3306, 3306),
            address: .databasePath, credentialVariables: ["MYSQL_PWD"],
            pinnedSettings: ["character_set_client/connection/results = utf8mb4 (SET NAMES)",
                             "sql_mode: read, + STRICT_ALL_TABLES, - ANSI_QUOTES",
                             "max_statement_time = timeout", "lock_wait_timeout = timeout"],
            refusedParameters: [:],
            connectors: [.mysql],
            factory: { spec, environment throws(ConnectionError) in try MySQLExecutor(spec: spec, environment: environment) }),
        ConnectionDescriptor(
            kind: .clickhouse, schemes: [("http", false), ("https", true), ("clickhouse", false)], defaultPort: (8123, 8443),
            address: .databaseQuery, credentialVariables: ["CLICKHOUSE_USER", "CLICKHOUSE_PASSWORD"],
            pinnedSettings: ["request body UTF-8 (Content-Type: text/plain; charset=utf-8)", "max_execution_time = timeout"],
            refusedParameters: [:],
            connectors: [.clickhouse],
            factory: { spec, environment throws(ConnectionError) in try ClickHouseExecutor(spec: spec, environment: environment) }),
        ConnectionDescriptor(
            kind: .trino, schemes: [("trino", false), ("trino+https", true), ("trino+http", false)], defaultPort: (8080, 443),
            address: .servicePath(.init(options: ["timeout", "connect_timeout"], maximumSegments: 2, form: "/catalog/schema",
                                        required: nil, tokenVariable: nil)),
            credentialVariables: ["TRINO_USER", "TRINO_PASSWORD", "TRINO_TOKEN"],
            pinnedSettings: ["statement parameters of the REST API"], refusedParameters: [:],
            connectors: [.trino],
            factory: { spec, environment throws(ConnectionError) in try TrinoExecutor(spec: spec, environment: environment) }),
        ConnectionDescriptor(
            kind: .databricks, schemes: [("databricks", true), ("databricks+https", true), ("databricks+http", false)], defaultPort: (80, 443),
            address: .servicePath(.init(options: ["catalog", "schema", "timeout", "connect_timeout"], maximumSegments: 1, form: "/warehouse_id",
                                        required: "names no SQL warehouse: write databricks://HOST/WAREHOUSE_ID (the id from the warehouse's connection details)",
                                        tokenVariable: "DATABRICKS_TOKEN")),
            credentialVariables: ["DATABRICKS_TOKEN"],
            pinnedSettings: ["statement parameters of the REST API", "${…} substitution guard"], refusedParameters: [:],
            connectors: [.databricks, .unitycatalog],
            factory: { spec, environment throws(ConnectionError) in try DatabricksExecutor(spec: spec, environment: environment) }),
        ConnectionDescriptor(
            kind: .snowflake, schemes: [("snowflake", true), ("snowflake+https", true), ("snowflake+http", false)], defaultPort: (80, 443),
            address: .servicePath(.init(options: ["warehouse", "role", "timeout", "connect_timeout"], maximumSegments: 2, form: "/database/schema",
                                        required: nil, tokenVariable: "SNOWFLAKE_TOKEN")),
            credentialVariables: ["SNOWFLAKE_TOKEN", "SNOWFLAKE_TOKEN_TYPE"],
            pinnedSettings: ["statement parameters of the REST API"], refusedParameters: [:],
            connectors: [.snowflake],
            factory: { spec, environment throws(ConnectionError) in try SnowflakeExecutor(spec: spec, environment: environment) }),
        ConnectionDescriptor(
            kind: .command, schemes: [("command", false)], defaultPort: (0, 0), address: .command,
            credentialVariables: [], pinnedSettings: [], refusedParameters: [:], connectors: nil,
            factory: { spec, environment throws(ConnectionError) in
                CommandExecutor(command: spec.command ?? "", environment: environment, timeout: spec.statementTimeout)
            }),
        ConnectionDescriptor(
            kind: .dryRun, schemes: [("dry-run", false), ("dryrun", false)], defaultPort: (0, 0), address: .none,
            credentialVariables: [], pinnedSettings: [], refusedParameters: [:], connectors: nil,
            factory: { _, _ throws(ConnectionError) in DryRunExecutor() }),
    ]
}

extension ConnectionDescriptor.Address {
    var isCommandOrNone: Bool {
        switch self {
        case .none, .command: return true
        default: return false
        }
    }
}

/// Opens a session for `spec` with its descriptor's factory. `environment` is the process
/// environment to use (credentials: the descriptor's `credentialVariables`; PATH to find psql,
/// mariadb and curl). For PostgreSQL and MySQL the session is opened, given its pinned settings
/// and checked here: a server that is down, a wrong password or a setting that cannot be pinned is
/// a `ConnectionError` now, within the connect timeout, not a failure of every statement.
public func makeExecutor(_ spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) -> SQLExecutor {
    try spec.kind.descriptor.factory(spec, environment)
}

/// `sync`'s start-up check: the connection's kind must be able to run the connector's SQL. Nil when
/// it fits; else the usage error, which names the schemes that fit (and never the password).
public func connectionMismatch(_ spec: ConnectionSpec, connector: Connector) -> String? {
    let descriptor = spec.kind.descriptor
    guard !descriptor.serves(connector.id) else { return nil }
    let fitting = ConnectionDescriptor.schemes(serving: connector.id).filter { !$0.hasPrefix("dry") }
    return "--connector \(connector.id.rawValue) writes \(connector.displayName) SQL, which a \(descriptor.scheme(tls: spec.useTLS)) connection (\(spec.redacted)) cannot run: use \(fitting.joined(separator: ", ")), or the connector that matches the connection"
}
