import TemplateCompiler

/// What a database object holds now: its comment and its owner, as the database reports them.
public struct ObjectState: Sendable, Equatable {
    public var description: String?
    public var owner: String?

    public init(description: String? = nil, owner: String? = nil) {
        self.description = description
        self.owner = owner
    }
}

/// A table and its columns as the database holds them now.
public struct TableState: Sendable, Equatable {
    public var object: ObjectState
    /// Column name → its comment (nil: none).
    public var columns: [String: String?]

    public init(object: ObjectState = ObjectState(), columns: [String: String?] = [:]) {
        self.object = object
        self.columns = columns
    }
}

/// The current state of the objects one connection reaches, in the database's own names: schema
/// (MySQL and ClickHouse: the database), table, column. Read once per run by a `CurrentStateReader`.
public struct CurrentState: Sendable {
    /// What the reader could read, per update and level. Anything else is unknown: the diff then
    /// writes the catalog's value whatever the database holds.
    public var readable: [UpdateKind: Set<Level>]
    /// The database the session serves, for connections that reach one database (PostgreSQL).
    /// Entities of another catalog database are not reachable through it.
    public var connectedDatabase: String?
    public var database: ObjectState?
    public var schemas: [String: ObjectState] = [:]
    public var tables: [TableKey: TableState] = [:]

    public struct TableKey: Hashable, Sendable {
        public var schema: String
        public var table: String
        public init(_ schema: String, _ table: String) {
            self.schema = schema
            self.table = table
        }
    }

    public init(readable: [UpdateKind: Set<Level>], connectedDatabase: String? = nil) {
        self.readable = readable
        self.connectedDatabase = connectedDatabase
    }

    public func canRead(_ update: UpdateKind, at level: Level) -> Bool { readable[update]?.contains(level) == true }

    /// What the database holds for an entity, named by the template variables its operation
    /// renders with (`EntityNames.variables`), so the catalog's namespace mapping is applied once.
    public enum Lookup: Equatable {
        /// The object exists; its state (for a column, only the description).
        case found(ObjectState)
        /// The object does not exist here (or is not reachable through this connection): why.
        case missing(String)
    }

    public func lookup(level: Level, _ variables: [Variable: String]) -> Lookup {
        let schema = variables[.schema] ?? ""
        let table = variables[.table] ?? ""
        // A session that serves one database reaches nothing of another, at any level: a table
        // `s.t` of another database would otherwise match this database's `s.t`.
        let database = variables[.database] ?? ""
        if let connectedDatabase, database != connectedDatabase {
            return .missing("database `\(database)` is not the connected database `\(connectedDatabase)`: run again with a connection to it")
        }
        switch level {
        case .database:
            // Where one connection reaches every database (MySQL, ClickHouse), the catalog's
            // database part names no real object: nothing of it is readable.
            return .found(self.database ?? ObjectState())
        case .schema:
            return schemas[schema].map(Lookup.found) ?? .missing("schema `\(schema)` does not exist in the database")
        case .table:
            return tables[TableKey(schema, table)].map { .found($0.object) } ?? .missing("table `\(schema).\(table)` does not exist in the database")
        case .column:
            guard let t = tables[TableKey(schema, table)] else { return .missing("table `\(schema).\(table)` does not exist in the database") }
            let column = variables[.column] ?? ""
            guard let comment = t.columns[column] else { return .missing("column `\(column)` does not exist in table `\(schema).\(table)`") }
            return .found(ObjectState(description: comment))
        }
    }
}

/// Why the current state could not be read.
public struct StateReadError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}

/// Reads the current state of everything one connection reaches.
public protocol CurrentStateReader {
    func read() throws(StateReadError) -> CurrentState
}

public enum CurrentStateReaders {
    /// The reader for a connection, or nil when the connector's state cannot be read (then a
    /// batch sync writes everything the catalog has). Readers exist for PostgreSQL (and
    /// TimescaleDB), MySQL/MariaDB and ClickHouse over their usual connections.
    public static func reader(for spec: ConnectionSpec, connector: Connector, environment: [String: String]) -> CurrentStateReader? {
        switch (spec.kind, connector.id) {
        case (.postgresql, .postgres), (.postgresql, .timescaledb):
            return PostgresStateReader(spec: spec, environment: environment)
        case (.mysql, .mysql):
            return MySQLStateReader(spec: spec, environment: environment)
        case (.clickhouse, .clickhouse) where !spec.useTLS:
            return ClickHouseStateReader(spec: spec, environment: environment)
        default:
            return nil
        }
    }
}
