import Foundation
import XCTest
@testable import ReverseSync

/// MySQLExecutor against the MariaDB of scripts/db/start.sh, in the default sql_mode and with
/// NO_BACKSLASH_ESCAPES (skips when the server is not running).
final class ExecutorMySQLTests: XCTestCase {
    /// Hand-written escaping for this test: backslash escaping (default mode) or quote doubling only.
    func literal(_ value: String, backslashEscapes: Bool) -> String {
        var text = value
        if backslashEscapes { text = text.replacingOccurrences(of: "\\", with: "\\\\") }
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    func executor(noBackslashEscapes: Bool) throws -> MySQLExecutor {
        let options = noBackslashEscapes ? ["sql_mode": "+NO_BACKSLASH_ESCAPES"] : [:]
        let executor = try XCTUnwrap(try TestDatabases.executor(.mysql, options: options) as? MySQLExecutor)
        XCTAssertEqual(executor.noBackslashEscapes, noBackslashEscapes)
        return executor
    }

    func testDDLAndComments() throws {
        for mode in [false, true] {
            let executor = try executor(noBackslashEscapes: mode)
            defer { executor.close() }
            let table = TestDatabases.uniqueName("my_ddl")
            XCTAssertEqual(executor.execute("CREATE TABLE \(table) (id INT, name VARCHAR(20)) DEFAULT CHARSET=utf8mb4"), .ok)
            defer { _ = executor.execute("DROP TABLE \(table)") }
            XCTAssertEqual(executor.execute("ALTER TABLE \(table) COMMENT = 'table comment';"), .ok)
            XCTAssertEqual(executor.execute("ALTER TABLE \(table) MODIFY COLUMN name VARCHAR(20) COMMENT 'column comment'"), .ok)
            XCTAssertEqual(try TestDatabases.query(.mysql, "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '\(table)'"), "table comment")
            XCTAssertEqual(try TestDatabases.query(.mysql, "SELECT COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '\(table)' AND COLUMN_NAME = 'name'"), "column comment")
        }
    }

    func testFailingStatementBetweenTwoGoodOnes() throws {
        for mode in [false, true] {
            let executor = try executor(noBackslashEscapes: mode)
            defer { executor.close() }
            let table = TestDatabases.uniqueName("my_fail")
            XCTAssertTrue(executor.execute("CREATE TABLE \(table) (id INT)").success)
            defer { _ = executor.execute("DROP TABLE \(table)") }
            let statements = ["ALTER TABLE \(table) COMMENT = 'first'",
                              "ALTER TABLE no_such_\(table) COMMENT = 'x'",
                              "INSERT INTO \(table) VALUES (3)"]
            for outcomes in [statements.map { executor.execute($0) }, executor.executeAll(statements)] {
                XCTAssertEqual(outcomes[0], .ok)
                XCTAssertFalse(outcomes[1].success)
                XCTAssertTrue(outcomes[1].message?.hasPrefix("ERROR 1146 (42S02): Table 'templatec.no_such_\(table)' doesn't exist") == true, "\(outcomes[1])")
                XCTAssertEqual(outcomes[2], .ok)
            }
            XCTAssertEqual(try TestDatabases.query(.mysql, "SELECT COUNT(*) FROM \(table)"), "2")
        }
    }

    func testTrickyLiteralIsStoredByteForByte() throws {
        for mode in [false, true] {
            let executor = try executor(noBackslashEscapes: mode)
            defer { executor.close() }
            let table = TestDatabases.uniqueName("my_bytes")
            XCTAssertTrue(executor.execute("CREATE TABLE \(table) (id INT, v TEXT) DEFAULT CHARSET=utf8mb4").success)
            defer { _ = executor.execute("DROP TABLE \(table)") }
            // A utf8mb4 column keeps every character, also outside the BMP.
            let value = TestDatabases.trickyValue
            XCTAssertEqual(executor.execute("INSERT INTO \(table) VALUES (1, \(literal(value, backslashEscapes: !mode)))"), .ok)
            XCTAssertEqual(try TestDatabases.query(.mysql, "SELECT HEX(v) FROM \(table) WHERE id = 1"), TestDatabases.hex(value))
            // Comments are utf8mb3 in MariaDB: BMP characters only.
            let bmp = TestDatabases.trickyBMPValue
            XCTAssertEqual(executor.execute("ALTER TABLE \(table) COMMENT = \(literal(bmp, backslashEscapes: !mode))"), .ok)
            XCTAssertEqual(try TestDatabases.query(.mysql, "SELECT HEX(TABLE_COMMENT) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '\(table)'"), TestDatabases.hex(bmp))
            // Outside the BMP, MariaDB 10.11 stores '?' in a comment, silently (utf8mb4 connection):
            // the renderer must refuse such values for MySQL comments. This pins the server's behaviour.
            XCTAssertEqual(executor.execute("ALTER TABLE \(table) COMMENT = 'emoji 😀'"), .ok)
            XCTAssertEqual(try TestDatabases.query(.mysql, "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '\(table)'"), "emoji ?")
            XCTAssertEqual(executor.execute("SELECT 'in step'"), .ok)
        }
    }

    func testBackslashModeDecidesWhatIsComplete() throws {
        // 'a\' is complete only without backslash escapes: the check must follow the session's mode.
        let strict = try executor(noBackslashEscapes: true)
        defer { strict.close() }
        XCTAssertEqual(strict.execute("SELECT 'a\\'"), .ok)
        let normal = try executor(noBackslashEscapes: false)
        defer { normal.close() }
        let refused = normal.execute("SELECT 'a\\'")
        XCTAssertFalse(refused.success)
        XCTAssertTrue(refused.message?.contains("not closed") == true, "\(refused)")
        XCTAssertEqual(normal.execute("SELECT 'still in step'"), .ok)
    }

    func testWarningsComeBackWithSuccess() throws {
        let executor = try executor(noBackslashEscapes: false)
        defer { executor.close() }
        let outcome = executor.execute("DROP TABLE IF EXISTS \(TestDatabases.uniqueName("absent"))")
        XCTAssertTrue(outcome.success)
        XCTAssertTrue(outcome.message?.contains("Unknown table") == true, "\(String(describing: outcome.message))")
    }

    func testServerDownFailsFastWithAClearMessage() throws {
        _ = try TestDatabases.spec(.mysql)
        let port = TestDatabases.unusedPort()
        let spec = try ConnectionURL.parse("mysql://someone:secret-pw@127.0.0.1:\(port)/templatec?connect_timeout=3")
        let start = Date()
        XCTAssertThrowsError(try makeExecutor(spec, environment: TestDatabases.environment)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("127.0.0.1:\(port)"), message)
            XCTAssertTrue(message.contains("Check that the server runs"), message)
            XCTAssertFalse(message.contains("secret-pw"), message)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 8)
    }
}
