import Foundation

/// Why a connection could not be made or a URL not understood. `description` says what failed,
/// where (host:port, never a password) and what to do.
public struct ConnectionError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case invalidURL, unsupportedScheme, clientNotFound, clientFailed, connectionFailed, timedOut
        /// The session could not be given the settings its escaping relies on (see `SessionSettings`).
        case sessionContract
    }
    public var kind: Kind
    public var message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Where and how to connect: parsed from a connection URL by `ConnectionURL.parse`. What differs
/// between kinds (schemes, ports, credentials, pinned settings, connectors) is in
/// `ConnectionDescriptor`, not here.
public struct ConnectionSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case postgresql, mysql, clickhouse, trino, databricks, snowflake, command, dryRun = "dry-run"

        /// This kind's descriptor.
        public var descriptor: ConnectionDescriptor { ConnectionDescriptor.of(self) }
        /// Trino, Databricks and Snowflake: HTTP services reached by `Executors/Remote/`.
        var isRemoteService: Bool { descriptor.address.isServicePath }
    }
    public var kind: Kind
    public var host: String = ""
    public var port: Int = 0
    public var user: String?
    /// From the URL; the executors fall back to the descriptor's credential variables.
    public var password: String?
    public var database: String?
    /// Query parameters, decoded. Recognized: `connect_timeout` and `timeout` (seconds, all kinds),
    /// `sql_mode` (MySQL); `https` scheme for ClickHouse sets `useTLS`. Others are passed to the
    /// client where it has a place for them (libpq parameters, ClickHouse settings), except those
    /// that would undo a pinned setting (refused by `ConnectionURL.parse`).
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
        let descriptor = kind.descriptor
        let scheme = descriptor.scheme(tls: useTLS)
        var text = ""
        switch descriptor.address {
        case .none: return "\(scheme):"
        case .command: return "\(scheme):\(command ?? "")"
        case .databasePath, .databaseQuery, .servicePath:
            text = "\(scheme)://"
            if let user { text += user + (password == nil ? "" : ":***") + "@" }
            text += endpoint
        }
        var query = options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        switch descriptor.address {
        case .databasePath:
            if let database { text += "/" + database }
        case .databaseQuery:
            if let database { query.insert("database=\(database)", at: 0) }
            if !query.isEmpty { text += "/" }
        case .servicePath:
            if !path.isEmpty { text += "/" + path.joined(separator: "/") }
        case .none, .command: break
        }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    func seconds(_ option: String, default value: Double) -> Double {
        options[option].flatMap(Double.init).map { max($0, 0.1) } ?? value
    }
    /// The default of `connect_timeout`, in seconds (docs/sync.md).
    public static let defaultConnectTimeout: Double = 10
    /// The default of `timeout`, in seconds (docs/sync.md).
    public static let defaultStatementTimeout: Double = 300
    /// How long to wait for a connection (`connect_timeout`, default 10 s).
    var connectTimeout: Double { seconds("connect_timeout", default: Self.defaultConnectTimeout) }
    /// How long one statement may run (`timeout`, default 300 s). The server is told the same
    /// bound where it has one (PostgreSQL `statement_timeout` and `lock_timeout`, MariaDB
    /// `max_statement_time` and `lock_wait_timeout`), so a statement stopped by it ends on the
    /// server, not only in templatec; the client waits a grace period longer (`clientWait`).
    var statementTimeout: Double { seconds("timeout", default: Self.defaultStatementTimeout) }
    /// How long templatec waits for one statement's answer before it gives up on the session: the
    /// server's own timeout plus time for its error to arrive.
    var clientWait: Double { statementTimeout + min(max(statementTimeout * 0.5, 2), 10) }
}
