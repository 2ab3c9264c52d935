import Foundation
import XCTest
@testable import ReverseSync

/// PostgresExecutor against the PostgreSQL of scripts/db/start.sh (skips when it is not running).
final class ExecutorPostgresTests: XCTestCase {
    /// Hand-written escaping for this test (standard_conforming_strings on): double the quote.
    func literal(_ value: String) -> String { "'" + value.replacingOccurrences(of: "'", with: "''") + "'" }

    func testDDLAndCommentOnTable() throws {
        let executor = try TestDatabases.executor(.postgresql)
        defer { executor.close() }
        let table = TestDatabases.uniqueName("pg_ddl")
        XCTAssertEqual(executor.execute("CREATE TABLE \(table) (id int, name text);"), .ok)
        defer { _ = executor.execute("DROP TABLE \(table)") }
        XCTAssertEqual(executor.execute("COMMENT ON TABLE \(table) IS 'plain comment'"), .ok)  // no trailing ;
        XCTAssertEqual(executor.execute("COMMENT ON COLUMN \(table).name IS 'the name';\n-- trailing comment"), .ok)
        XCTAssertEqual(try TestDatabases.query(.postgresql, "SELECT obj_description('\(table)'::regclass, 'pg_class')"), "plain comment")
        XCTAssertEqual(try TestDatabases.query(.postgresql, "SELECT col_description('\(table)'::regclass, 2)"), "the name")
    }

    func testFailingStatementBetweenTwoGoodOnes() throws {
        let executor = try TestDatabases.executor(.postgresql)
        defer { executor.close() }
        let table = TestDatabases.uniqueName("pg_fail")
        XCTAssertTrue(executor.execute("CREATE TABLE \(table) (id int)").success)
        defer { _ = executor.execute("DROP TABLE \(table)") }
        for run in 0..<2 {  // one by one, then pipelined
            let statements = ["COMMENT ON TABLE \(table) IS 'first \(run)'",
                              "COMMENT ON TABLE no_such_table_\(table) IS 'x'",
                              "COMMENT ON COLUMN \(table).id IS 'third \(run)'"]
            let outcomes = run == 0 ? statements.map { executor.execute($0) } : executor.executeAll(statements)
            XCTAssertEqual(outcomes[0], .ok)
            XCTAssertFalse(outcomes[1].success)
            XCTAssertTrue(outcomes[1].message?.contains("relation \"no_such_table_\(table)\" does not exist") == true, "\(outcomes[1])")
            XCTAssertEqual(outcomes[2], .ok)
            XCTAssertEqual(try TestDatabases.query(.postgresql, "SELECT obj_description('\(table)'::regclass, 'pg_class')"), "first \(run)")
            XCTAssertEqual(try TestDatabases.query(.postgresql, "SELECT col_description('\(table)'::regclass, 1)"), "third \(run)")
        }
    }

    func testTrickyLiteralIsStoredByteForByte() throws {
        let executor = try TestDatabases.executor(.postgresql)
        defer { executor.close() }
        let table = TestDatabases.uniqueName("pg_bytes")
        XCTAssertTrue(executor.execute("CREATE TABLE \(table) (id int)").success)
        defer { _ = executor.execute("DROP TABLE \(table)") }
        let value = TestDatabases.trickyValue
        XCTAssertEqual(executor.execute("COMMENT ON TABLE \(table) IS \(literal(value));"), .ok)
        let stored = try TestDatabases.query(.postgresql,
            "SELECT upper(encode(convert_to(obj_description('\(table)'::regclass, 'pg_class'), 'UTF8'), 'hex'))")
        XCTAssertEqual(stored, TestDatabases.hex(value))
        // The session is still in step: the next statement runs and reports normally.
        XCTAssertEqual(executor.execute("COMMENT ON TABLE \(table) IS 'after'"), .ok)
        // E'' strings: psql knows backslash escapes there too.
        XCTAssertEqual(executor.execute("COMMENT ON TABLE \(table) IS E'a\\'b\\\\'"), .ok)
        XCTAssertEqual(try TestDatabases.query(.postgresql, "SELECT obj_description('\(table)'::regclass, 'pg_class')"), "a'b\\")
    }

    func testStatementsPsqlWouldMisreadAreRefusedAndTheSessionGoesOn() throws {
        let executor = try TestDatabases.executor(.postgresql)
        defer { executor.close() }
        let unterminated = executor.execute("COMMENT ON TABLE x IS 'never closed")
        XCTAssertFalse(unterminated.success)
        XCTAssertTrue(unterminated.message?.contains("not closed") == true, "\(unterminated)")
        let metaCommand = executor.execute("SELECT 1 \\gexec")
        XCTAssertFalse(metaCommand.success)
        XCTAssertTrue(metaCommand.message?.contains("meta-command") == true, "\(metaCommand)")
        XCTAssertEqual(executor.execute("SELECT 'still in step'"), .ok)
        XCTAssertEqual(executor.execute("SELECT ':ON_ERROR_STOP'::text, $$\\q$$"), .ok)
    }

    func testManyStatementsPipelined() throws {
        let executor = try TestDatabases.executor(.postgresql)
        defer { executor.close() }
        let table = TestDatabases.uniqueName("pg_many")
        XCTAssertTrue(executor.execute("CREATE TABLE \(table) (id int)").success)
        defer { _ = executor.execute("DROP TABLE \(table)") }
        let statements = (0..<2_000).map { i in i % 500 == 7 ? "COMMENT ON TABLE missing_\(i) IS 'x'" : "COMMENT ON TABLE \(table) IS 'n\(i)'" }
        let outcomes = executor.executeAll(statements)
        // Each failure is reported on its own statement (messages are attributed by psql's line numbers).
        XCTAssertEqual(outcomes.indices.filter { !outcomes[$0].success }, [7, 507, 1007, 1507])
        XCTAssertTrue(outcomes[507].message?.contains("\"missing_507\" does not exist") == true, "\(outcomes[507])")
        XCTAssertEqual(try TestDatabases.query(.postgresql, "SELECT obj_description('\(table)'::regclass, 'pg_class')"), "n1999")
    }

    func testServerDownFailsFastWithAClearMessage() throws {
        _ = try TestDatabases.spec(.postgresql)  // skip where psql is not set up either
        let port = TestDatabases.unusedPort()
        let spec = try ConnectionURL.parse("postgresql://someone:secret-pw@127.0.0.1:\(port)/templatec?connect_timeout=3")
        let start = Date()
        XCTAssertThrowsError(try makeExecutor(spec, environment: TestDatabases.environment)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("127.0.0.1:\(port)"), message)
            XCTAssertTrue(message.contains("Check that the server runs"), message)
            XCTAssertFalse(message.contains("secret-pw"), message)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 8)
    }

    func testWrongPasswordIsAConnectionError() throws {
        var spec = try TestDatabases.spec(.postgresql)
        _ = try TestDatabases.executor(.postgresql)  // skip when the server is down
        spec.password = "wrong-password-value"
        XCTAssertThrowsError(try makeExecutor(spec, environment: [:].merging(TestDatabases.environment.filter { $0.key == "PATH" }) { $1 })) { error in
            XCTAssertTrue("\(error)".contains("password authentication failed"), "\(error)")
            XCTAssertFalse("\(error)".contains("wrong-password-value"))
        }
    }
}
