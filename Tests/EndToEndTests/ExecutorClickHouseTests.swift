import Foundation
import XCTest
@testable import ReverseSync

/// ClickHouseExecutor against the ClickHouse (18.16 on Debian 12) of scripts/db/start.sh, and
/// against ClickHouse 26 (chdb behind the HTTP front of scripts/engines/chdb_front.py).
/// 18.16 has `ALTER TABLE t COMMENT COLUMN c '…'` but no table or database comments; 26 has all three.
final class ExecutorClickHouseTests: XCTestCase {
    /// Hand-written escaping for this test: backslash escapes, quote as \'.
    func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    func testDDLFailureBetweenGoodStatementsAndByteForByteComment() throws {
        try ddlFailureBetweenGoodStatementsAndByteForByteComment(.clickhouse)
    }

    func testDDLFailureBetweenGoodStatementsAndByteForByteComment26() throws {
        try ddlFailureBetweenGoodStatementsAndByteForByteComment(.clickhouse26)
    }

    func testWrongDatabaseIsAConnectionError26() throws {
        try wrongDatabaseIsAConnectionError(.clickhouse26)
    }

    /// A body of two statements is refused as a whole, as the server does: neither runs.
    func testMultiStatementBodyIsRefused26() throws {
        let executor = try TestDatabases.executor(.clickhouse26)
        let table = TestDatabases.uniqueName("ch_multi")
        let outcome = executor.execute("CREATE TABLE \(table) (id UInt32) ENGINE = Memory; DROP TABLE \(table)")
        XCTAssertFalse(outcome.success)
        XCTAssertTrue(outcome.message?.contains("Multi-statements are not allowed") == true, "\(outcome)")
        XCTAssertEqual(try TestDatabases.query(.clickhouse26, "EXISTS TABLE \(table)"), "0")
    }

    func ddlFailureBetweenGoodStatementsAndByteForByteComment(_ server: TestDatabases.Server) throws {
        let executor = try TestDatabases.executor(server)
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
        // 18.16: "Cannot find column no_such_column"; 26: "Cannot find column `no_such_column` to comment".
        XCTAssertTrue(outcomes[1].message?.contains("Cannot find column") == true && outcomes[1].message?.contains("no_such_column") == true,
                      "\(outcomes[1])")
        XCTAssertEqual(outcomes[2], .ok)
        let comments = "SELECT name, comment FROM system.columns WHERE database = currentDatabase() AND table = '\(table)' ORDER BY name FORMAT TabSeparatedRaw"
        XCTAssertEqual(try TestDatabases.query(server, comments), "id\tthird\nname\tfirst")

        let value = TestDatabases.trickyValue
        XCTAssertEqual(executor.execute("ALTER TABLE \(table) COMMENT COLUMN name \(literal(value));"), .ok)
        XCTAssertEqual(try TestDatabases.query(server,
            "SELECT hex(comment) FROM system.columns WHERE database = currentDatabase() AND table = '\(table)' AND name = 'name'"),
            TestDatabases.hex(value))
        let version = try TestDatabases.query(server, "SELECT version()")
        let tableComment = executor.execute("ALTER TABLE \(table) MODIFY COMMENT \(literal(value))")
        if version.hasPrefix("18.") {
            // Not in 18.16: table comments.
            XCTAssertFalse(tableComment.success)
        } else {
            XCTAssertEqual(tableComment, .ok, version)
            XCTAssertEqual(try TestDatabases.query(server,
                "SELECT hex(comment) FROM system.tables WHERE database = currentDatabase() AND name = '\(table)'"),
                TestDatabases.hex(value))
        }
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
        try wrongDatabaseIsAConnectionError(.clickhouse)
    }

    func wrongDatabaseIsAConnectionError(_ server: TestDatabases.Server) throws {
        var spec = try TestDatabases.spec(server)
        _ = try TestDatabases.executor(server)
        spec.database = "no_such_database_here"
        XCTAssertThrowsError(try makeExecutor(spec, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("no_such_database_here"), "\(error)")
        }
    }
}
