import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `templatec sync` under faults, on the real PostgreSQL server: a signal mid-run, the session's
/// backend killed mid-run, a server that accepts and never answers, permission denied and a lock
/// held by another session. In each: every operation has exactly one result, nothing is applied
/// twice, what is reported applied was applied, the exit status is right, and the run record
/// agrees with the response.
///
/// What was applied is read from the database itself: an event trigger logs every COMMENT that
/// commits (with the comment it set) into `sync.applied`, in the same transaction.
final class SyncFaultTests: XCTestCase {
    var dbs: RunnerDatabases!
    var state: StateDirectory!
    var files: [URL] = []

    override func setUpWithError() throws {
        dbs = try RunnerDatabases()
        try dbs.create()
        try dbs.psql(RunnerDatabases.main, """
            CREATE TABLE sync.applied (seq bigserial, comment text);
            CREATE FUNCTION sync.log_comment() RETURNS event_trigger LANGUAGE plpgsql AS $$
              BEGIN INSERT INTO sync.applied (comment) VALUES (obj_description('sync.orders'::regclass)); END $$;
            CREATE EVENT TRIGGER runner_log ON ddl_command_end WHEN TAG IN ('COMMENT') EXECUTE FUNCTION sync.log_comment();
            """)
        state = StateDirectory()
    }

    override func tearDown() {
        dbs?.dropAll()
        state?.remove()
        for f in files { try? FileManager.default.removeItem(at: f) }
    }

    /// A pipeline of `count` descriptions of main's sync.orders: operation i sets `d<i>`.
    func pipeline(_ count: Int) throws -> String {
        let file = try RunnerDatabases.pipelineFile(Array(repeating: "<#E::table::pg.\(RunnerDatabases.main).sync.orders>", count: count))
        files.append(file)
        return file.path
    }

    /// How often each description was applied (committed), from the event trigger's log.
    func applied() throws -> [String: Int] {
        let rows = try dbs.psql(RunnerDatabases.main, "SELECT comment || '=' || count(*) FROM sync.applied GROUP BY comment")
        var counts: [String: Int] = [:]
        for row in rows.split(separator: "\n") {
            let parts = row.split(separator: "=")
            counts[String(parts[0])] = Int(parts[1])
        }
        return counts
    }

    /// The accounting every fault must leave: one result per operation in order, none applied
    /// twice, each reported success applied, a run record equal to the response. Returns the results.
    @discardableResult
    func checkAccounting(_ stdout: String, operations count: Int, file: StaticString = #filePath, line: UInt = #line) throws -> [(id: String, success: Bool, message: String?)] {
        XCTAssertEqual(try SyncE2E.schemaProblems(stdout), [], file: file, line: line)
        let results = SyncE2E.results(try SyncE2E.responses(stdout)[0])
        XCTAssertEqual(results.map(\.id), (0..<count).map(RealEngines.uuid), "one result per operation, in order", file: file, line: line)
        XCTAssertTrue(results.allSatisfy { $0.success || $0.message?.isEmpty == false }, "every failure says why", file: file, line: line)
        let counts = try applied()
        XCTAssertEqual(counts.values.filter { $0 > 1 }.count, 0, "applied twice: \(counts.filter { $0.value > 1 })", file: file, line: line)
        for (i, r) in results.enumerated() where r.success {
            XCTAssertEqual(counts["d\(i)"], 1, "operation \(i) reported applied but was not", file: file, line: line)
        }
        let record = try state.onlyRecord()
        let recorded = StateDirectory.operations(record)
        XCTAssertEqual(recorded.map { $0["id"] as? String }, results.map(\.id), file: file, line: line)
        XCTAssertEqual(recorded.map { $0["success"] as? Bool }, results.map(\.success), file: file, line: line)
        XCTAssertEqual(recorded.map { $0["message"] as? String }, results.map(\.message), file: file, line: line)
        XCTAssertEqual(state.files(".journal"), [], "the journal is removed once the record is written", file: file, line: line)
        return results
    }

    func testSIGTERMMidRunFinishesTheStatementsSentAndAnswersEveryOperation() throws {
        // Enough operations to outlast the signal: it is sent as soon as the first result is in.
        let count = 5_000
        let sync = try BackgroundSync(["sync", try pipeline(count), "--connector", "postgres",
                                       "--connection", dbs.url(RunnerDatabases.main), "--state-dir", state.path])
        XCTAssertTrue(BackgroundSync.until(60) { state.journalHasResults }, "the journal gets results as they happen")
        sync.process.terminate()
        let end = sync.wait()
        XCTAssertTrue(end.bySignal, "ends by the signal, so a calling shell sees 143: \(end.status) \(end.stderr)")
        XCTAssertEqual(end.status, SIGTERM)
        let results = try checkAccounting(end.stdout, operations: count)
        let succeeded = results.filter(\.success).count
        XCTAssertGreaterThan(succeeded, 0)
        XCTAssertLessThan(succeeded, count, "stopped before the end")
        // Applied, then not run: no gap, no failure, and the database holds the last one applied.
        XCTAssertTrue(results.prefix(succeeded).allSatisfy(\.success))
        XCTAssertTrue(results.dropFirst(succeeded).allSatisfy { $0.message?.hasPrefix("not run: the run was stopped (SIGTERM)") == true })
        XCTAssertEqual(try dbs.comment(RunnerDatabases.main), "d\(succeeded - 1)")
        XCTAssertEqual(try applied().count, succeeded, "nothing was applied after the last result")
        let response = try SyncE2E.responses(end.stdout)[0]
        XCTAssertEqual(response["success"] as? Bool, false)
        XCTAssertTrue((response["message"] as? String)?.contains("stopped (SIGTERM) after \(succeeded) of \(count) operations") == true)
        let record = try state.onlyRecord()
        XCTAssertEqual(record["state"] as? String, "stopped")
        XCTAssertEqual(record["stoppedBy"] as? String, "SIGTERM")
    }

