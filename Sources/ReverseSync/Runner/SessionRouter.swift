import TemplateCompiler

/// Which session runs an operation: the one for the database its entity names.
///
/// A statement such as `COMMENT ON TABLE sync.orders IS …` names no database: PostgreSQL applies it
/// to whichever database the session is connected to. So an entity of database `otherdb`, run over a
/// connection to `templatec`, would change `templatec`'s `sync.orders` and answer success. The
/// router prevents that:
///
/// - a connection that names a database serves only that one: an entity of another database is
///   refused with a message naming both, and nothing of it is executed;
/// - a connection that names none gets one session per database the pipeline names, opened when
///   its first statement is due and kept for the rest of the run;
/// - where the connection cannot say which database it reaches (`command:`), or the connector's
///   statements name their database themselves (MySQL, ClickHouse: the catalog's schema part is the
///   real database and every default template qualifies with it), one session serves everything.
///
/// The router knows nothing of how a session is made: `open` gets the database (nil for the
/// connection as given) and answers an executor.
public final class SessionRouter {
    public enum Serving: Equatable, Sendable {
        /// One session for every operation: the connection's database is unknown or irrelevant.
        case any
        /// The connection names this database: it serves only that one.
        case only(String)
        /// The connection names no database: one session per database.
        case each
    }

    /// Why an operation got no session. Nothing of the operation was executed.
    public struct Refusal: Error, Sendable {
        public var message: String
        /// The session could not be opened (a connection failure, which fails the pipeline), as
        /// opposed to an entity the connection does not serve.
        public var connectionFailed: Bool
    }

    public let serving: Serving
    /// Database names compare without case (Snowflake, Databricks and Trino fold unquoted names).
    public let caseInsensitive: Bool
    /// Sessions per database: more than one for `--parallel` (each is used by one thread at a time).
    public var width = 1
    private let open: (String?) throws -> SQLExecutor
    private var sessions: [String: [SQLExecutor]] = [:]
    private var failures: [String: Refusal] = [:]
    /// Sessions in the order they were opened, for closing.
    private var opened: [SQLExecutor] = []

    public init(serving: Serving, caseInsensitive: Bool = false, open: @escaping (String?) throws -> SQLExecutor) {
        self.serving = serving
        self.caseInsensitive = caseInsensitive
        self.open = open
    }

    /// One session for everything, opened by `open`.
    public convenience init(open: @escaping () throws -> SQLExecutor) {
        self.init(serving: .any, open: { _ in try open() })
    }

    /// The messages of the connections that failed, in the order they were tried.
    public private(set) var connectionFailures: [String] = []

    /// The session for an entity of `database` (nil: the statements name their database, any
    /// session of the connection serves).
    public func session(for database: String?) -> Result<SQLExecutor, Refusal> {
        sessions(for: database).map { $0[0] }
    }

    /// The `width` sessions for an entity of `database`, opened together the first time.
    public func sessions(for database: String?) -> Result<[SQLExecutor], Refusal> {
        let target: String?
        switch serving {
        case .any:
            target = nil
        case .only(let served):
            if let database, !same(database, served) {
                return .failure(Refusal(message: "not applied: the entity is in database `\(database)`, but the connection serves database `\(served)`; nothing of it was executed. Give a connection URL without a database to sync every database the pipeline names, or one for `\(database)`", connectionFailed: false))
            }
            target = nil
        case .each:
            target = database
        }
        let key = target.map { caseInsensitive ? $0.lowercased() : $0 } ?? ""
        if let group = sessions[key] { return .success(group) }
        if let failure = failures[key] { return .failure(failure) }
        do {
            var group: [SQLExecutor] = []
            for _ in 0..<max(width, 1) {
                let session = try open(target)
                group.append(session)
                opened.append(session)
            }
            sessions[key] = group
            return .success(group)
        } catch {
            let which = target.map { " to database `\($0)`" } ?? ""
            let message = "could not connect\(which): \(error)"
            connectionFailures.append(message)
            let refusal = Refusal(message: "not applied: \(message)", connectionFailed: true)
            failures[key] = refusal
            return .failure(refusal)
        }
    }

    /// Closes every session opened, in order, and forgets the connections that failed: the end of
    /// a pipeline (the next one starts afresh). Idempotent.
    public func closeAll() {
        for session in opened { session.close() }
        opened.removeAll()
        sessions.removeAll()
        failures.removeAll()
        connectionFailures.removeAll()
    }

    private func same(_ a: String, _ b: String) -> Bool {
        caseInsensitive ? a.lowercased() == b.lowercased() : a == b
    }
}

extension NamespaceMapping {
    /// The database a session must be connected to for an entity with these names, or nil when the
    /// connector's statements name the database themselves.
    func sessionDatabase(_ names: EntityNames) -> String? {
        switch self {
        case .databaseSchema, .catalogSchema, .projectDataset: return names.database
        case .schemaIsDatabase: return nil
        }
    }
}
