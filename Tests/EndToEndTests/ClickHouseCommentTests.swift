import Foundation
import XCTest
@testable import ReverseSync
@testable import TemplateCompiler

/// Table and database comments, which ClickHouse 26 has and 18.16 has not: the connector's table
/// default and the schema-level `ALTER DATABASE {schema} MODIFY COMMENT {description}` (for this
/// connector the catalog's schema is the ClickHouse database), rendered with every hostile value,
/// run by ClickHouseExecutor and read back as hex from system.tables / system.databases.
final class ClickHouseCommentTests: XCTestCase {
    static let databaseComment = "-- templatec: dialect=clickhouse update=description level=schema\nALTER DATABASE {schema} MODIFY COMMENT {description}"

    func testDatabaseCommentTemplateIsSchemaLevelAndClean() {
        let analysis = Analyzer.analyze(TemplateSource(Self.databaseComment))
        XCTAssertEqual(analysis.diagnostics.map(\.code), [])
        XCTAssertEqual(analysis.template.statements.first?.classification?.level, .schema)
    }

    func testTableAndDatabaseCommentsRoundTrip26() throws { try roundTrip(.clickhouse26) }

    /// 18.16 has neither form: both fail with the server's message.
    func testTableAndDatabaseCommentsFailOn18() throws {
        let executor = try TestDatabases.executor(.clickhouse)
        defer { executor.close() }
        let version = try TestDatabases.query(.clickhouse, "SELECT version()")
        try XCTSkipUnless(version.hasPrefix("18."), "the server is \(version), not 18.16")
        let db = "rt_\(RoundTrip.random())_cmt"
        XCTAssertEqual(executor.execute("CREATE DATABASE \(db)"), .ok)
        defer { _ = executor.execute("DROP DATABASE IF EXISTS \(db)") }
        XCTAssertEqual(executor.execute("CREATE TABLE \(db).t (id UInt32) ENGINE = Memory"), .ok)
        for sql in try statements(db, "t", "x").map(\.sql) {
            let outcome = executor.execute(sql)
            XCTAssertFalse(outcome.success, sql)
            XCTAssertTrue(outcome.message?.contains("Syntax error") == true, "\(outcome)")
        }
    }

    /// The table default and the database comment for one value.
    func statements(_ db: String, _ table: String, _ value: String) throws -> [(what: String, sql: String)] {
        let tableDefault = try XCTUnwrap(Connectors.connector(.clickhouse).defaultTemplate(.description, .table, .set)).text
        var out: [(String, String)] = []
        for (what, text, level) in [("table", tableDefault, Level.table), ("database", Self.databaseComment, Level.schema)] {
            let compiled = try XCTUnwrap(RoundTrip.compile(text, .clickhouse, level: level))
            if case .sql(let sql) = RoundTrip.render(compiled, [.schema: db, .table: table, .description: value]) { out.append((what, sql)) }
        }
        return out
    }

    func roundTrip(_ server: TestDatabases.Server) throws {
        let setup = try TestDatabases.executor(server)
        defer { setup.close() }
        let version = try TestDatabases.query(server, "SELECT version()")
        let tally = RoundTrip.Tally("ClickHouse \(version) table and database comments")
        let db = "rt_\(RoundTrip.random())_cmt"
        XCTAssertEqual(setup.execute("CREATE DATABASE \(db)"), .ok)
        defer { _ = setup.execute("DROP DATABASE IF EXISTS \(db)") }
        XCTAssertEqual(setup.execute("CREATE TABLE \(db).t (id UInt32) ENGINE = MergeTree ORDER BY id"), .ok)
        let readTable = "SELECT hex(comment) FROM system.tables WHERE database = '\(db)' AND name = 't'"
        let readDatabase = "SELECT hex(comment) FROM system.databases WHERE name = '\(db)'"
        for value in RoundTrip.values + [RoundTrip.long(10_000)] {
            let rendered = try statements(db, "t", value)
            if value.contains("\u{0}") {
                XCTAssertEqual(rendered.count, 0, "NUL was rendered")
                tally.refused["RND301", default: 0] += 2
                continue
            }
            XCTAssertEqual(rendered.count, 2)
            for (what, sql) in rendered {
                tally.executed += 1
                XCTAssertEqual(setup.execute(sql), .ok, sql)
                let hex = try TestDatabases.query(server, what == "table" ? readTable : readDatabase)
                RoundTrip.compare(RoundTrip.bytes(hex: Substring(hex)), value,
                                  what: "\(what) comment \(value.debugDescription.prefix(80)) rendered \(sql.debugDescription.prefix(300))", tally: tally)
            }
        }
        tally.printSummary()
        XCTAssertEqual(tally.failed, 0, tally.summary)
    }
}
