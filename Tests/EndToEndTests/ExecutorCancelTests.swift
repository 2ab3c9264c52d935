import Foundation
import XCTest
@testable import ReverseSync

/// When templatec gives up waiting for a statement (a server that does not honour its statement
/// timeout: here the session turned it off itself), it ends the statement's server session over a
/// second connection, so the statement is rolled back instead of being applied later.
final class ExecutorCancelTests: XCTestCase {
    /// Runs `sleep` (60 s) after `setup` with timeout=1; the result names `ended`, the server no
    /// longer runs it (`running` counts it), and the next statement opens a new session.
    private func assertEndedOnTheServer(_ server: TestDatabases.Server, options: [String: String], setup: [String], sleep: String,
                                        ended: String, running: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let executor = try TestDatabases.executor(server, options: options.merging(["timeout": "1"]) { a, _ in a })
        defer { executor.close() }
        for statement in setup { XCTAssertEqual(executor.execute(statement), .ok, file: file, line: line) }
        let started = Date()
        let outcome = executor.execute(sleep)
        XCTAssertLessThan(Date().timeIntervalSince(started), 15, file: file, line: line)
        XCTAssertFalse(outcome.success, file: file, line: line)
        XCTAssertTrue(outcome.message?.contains(ended) == true, outcome.message ?? "", file: file, line: line)
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(try TestDatabases.query(server, running), "0", "the server no longer runs the statement", file: file, line: line)
        XCTAssertEqual(executor.execute("SELECT 1"), .ok, file: file, line: line)
    }

    func testPostgresEndsTheBackendOfAStatementItStoppedWaitingFor() throws {
        try assertEndedOnTheServer(.postgresql, options: ["application_name": "session_cancel"],
                                   setup: ["SET statement_timeout = 0", "SET lock_timeout = 0"], sleep: "SELECT pg_sleep(60)",
                                   ended: "pg_terminate_backend",
                                   running: "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'session_cancel' AND query LIKE 'SELECT pg_sleep(60)%'")
    }

    func testMariaDBKillsTheConnectionOfAStatementItStoppedWaitingFor() throws {
        try assertEndedOnTheServer(.mysql, options: [:], setup: ["SET SESSION max_statement_time = 0"], sleep: "SELECT SLEEP(60), 'session_cancel'",
                                   ended: "KILL", running: "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(60), %'")
    }
}
