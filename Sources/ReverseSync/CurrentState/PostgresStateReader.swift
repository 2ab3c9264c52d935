import TemplateCompiler

/// PostgreSQL's current state, in one `COPY (…) TO STDOUT` through psql: the connected database's
/// comment and owner, every schema's, every table's (tables, views, materialized views, foreign and
/// partitioned tables) and every column's comment. System schemas are left out.
///
/// Comments come from `pg_description` / `pg_shdescription`, owners as role names
/// (`pg_get_userbyid`), exactly as `COMMENT ON` and `OWNER TO` wrote them.
struct PostgresStateReader: CurrentStateReader {
    let spec: ConnectionSpec
    let environment: [String: String]

    static let userSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'"
    static let relationKinds = "c.relkind IN ('r', 'p', 'v', 'm', 'f')"

    /// Rows: kind (D, S, T, C), schema, table, column, comment, owner.
    static let query = """
        COPY (
        SELECT 'D', d.datname, NULL, NULL, sd.description, pg_get_userbyid(d.datdba)
          FROM pg_database d
          LEFT JOIN pg_shdescription sd ON sd.objoid = d.oid AND sd.classoid = 'pg_database'::regclass
         WHERE d.datname = current_database()
        UNION ALL
        SELECT 'S', n.nspname, NULL, NULL, ds.description, pg_get_userbyid(n.nspowner)
          FROM pg_namespace n
          LEFT JOIN pg_description ds ON ds.objoid = n.oid AND ds.classoid = 'pg_namespace'::regclass AND ds.objsubid = 0
         WHERE \(userSchemas)
        UNION ALL
        SELECT 'T', n.nspname, c.relname, NULL, ds.description, pg_get_userbyid(c.relowner)
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
         WHERE \(relationKinds) AND \(userSchemas)
        UNION ALL
        SELECT 'C', n.nspname, c.relname, a.attname, ds.description, NULL
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_description ds ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = a.attnum
         WHERE a.attnum > 0 AND NOT a.attisdropped AND \(relationKinds) AND \(userSchemas)
        ) TO STDOUT
        """

    func read() throws(StateReadError) -> CurrentState {
        var state = CurrentState(readable: [.description: [.database, .schema, .table, .column], .owner: [.database, .schema, .table]],
                                 connectedDatabase: spec.database)
        var unexpected: [String?]? = nil
        try StateQuery.postgres(spec, environment: environment, sql: PostgresStateReader.query) { row in
            guard row.count == 6, let kind = row[0], let first = row[1] else {
                if unexpected == nil { unexpected = row }
                return
            }
            let object = ObjectState(description: row[4], owner: row[5])
            switch kind {
            case "D":
                state.database = object
                state.connectedDatabase = first
            case "S": state.schemas[first] = object
            case "T":
                let key = CurrentState.TableKey(first, row[2] ?? "")
                state.tables[key, default: TableState()].object = object
            case "C":
                let key = CurrentState.TableKey(first, row[2] ?? "")
                state.tables[key, default: TableState()].columns[row[3] ?? ""] = .some(row[4])
            default:
                if unexpected == nil { unexpected = row }
            }
        }
        if let unexpected {
            throw StateReadError("PostgreSQL at \(spec.endpoint) answered the current-state query with an unexpected line (\(unexpected.count) fields: \(unexpected.prefix(3).map { $0 ?? "NULL" }.joined(separator: " | "))); nothing was applied")
        }
        return state
    }
}
