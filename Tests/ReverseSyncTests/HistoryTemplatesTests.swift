import Foundation
import XCTest
@testable import ReverseSync
import TemplateCompiler
import TemplateWorkspace

/// Executed statements → `DatabaseChange`s through the templates in use, in process: the entity in
/// the catalog's names for each namespace mapping, several statements in one query string, a
/// channel's template before the defaults, removals, and what does not match.
final class HistoryTemplatesTests: XCTestCase {
    func statement(_ sql: String, database: String? = "sales") -> ExecutedStatement {
        ExecutedStatement(sql: sql, executedAt: Date(timeIntervalSince1970: 1), user: "alice", database: database, client: "psql", ranByTemplatec: false)
    }

    func summary(_ changes: [DatabaseChange]?) -> [String] {
        (changes ?? []).map { "\($0.entity.displayName) \($0.entity.level.rawValue) \($0.field.rawValue)=\($0.value)" }
    }

    func testPostgresStatementsGiveEntitiesInTheConnectedDatabase() throws {
        let t = try HistoryTemplates(connector: Connectors.connector(.postgres), channels: nil)
        XCTAssertEqual(Set(t.keywords), ["COMMENT", "ALTER"])
        XCTAssertEqual(summary(t.changes(in: statement("COMMENT ON TABLE s.\"Order Items\" IS 'it''s';"), service: "pg")),
                       ["pg.sales.s.Order Items table description=it's"])
        XCTAssertEqual(summary(t.changes(in: statement("comment on column S.t.c is null"), service: "pg")),
                       ["pg.sales.s.t.c column description="], "folded names; a removal is the empty value")
        XCTAssertEqual(summary(t.changes(in: statement("ALTER SCHEMA s OWNER TO \"Bob\""), service: "pg")), ["pg.sales.s schema owner=Bob"])
        XCTAssertEqual(summary(t.changes(in: statement("COMMENT ON DATABASE other IS 'x'"), service: "pg")), ["pg.other database description=x"])
        // The recorded query string held several statements: each is matched alone.
        XCTAssertEqual(summary(t.changes(in: statement("CREATE TABLE s.u (); COMMENT ON TABLE s.u IS 'a;b'; ALTER TABLE s.u OWNER TO x"), service: "pg")),
                       ["pg.sales.s.u table description=a;b", "pg.sales.s.u table owner=x"])
        // Both ran, so the comment is a change (unlike `match`, where a trailing statement never matches).
        XCTAssertEqual(summary(t.changes(in: statement("COMMENT ON TABLE s.t IS 'x' -- fine\n; DROP TABLE s.t"), service: "pg")),
                       ["pg.sales.s.t table description=x"])
        // Not instances: no schema, another literal kind, other DDL.
        for sql in ["COMMENT ON TABLE t IS 'x'", "COMMENT ON TABLE s.t IS E'x'", "COMMENT ON TABLE s.t IS $$x$$",
                    "ALTER TABLE s.t ADD COLUMN b int", "COMMENT ON TABLE s.t IS 'x' DROP TABLE s.t"] {
            XCTAssertNil(t.changes(in: statement(sql), service: "pg"), sql)
        }
        // A template without a database name needs the session's database.
        XCTAssertNil(t.changes(in: statement("COMMENT ON TABLE s.t IS 'x'", database: nil), service: "pg"))
    }

    func testClickHouseDatabasesAreSchemasUnderDefault() throws {
        let t = try HistoryTemplates(connector: Connectors.connector(.clickhouse), channels: nil)
        XCTAssertEqual(t.keywords, ["ALTER"])
        XCTAssertEqual(summary(t.changes(in: statement("ALTER TABLE db.t COMMENT COLUMN c 'a\\\\b\\'c'", database: nil), service: "ch")),
                       ["ch.default.db.t.c column description=a\\b'c"])
        XCTAssertEqual(summary(t.changes(in: statement("ALTER TABLE db.t MODIFY COMMENT ''", database: nil), service: "ch")),
                       ["ch.default.db.t table description="])
    }

    func testAChannelTemplateIsTriedBeforeTheDefaults() throws {
        var channel = Channel(name: "tables")
        channel.sqlTemplate = "COMMENT ON TABLE {schema}.{table} IS 'Synced: {description}';"
        let t = try HistoryTemplates(connector: Connectors.connector(.postgres), channels: [channel])
        XCTAssertEqual(summary(t.changes(in: statement("COMMENT ON TABLE s.t IS 'Synced: X'"), service: "pg")), ["pg.sales.s.t table description=X"])
        XCTAssertEqual(summary(t.changes(in: statement("COMMENT ON TABLE s.t IS 'other'"), service: "pg")), ["pg.sales.s.t table description=other"])
    }

    func testEntityNamesInvertTheNamespaceMapping() {
        for names in [EntityNames(service: "svc", database: "default", schema: "db", table: "t", column: "c", level: .column),
                      EntityNames(service: "svc", database: "default", schema: "db", table: "t", level: .table),
                      EntityNames(service: "svc", database: "default", schema: "db", level: .schema)] {
            XCTAssertEqual(HistoryTemplates.entity(names.variables(.schemaIsDatabase), .schemaIsDatabase, service: "svc", connectedDatabase: nil), names)
        }
        for names in [EntityNames(service: "svc", database: "d", schema: "s", table: "t", column: "c", level: .column),
                      EntityNames(service: "svc", database: "d", level: .database)] {
            XCTAssertEqual(HistoryTemplates.entity(names.variables(.databaseSchema), .databaseSchema, service: "svc", connectedDatabase: nil), names)
        }
        XCTAssertNil(HistoryTemplates.entity([.column: "c"], .databaseSchema, service: "svc", connectedDatabase: "d"))
    }

    func testTheCursorFileIsKeptPerConnectionAndARunThatFailsLeavesIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("history-cursor-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let a = HistoryCursorStore(stateDirectory: dir, spec: try ConnectionURL.parse("postgresql://u:secret@h:5432/a"))
        let b = HistoryCursorStore(stateDirectory: dir, spec: try ConnectionURL.parse("postgresql://u@h:5432/b"))
        XCTAssertNotEqual(a.file, b.file)
        XCTAssertNil(try a.load())
        try a.save(HistoryCursor(engine: "postgresql", position: 42))
        XCTAssertEqual(try a.load(), HistoryCursor(engine: "postgresql", position: 42))
        XCTAssertNil(try b.load())
        XCTAssertFalse(try String(contentsOf: a.file, encoding: .utf8).contains("secret"))
        try "{".write(to: a.file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try a.load()) { XCTAssertTrue("\($0)".contains("remove it"), "\($0)") }
    }
}
