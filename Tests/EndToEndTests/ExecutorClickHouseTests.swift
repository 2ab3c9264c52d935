import Foundation
import XCTest
@testable import ReverseSync

/// ClickHouseExecutor against the ClickHouse (18.16 on Debian 12) of scripts/db/start.sh.
/// 18.16 has `ALTER TABLE t COMMENT COLUMN c '…'` but no table or database comments.
final class ExecutorClickHouseTests: XCTestCase {
    /// Hand-written escaping for this test: backslash escapes, quote as \'.
    func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    func testDDLFailureBetweenGoodStatementsAndByteForByteComment() throws {
        let executor = try TestDatabases.executor(.clickhouse)
        defer { executor.close() }
        let table = TestDatabases.uniqueName("ch_ddl")
        XCTAssertEqual(executor.execute("CREATE TABLE \(table) (id UInt32, name String) ENGINE = MergeTree ORDER BY id"), .ok)
        defer { _ = executor.execute("DROP TABLE IF EXISTS \(table)") }
        let outcomes = [
            executor.execute("ALTER TABLE \(table) COMMENT COLUMN name 'first'"),
            executor.execute("ALTER TABLE \(table) COMMENT COLUMN no_such_column 'x'"),
            executor.execute("ALTER TABLE \(table) COMMENT COLUMN id 'third'"),
        ]
        XCTAssertEqual(outcomes[0], .ok)
        XCTAssertFalse(outcomes[1].success)
        XCTAssertTrue(outcomes[1].message?.contains("Cannot find column no_such_column") == true, "\(outcomes[1])")
        XCTAssertEqual(outcomes[2], .ok)
        let comments = "SELECT name, comment FROM system.columns WHERE database = currentDatabase() AND table = '\(table)' ORDER BY name FORMAT TabSeparatedRaw"
        XCTAssertEqual(try TestDatabases.query(.clickhouse, comments), "id\tthird\nname\tfirst")

        let value = TestDatabases.trickyValue
        XCTAssertEqual(executor.execute("ALTER TABLE \(table) COMMENT COLUMN name \(literal(value));"), .ok)
        XCTAssertEqual(try TestDatabases.query(.clickhouse,
            "SELECT hex(comment) FROM system.columns WHERE database = currentDatabase() AND table = '\(table)' AND name = 'name'"),
            TestDatabases.hex(value))
        // Not in 18.16: table comments.
        XCTAssertFalse(executor.execute("ALTER TABLE \(table) MODIFY COMMENT 'x'").success)
    }

    func testServerDownFailsFastWithAClearMessage() throws {
        let port = TestDatabases.unusedPort()
        let spec = try ConnectionURL.parse("http://someone:secret-pw@127.0.0.1:\(port)/?database=templatec&connect_timeout=3")
        let start = Date()
        XCTAssertThrowsError(try makeExecutor(spec, environment: [:])) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("127.0.0.1:\(port)"), message)
            XCTAssertTrue(message.contains("check that the server runs"), message)
            XCTAssertFalse(message.contains("secret-pw"), message)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 8)
    }

    func testWrongDatabaseIsAConnectionError() throws {
        var spec = try TestDatabases.spec(.clickhouse)
        _ = try TestDatabases.executor(.clickhouse)
        spec.database = "no_such_database_here"
        XCTAssertThrowsError(try makeExecutor(spec, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("no_such_database_here"), "\(error)")
        }
    }
}
