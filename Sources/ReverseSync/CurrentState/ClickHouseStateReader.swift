import TemplateCompiler

/// ClickHouse's current state from `system.tables` and `system.columns`: every column's comment,
/// and every table's where the server has `system.tables.comment` (21.x and later; Debian's 18.16
/// has none, and cannot set table comments either). Where table comments cannot be read, table
/// descriptions count as unknown and are written every run.
///
/// The catalog names ClickHouse's databases as schemas (`svc.default.<database>.<table>`), so
/// `CurrentState`'s schema is the database here. ClickHouse has no owners.
struct ClickHouseStateReader: CurrentStateReader {
    let spec: ConnectionSpec
    let environment: [String: String]

    static let systemDatabases = "('system', 'INFORMATION_SCHEMA', 'information_schema')"

    func read() throws(StateReadError) -> CurrentState {
        var hasTableComments = false
        try StateQuery.clickhouse(spec, environment: environment,
                                  sql: "SELECT count() FROM system.columns WHERE database = 'system' AND table = 'tables' AND name = 'comment'") { row in
            hasTableComments = row.first == "1"
        }
        var state = CurrentState(readable: [.description: hasTableComments ? [.table, .column] : [.column]])
        var unexpected: [String?]? = nil
        try StateQuery.clickhouse(spec, environment: environment,
                                  sql: "SELECT name FROM system.databases WHERE name NOT IN \(ClickHouseStateReader.systemDatabases)") { row in
            if let name = row.first, let name { state.schemas[name] = ObjectState() }
        }
        let tableComment = hasTableComments ? "comment" : "''"
        try StateQuery.clickhouse(spec, environment: environment,
                                  sql: "SELECT database, name, \(tableComment) FROM system.tables WHERE database NOT IN \(ClickHouseStateReader.systemDatabases)") { row in
            guard row.count == 3, let schema = row[0], let table = row[1] else {
                if unexpected == nil { unexpected = row }
                return
            }
            state.tables[CurrentState.TableKey(schema, table), default: TableState()].object = ObjectState(description: row[2].flatMap { $0.isEmpty ? nil : $0 })
        }
        try StateQuery.clickhouse(spec, environment: environment,
                                  sql: "SELECT database, table, name, comment FROM system.columns WHERE database NOT IN \(ClickHouseStateReader.systemDatabases)") { row in
            guard row.count == 4, let schema = row[0], let table = row[1], let column = row[2] else {
                if unexpected == nil { unexpected = row }
                return
            }
            state.tables[CurrentState.TableKey(schema, table), default: TableState()].columns[column] = .some(row[3].flatMap { $0.isEmpty ? nil : $0 })
        }
        if let unexpected {
            throw StateReadError("ClickHouse at \(spec.endpoint) answered the current-state query with an unexpected line (\(unexpected.count) fields); nothing was applied")
        }
        return state
    }
}
