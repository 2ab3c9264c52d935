import TemplateCompiler

/// MySQL's and MariaDB's current state from `information_schema`: every table's and column's
/// comment in every database but the system ones. The catalog names MySQL's databases as schemas
/// (`svc.default.<database>.<table>`), so `CurrentState`'s schema is the database here.
///
/// MySQL has no owners, and no schema comments (MariaDB's `SCHEMA_COMMENT` is 10.5+ only and
/// outside the connector's matrix), so only table and column descriptions are readable. A view's
/// `TABLE_COMMENT` is the word `VIEW`, not a comment: views count as having none.
struct MySQLStateReader: CurrentStateReader {
    let spec: ConnectionSpec
    let environment: [String: String]

    static let systemDatabases = "('mysql', 'information_schema', 'performance_schema', 'sys')"

    /// Rows: kind (S, T, C), database, table, column, comment.
    static let query = """
        SELECT 'S', SCHEMA_NAME, '', '', '' FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN \(systemDatabases) \
        UNION ALL \
        SELECT 'T', TABLE_SCHEMA, TABLE_NAME, '', IF(TABLE_TYPE = 'VIEW', '', TABLE_COMMENT) FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN \(systemDatabases) \
        UNION ALL \
        SELECT 'C', TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA NOT IN \(systemDatabases)
        """

    func read() throws(StateReadError) -> CurrentState {
        var state = CurrentState(readable: [.description: [.table, .column]])
        var unexpected: [String?]? = nil
        try StateQuery.mysql(spec, environment: environment, sql: MySQLStateReader.query) { row in
            guard row.count == 5, let kind = row[0], let schema = row[1] else {
                if unexpected == nil { unexpected = row }
                return
            }
            let comment = row[4].flatMap { $0.isEmpty ? nil : $0 }
            switch kind {
            case "S": state.schemas[schema] = ObjectState()
            case "T": state.tables[CurrentState.TableKey(schema, row[2] ?? ""), default: TableState()].object = ObjectState(description: comment)
            case "C": state.tables[CurrentState.TableKey(schema, row[2] ?? ""), default: TableState()].columns[row[3] ?? ""] = .some(comment)
            default: if unexpected == nil { unexpected = row }
            }
        }
        if let unexpected {
            throw StateReadError("MySQL at \(spec.endpoint) answered the current-state query with an unexpected line (\(unexpected.count) fields: \(unexpected.prefix(3).map { $0 ?? "NULL" }.joined(separator: " | "))); nothing was applied")
        }
        return state
    }
}
