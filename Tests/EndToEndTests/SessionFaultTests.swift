import Foundation
import XCTest

/// The session contract under faults, on the real servers: a lock held by another session ends
/// within the statement timeout on the server (and the statement is not applied later), a
/// PostgreSQL session lost mid-batch reports the statements it committed as applied, passwords
/// never reach a command line, and a connector that does not fit the connection is a usage error.
final class SessionFaultTests: XCTestCase {
    /// A client process holding a lock until it is stopped (by the test, by pid).
    private final class LockHolder {
        let process = Process()
        init(_ arguments: [String], sql: String) throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data(sql.utf8))
            try? input.fileHandleForWriting.close()
        }
        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    /// Polls until `condition` holds (at most `seconds`).
    private func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        try Self.waitUntil(seconds, condition)
    }

    private static func waitUntil(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// Command lines of every process, sampled while `body` runs.
    private func commandLines(during body: () throws -> Void) rethrows -> [String] {
        final class Box: @unchecked Sendable { var lines: Set<String> = []; var done = false; let lock = NSLock() }
        let box = Box()
        let sampler = Thread {
            while true {
                box.lock.lock(); let done = box.done; box.lock.unlock()
                if done { break }
                if let (_, out) = try? RealEngines.shell(["ps", "-eo", "args"]) {
                    box.lock.lock(); box.lines.formUnion(out.split(separator: "\n").map(String.init)); box.lock.unlock()
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        sampler.start()
        defer { box.lock.lock(); box.done = true; box.lock.unlock() }
        try body()
        Thread.sleep(forTimeInterval: 0.1)
        box.lock.lock(); defer { box.lock.unlock() }
        return Array(box.lines)
    }

    // MARK: PostgreSQL

    /// Another session that holds an exclusive lock on `schema.table` until released.
    private func holdPostgresLock(_ pg: ConnectionParts, _ schema: String, _ table: String) throws -> LockHolder {
        let holder = try LockHolder(["env", "PGPASSWORD=\(pg.password)", "PGAPPNAME=\(schema)_holder", "psql", "-X", "-q", "-h", pg.host, "-p", String(pg.port), "-U", pg.user, "-d", pg.database],
                                    sql: "BEGIN; LOCK TABLE \(schema).\(table) IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);\n")
        XCTAssertTrue(try waitUntil(10) {
            try SessionContract.psql(pg, "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = '\(table)' AND c.relnamespace = '\(schema)'::regnamespace AND l.granted") != "0"
        }, "the other session holds the lock")
        return holder
    }

    /// Ends the lock holder's backend (a stopped psql leaves it sleeping with the lock) and psql.
    private func releasePostgresLock(_ pg: ConnectionParts, _ holder: LockHolder, _ schema: String) throws {
        try SessionContract.psql(pg, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(schema)_holder'")
        holder.stop()
    }

    /// A statement waiting for a lock ends on the server at the URL's timeout (`lock_timeout`,
    /// `statement_timeout`); the others of the batch are applied; the blocked one is not applied
    /// when the lock is released. While it waits, no command line holds the password.
    func testPostgresLockWaitEndsWithinTheStatementTimeoutAndNoPasswordIsOnACommandLine() throws {
        let pg = try SessionContract.postgres()
        let role = "session_lock_" + SessionContract.random(), password = "pw_" + SessionContract.random() + SessionContract.random()
        let schema = "session_lock_" + SessionContract.random()
        try SessionContract.psql(pg, "CREATE ROLE \(role) LOGIN SUPERUSER PASSWORD '\(password)'")
        try SessionContract.postgresTables(pg, database: pg.database, schema: schema, count: 3)
        defer { _ = try? SessionContract.psql(pg, "DROP SCHEMA IF EXISTS \(schema) CASCADE; DROP ROLE IF EXISTS \(role)") }
        let holder = try holdPostgresLock(pg, schema, "t1")
        defer { try? releasePostgresLock(pg, holder, schema) }
        var result: (SyncE2E.Result, [(id: String, success: Bool, message: String?)])!
        let started = Date()
        let lines = try commandLines {
            result = try SessionContract.sync((0..<3).map { RealEngines.description($0 + 1, "<#E::table::pg.\(pg.database).\(schema).t\($0)>", "d\($0)") },
                                              service: "pg", connector: "postgres", url: pg.url(scheme: "postgresql", user: role, password: password, query: "timeout=2"))
        }
        let elapsed = Date().timeIntervalSince(started)
        let (r, results) = result!
        XCTAssertLessThan(elapsed, 30, "the lock wait ended within the timeout, not at the lock holder's end")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(results.map(\.success), [true, false, true], "\(results)")
        XCTAssertTrue(results[1].message?.contains("lock timeout") == true || results[1].message?.contains("statement timeout") == true, "\(results)")
        XCTAssertTrue(lines.contains { $0.contains("psql") && $0.contains(role) }, "the sampler saw psql's command line")
        XCTAssertEqual(lines.filter { $0.contains(password) }, [], "no command line holds the password")
        try releasePostgresLock(pg, holder, schema)
        Thread.sleep(forTimeInterval: 0.5)
        let stored = try SessionContract.postgresComments(pg, database: pg.database, schema: schema)
        XCTAssertEqual(stored.mapValues { String(decoding: $0, as: UTF8.self) }, ["t0": "d0", "t2": "d2"], "the blocked statement was not applied after the lock was released")
    }

    /// The session is killed while statement 40 of a 60-statement batch waits: the 40 before it
    /// were committed and are reported applied, the one cut off failed, the rest were not run.
    func testPostgresSessionLostMidBatchReportsCommittedStatementsAsApplied() throws {
        let pg = try SessionContract.postgres()
        let schema = "session_lost_" + SessionContract.random()
        try SessionContract.postgresTables(pg, database: pg.database, schema: schema, count: 60)
        defer { _ = try? SessionContract.psql(pg, "DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        let holder = try holdPostgresLock(pg, schema, "t40")
        defer { try? releasePostgresLock(pg, holder, schema) }
        // Kill templatec's backend once it waits for the lock.
        let killer = Thread {
            _ = try? SessionFaultTests.waitUntil(20) {
                (try? SessionContract.psql(pg, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'templatec' AND wait_event_type = 'Lock' AND query LIKE '%\(schema).t40 %'")) == "t"
            }
        }
        killer.start()
        let (r, results) = try SessionContract.sync((0..<60).map { RealEngines.description($0 + 1, "<#E::table::pg.\(pg.database).\(schema).t\($0)>", "d\($0)") },
                                                    service: "pg", connector: "postgres", url: pg.url(scheme: "postgresql", query: "timeout=30"))
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(results.count, 60)
        XCTAssertEqual(results.prefix(40).filter { !$0.success }.map { "\($0.id): \($0.message ?? "")" }, [], "the statements before the loss were committed and are reported applied")
        XCTAssertEqual(results.dropFirst(40).filter(\.success).map(\.id), [], "the statement cut off and those after it are failures")
        XCTAssertTrue(results.dropFirst(41).allSatisfy { $0.message?.contains("not applied") == true }, "\(results.dropFirst(41).first.map { "\($0)" } ?? "")")
        try releasePostgresLock(pg, holder, schema)
        let stored = try SessionContract.postgresComments(pg, database: pg.database, schema: schema)
        XCTAssertEqual(stored.count, 40, "exactly the 40 reported applied are stored: \(stored.keys.sorted())")
    }

    // MARK: MariaDB

    func testMariaDBLockWaitEndsWithinTheStatementTimeout() throws {
        let m = try SessionContract.mariadb(TestDatabases.url(.mysql))
        let db = "session_lock_" + SessionContract.random()
        try SessionContract.mysqlTables(m, db: db, count: 3)
        defer { _ = try? SessionContract.mysql(m, "DROP DATABASE IF EXISTS \(db)") }
        let holder = try LockHolder(["env", "MYSQL_PWD=\(m.password)", "mariadb", "--no-defaults", "--protocol=TCP", "-h", m.host, "-P", String(m.port), "-u", m.user],
                                    sql: "LOCK TABLES \(db).t1 WRITE; SELECT SLEEP(60);\n")
        defer { holder.stop() }
        XCTAssertTrue(try waitUntil(10) {
            try SessionContract.mysql(m, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(60)%'") != "0"
        })
        let started = Date()
        let (r, results) = try SessionContract.sync((0..<3).map { RealEngines.description($0 + 1, "<#E::table::my.default.\(db).t\($0)>", "d\($0)") },
                                                    service: "my", connector: "mysql", url: m.url(scheme: "mysql", query: "timeout=2"))
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(results.map(\.success), [true, false, true], "\(results)")
        XCTAssertTrue(results[1].message?.contains("Lock wait timeout") == true || results[1].message?.contains("max_statement_time") == true, "\(results)")
        holder.stop()
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(try SessionContract.mysqlComments(m, db: db).mapValues { String(decoding: $0, as: UTF8.self) }, ["t0": "d0", "t2": "d2"])
    }

    // MARK: start-up

    /// `--connector` and the connection's kind must fit: exit 2 at once, with the schemes that fit,
    /// before any connection (a port where nothing listens proves no wait).
    func testConnectorThatDoesNotFitTheConnectionIsAUsageError() throws {
        let port = TestDatabases.unusedPort()
        let cases: [(connector: String, url: String, fitting: String)] = [
            ("mysql", "postgresql://u:secret@127.0.0.1:\(port)/db", "mysql://"),
            ("postgres", "mysql://u:secret@127.0.0.1:\(port)/db", "postgresql://"),
            ("clickhouse", "postgresql://u:secret@127.0.0.1:\(port)/db", "http://"),
            ("redshift", "mysql://u@127.0.0.1:\(port)/db", "postgresql://"),
            // An unencoded '/' or '?' in the password is never echoed.
            ("mysql", "postgresql://u:se/cr?et@127.0.0.1:\(port)/db", "mysql://"),
        ]
        for c in cases {
            let started = Date()
            let (r, _) = try SessionContract.sync([RealEngines.description(1, "<#E::table::svc.db.s.t>", "x")], service: "svc", connector: c.connector, url: c.url)
            XCTAssertEqual(r.status, 2, "\(c): \(r.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(started), 5, "no connection attempt")
            XCTAssertTrue(r.stderr.contains(c.fitting), "\(c): names the schemes that fit: \(r.stderr)")
            for secret in ["secret", "se/cr", "cr?et"] { XCTAssertFalse(r.stderr.contains(secret), "\(c): the password is not printed: \(r.stderr)") }
        }
        // --connection-env names a variable that is not set; both options at once.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString).json")
        try RealEngines.pipeline(service: "svc", [RealEngines.description(1, "<#E::table::svc.db.s.t>", "x")]).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let unset = try SyncE2E.run(["sync", file.path, "--connector", "postgres", "--connection-env", "TEMPLATEC_SESSION_NOT_SET"],
                                    environment: SessionContract.environment.filter { $0.key != "TEMPLATEC_SESSION_NOT_SET" })
        XCTAssertEqual(unset.status, 2, unset.stderr)
        XCTAssertTrue(unset.stderr.contains("TEMPLATEC_SESSION_NOT_SET is not set"), unset.stderr)
        let both = try SyncE2E.run(["sync", file.path, "--connector", "postgres", "--connection", "dry-run:", "--connection-env", "X"])
        XCTAssertEqual(both.status, 2, both.stderr)
        XCTAssertTrue(both.stderr.contains("not both"), both.stderr)
    }
}