    func testTheSessionKilledMidRunLeavesEveryOperationAccountedFor() throws {
        let count = 5_000
        let sync = try BackgroundSync(["sync", try pipeline(count), "--connector", "postgres",
                                       "--connection", dbs.url(RunnerDatabases.main), "--state-dir", state.path])
        XCTAssertTrue(BackgroundSync.until(60) { state.journalHasResults })
        let killed = try dbs.psql("postgres", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '\(RunnerDatabases.main)' AND application_name = 'templatec'")
        let end = sync.wait()
        XCTAssertFalse(end.bySignal, end.stderr)
        let results = try checkAccounting(end.stdout, operations: count)
        if killed == "1" {
            XCTAssertEqual(end.status, 1, "some operations failed")
            XCTAssertTrue(results.contains { !$0.success && $0.message?.contains("PostgreSQL") == true })
        }
    }

    func testAServerThatAcceptsAndNeverAnswersFailsEveryOperationWithinTheConnectTimeout() throws {
        let hole = try BlackHole()
        let start = Date()
        let r = try SyncE2E.run(["sync", try pipeline(3), "--connector", "postgres", "--state-dir", state.path,
                                 "--connection", "postgresql://templatec@127.0.0.1:\(hole.port)/\(RunnerDatabases.main)?connect_timeout=1"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        XCTAssertEqual(r.status, 1)
        let results = try checkAccounting(r.stdout, operations: 3)
        XCTAssertTrue(results.allSatisfy { !$0.success && $0.message?.hasPrefix("not applied: could not connect") == true }, "\(results)")
        XCTAssertEqual(try SyncE2E.responses(r.stdout)[0]["success"] as? Bool, false)
    }

    func testPermissionDeniedFailsEachOperationWithTheServersMessage() throws {
        try dbs.psql("postgres", "DROP ROLE IF EXISTS runner_nobody; CREATE ROLE runner_nobody LOGIN PASSWORD 'runner_pw'")
        defer {
            _ = try? dbs.psql(RunnerDatabases.main, "REVOKE ALL ON SCHEMA sync FROM runner_nobody")
            _ = try? dbs.psql("postgres", "DROP ROLE IF EXISTS runner_nobody")
        }
        try dbs.psql(RunnerDatabases.main, "GRANT USAGE ON SCHEMA sync TO runner_nobody")
        let url = dbs.url(RunnerDatabases.main).replacingOccurrences(of: "://templatec:templatec@", with: "://runner_nobody:runner_pw@")
        guard url.contains("runner_nobody") else { throw XCTSkip("the server URL has no templatec:templatec credentials to replace") }
        let r = try SyncE2E.run(["sync", try pipeline(3), "--connector", "postgres", "--connection", url, "--state-dir", state.path])
        XCTAssertEqual(r.status, 1)
        let results = try checkAccounting(r.stdout, operations: 3)
        XCTAssertTrue(results.allSatisfy { !$0.success && $0.message?.contains("must be owner") == true }, "\(results)")
        XCTAssertEqual(try SyncE2E.responses(r.stdout)[0]["success"] as? Bool, true, "the session worked: the failures are the operations'")
        XCTAssertEqual(try applied().count, 0)
    }

    func testALockHeldByAnotherSessionEndsAtTheServersStatementTimeout() throws {
        // Another session holds the table until we let go.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["psql", dbs.url(RunnerDatabases.main), "-X", "-q", "-A", "-t"]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        holder.standardError = output
        try holder.run()
        input.fileHandleForWriting.write(Data("BEGIN; LOCK TABLE sync.orders IN ACCESS EXCLUSIVE MODE; SELECT 'locked';\n".utf8))
        XCTAssertTrue(BackgroundSync.until(10) {
            (try? dbs.psql(RunnerDatabases.main, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'orders' AND l.mode = 'AccessExclusiveLock' AND l.granted")) == "1"
        })
        // The statement timeout is given to the server (statement_timeout, lock_timeout): the
        // statement that waits for the lock ends there, with an error, and is never applied.
        let url = dbs.url(RunnerDatabases.main) + "?timeout=1"
        let start = Date()
        let r = try SyncE2E.run(["sync", try pipeline(2), "--connector", "postgres", "--connection", url, "--state-dir", state.path])
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
        // Let go, and give a statement the server did not really cancel time to land.
        input.fileHandleForWriting.write(Data("ROLLBACK;\n".utf8))
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(r.status, 1)
        let results = try checkAccounting(r.stdout, operations: 2)
        XCTAssertTrue(results.allSatisfy { !$0.success && $0.message?.contains("timeout") == true }, "\(results)")
        XCTAssertEqual(try applied().count, 0, "a statement reported failed must not be applied when the lock is released")
        XCTAssertEqual(try dbs.comment(RunnerDatabases.main), "<none>")
    }
}

/// A TCP server that accepts connections (the kernel completes the handshake for the listen
/// backlog) and never answers.
final class BlackHole {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw XCTSkip("cannot listen on 127.0.0.1") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
