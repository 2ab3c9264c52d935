import TemplateCompiler

/// Which database (or catalog) a connection URL names, and the URL for another one: what the
/// session router needs to know of a connection. (When connection kinds become descriptors, these
/// three facts belong in them.)
///
/// | kind | names its database in | names none | case |
/// |---|---|---|---|
/// | PostgreSQL | the path (`postgresql://u@h/db`) | `postgresql://u@h/` | exact |
/// | Snowflake | the first path segment (`/database/schema`) | no path | folded |
/// | Trino | the first path segment (`/catalog/schema`) | no path | folded |
/// | Databricks | `?catalog=` | no `catalog` | folded |
/// | MySQL, ClickHouse | the path / `?database=`: a default only, statements name their database | | |
/// | `command:`, `dry-run:` | cannot tell | | |
extension ConnectionSpec.Kind {
    /// A URL of this kind may name no database: it then serves each database the pipeline names,
    /// one session each (the kinds whose URL path is otherwise required).
    var opensASessionPerDatabase: Bool { self == .postgresql }
}

extension ConnectionSpec {
    /// The database the connection serves, or nil when it names none.
    public var servedDatabase: String? {
        let named: String?
        switch kind {
        case .postgresql, .mysql, .clickhouse: named = database
        case .snowflake, .trino: named = path.first
        case .databricks: named = options["catalog"]
        case .command, .dryRun: named = nil
        }
        return named.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the connection's kind says which database it reaches (`command:` does not).
    public var knowsItsDatabase: Bool { kind != .command && kind != .dryRun }

    /// Unquoted database and catalog names are folded by these services: `MYDB` and `mydb` are one.
    var foldsDatabaseNames: Bool { kind == .snowflake || kind == .trino || kind == .databricks }

    /// The same connection, to `database`.
    public func serving(_ database: String) -> ConnectionSpec {
        var spec = self
        switch kind {
        case .postgresql, .mysql, .clickhouse: spec.database = database
        case .snowflake, .trino: spec.path = [database]
        case .databricks: spec.options["catalog"] = database
        case .command, .dryRun: break
        }
        return spec
    }

    /// A router for this connection: it serves the database the URL names, or one session per
    /// database when it names none. `open` makes a session for a connection.
    public func router(open: @escaping (ConnectionSpec) throws -> SQLExecutor) -> SessionRouter {
        let base = self
        let serving: SessionRouter.Serving
        if !knowsItsDatabase { serving = .any } else if let served = servedDatabase { serving = .only(served) } else { serving = .each }
        return SessionRouter(serving: serving, caseInsensitive: foldsDatabaseNames) { database in
            try open(database.map(base.serving) ?? base)
        }
    }
}
