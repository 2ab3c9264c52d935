import Foundation
import XCTest

/// `templatec listen` on the local PostgreSQL, fed by the stand-in catalog's webhooks (every event
/// validated by OpenMetadata's models): what the database holds after, what was refused, what
/// was recorded, and the lifecycle (database down, SIGTERM with a backlog, restart, one receiver).
final class ListenPostgresTests: XCTestCase {
    var url = ""
    var database = ""
    /// Per process: two test runs on one server (two worktrees, CI) must not share the schema.
    let schema = "listen_e2e_\(ProcessInfo.processInfo.processIdentifier)"

    func psql(_ sql: String) throws -> String {
        let (status, out) = try RealEngines.shell(["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        XCTAssertEqual(status, 0, out)
        return out
    }

    override func setUpWithError() throws {
        guard let u = RealEngines.url("TEMPLATEC_PG_URL") else { try TestDatabases.unavailable("PostgreSQL not configured (scripts/db/start.sh)") }
        url = u
        let (status, out) = try RealEngines.shell(["psql", url, "-X", "-Atc", "select 1"])
        guard status == 0 else { try TestDatabases.unavailable("PostgreSQL not running: \(out)") }
        database = try psql("select current_database()")
        _ = try psql("""
            DROP SCHEMA IF EXISTS \(schema) CASCADE; CREATE SCHEMA \(schema);
            CREATE TABLE \(schema).orders (id int, "a.b" text, amount numeric); CREATE TABLE \(schema).other (id int);
            DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'listen_alice') THEN CREATE ROLE listen_alice; END IF; END $$;
            """)
        addTeardownBlock { [url, schema] in _ = try? RealEngines.shell(["psql", url, "-X", "-q", "-c", "DROP SCHEMA IF EXISTS \(schema) CASCADE"]) }
    }

    var table: String { "pg.\(database).\(schema).orders" }
    func tableComment() throws -> String { try psql("select coalesce(obj_description('\(schema).orders'::regclass), '<none>')") }
    func columnComment(_ n: Int) throws -> String { try psql("select coalesce(col_description('\(schema).orders'::regclass, \(n)), '<none>')") }

    func testHostileDescriptionsColumnOwnersAndSkips() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let listener = try ListenProcess(connector: "postgres", connection: url, stateDirectory: state, extra: ["--service", "pg"], secret: "plain-secret")
        let hostile = "it's'); DROP TABLE \(schema).orders; -- $$ $x$ \\ \"quoted\" \u{1F600}\nsecond line"
        let answers = try ListenE2E.send([
            ListenE2E.description("table", table, hostile),
            ListenE2E.description("table", table, "the \"a.b\" column", field: "columns.\"a.b\".description"),
            ListenE2E.description("table", table, "amount in EUR", field: "columns.amount.description"),
            ListenE2E.owners(table, "listen_alice"),
            ListenE2E.description("databaseSchema", "pg.\(database).\(schema)", "the schema"),
            ListenE2E.description("table", "otherservice.\(database).\(schema).orders", "must not land"),
            ["entityType": "table", "fqn": table, "updated": [["name": "displayName", "old": "a", "new": "b"]]],
        ], to: listener, secret: "plain-secret")
        XCTAssertEqual(answers.map(\.status), Array(repeating: 200, count: 7), "\(answers) \(listener.stderr)")

        XCTAssertTrue(try ListenE2E.eventually { try listener.metrics()["templatec_listen_events_skipped_total"] == 2 }, listener.stderr)
        XCTAssertTrue(try ListenE2E.eventually { (try listener.metrics()["templatec_listen_events_applied_total"] ?? 0) == 5 }, listener.stderr)
        XCTAssertEqual(try tableComment(), hostile)
        XCTAssertEqual(try columnComment(2), "the \"a.b\" column")
        XCTAssertEqual(try columnComment(3), "amount in EUR")
        XCTAssertEqual(try psql("select tableowner from pg_tables where schemaname = '\(schema)' and tablename = 'orders'"), "listen_alice")
        XCTAssertEqual(try psql("select obj_description('\(schema)'::regnamespace)"), "the schema")
        let metrics = try listener.metrics()
        XCTAssertEqual(metrics["templatec_listen_events_received_total"], 7)
        XCTAssertEqual(metrics["templatec_listen_events_failed_total"], 0)
        XCTAssertEqual(metrics["templatec_listen_apply_latency_seconds_count"], 7)
        XCTAssertEqual(listener.terminate(), 0, listener.stderr)

        // Every event's outcome is in the state directory, shown by `templatec runs`.
        let events = try ListenE2E.recordedEvents(state)
        XCTAssertEqual(events.count, 7)
        let ids = answers.map(\.id)
        for (i, id) in ids.enumerated() {
            XCTAssertTrue((events[i]["file"] as? String)?.contains(id) ?? false, "events in arrival order: \(events[i])")
        }
        XCTAssertTrue((events[5]["message"] as? String)?.contains("belongs to service `otherservice`") ?? false, "\(events[5])")
        XCTAssertTrue((events[6]["message"] as? String)?.contains("`displayName` is not reverse-synced") ?? false, "\(events[6])")
        let text = try TemplatecBinary.run(["runs", "--state-dir", state])
        XCTAssertTrue(text.stdout.contains("postgres"), text.stdout)
    }

    func testRefusedRequestsRecordNothing() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let listener = try ListenProcess(connector: "postgres", connection: url, stateDirectory: state,
                                         extra: ["--service", "pg", "--request-timeout", "1"], secret: "plain-secret")
        _ = try psql("COMMENT ON TABLE \(schema).orders IS 'before'")
        let change = ListenE2E.description("table", table, "must not land")
        XCTAssertEqual(try ListenE2E.send([change], to: listener, secret: "plain-secret", signature: "wrong").map(\.status), [401])
        XCTAssertEqual(try ListenE2E.send([change], to: listener, secret: "plain-secret", signature: "none").map(\.status), [401])

        let port = listener.port
        let notJSON = try ListenE2E.request(port: port, "POST /events HTTP/1.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
        XCTAssertEqual(notJSON.status, 401, "the signature is checked before the body is read as an event")
        XCTAssertEqual(try ListenE2E.request(port: port, "POST /events HTTP/1.1\r\nContent-Length: 20000000\r\n\r\n").status, 413)
        XCTAssertEqual(try ListenE2E.request(port: port, "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n").status, 200)
        XCTAssertEqual(try ListenE2E.request(port: port, "GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n").status, 404)
        XCTAssertEqual(try ListenE2E.request(port: port, "GET /events HTTP/1.1\r\nConnection: close\r\n\r\n").status, 405)
        XCTAssertEqual(try ListenE2E.request(port: port, "BROKEN\r\n\r\n").status, 400)
        // A slow client: half a request, then nothing, is answered 408 after --request-timeout.
        let slow = try ListenE2E.request(port: port, "POST /events HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"id\"", timeout: 5)
        XCTAssertEqual(slow.status, 408)
        XCTAssertTrue(slow.body.contains("message"))

        let metrics = try listener.metrics()
        XCTAssertEqual(metrics["templatec_listen_events_received_total"], 0)
        XCTAssertEqual(metrics["templatec_listen_requests_rejected_total{status=\"401\"}"], 3)
        XCTAssertEqual(listener.terminate(), 0)
        XCTAssertEqual(try tableComment(), "before")
        XCTAssertEqual(try ListenE2E.recordedEvents(state).count, 0)
        let inbox = try Data(contentsOf: URL(fileURLWithPath: state + "/listen/inbox.log"))
        XCTAssertEqual(inbox.count, 0, "nothing recorded")
    }

    /// Unsigned events are accepted when no secret is set; a body that is not a ChangeEvent is 400.
    func testNoSecretAndNotAChangeEvent() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let listener = try ListenProcess(connector: "postgres", connection: url, stateDirectory: state)
        let bad = try ListenE2E.request(port: listener.port, "POST /events HTTP/1.1\r\nContent-Length: 8\r\nConnection: close\r\n\r\n{\"n\": 1}")
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(bad.body.contains("`id`") || bad.body.contains("timestamp"), bad.body)
        // The destination's Test button: answered 200, nothing recorded.
        let test = try ListenE2E.request(port: listener.port, "POST /events HTTP/1.1\r\nContent-Length: 45\r\nConnection: close\r\n\r\n{\"message\": \"This is a test message from OM\"}")
        XCTAssertEqual(test.status, 200, test.body)
        XCTAssertEqual(try listener.metrics()["templatec_listen_events_received_total"], 0)
        XCTAssertEqual(try ListenE2E.send([ListenE2E.description("table", table, "unsigned is fine")], to: listener, signature: "none").map(\.status), [200])
        XCTAssertTrue(try ListenE2E.eventually { try tableComment() == "unsigned is fine" })
        listener.terminate()
    }

    /// A statement the database refuses is recorded with its message and not retried; the events
    /// after it are applied. Events of one table apply in arrival order: the last one wins.
    func testPermanentFailureAndArrivalOrder() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let listener = try ListenProcess(connector: "postgres", connection: url, stateDirectory: state, extra: ["--service", "pg"])
        var changes = [ListenE2E.description("table", "pg.\(database).\(schema).missing_table", "fails")]
        changes += (1...20).map { ListenE2E.description("table", table, "edit \($0)") }
        XCTAssertEqual(try ListenE2E.send(changes, to: listener).map(\.status), Array(repeating: 200, count: 21))
        XCTAssertTrue(try ListenE2E.eventually { (try listener.metrics()["templatec_listen_events_applied_total"] ?? 0) == 20 }, listener.stderr)
        XCTAssertEqual(try tableComment(), "edit 20")
        let metrics = try listener.metrics()
        XCTAssertEqual(metrics["templatec_listen_events_failed_total"], 1)
        XCTAssertEqual(metrics["templatec_listen_apply_retries_total"], 0)
        listener.terminate()
        let failed = try ListenE2E.recordedEvents(state).filter { $0["success"] as? Bool == false }
        XCTAssertEqual(failed.count, 1)
        let message = ((failed.first?["operations"] as? [[String: Any]])?.first?["message"] as? String) ?? ""
        XCTAssertTrue(message.contains("missing_table"), "the database's message: \(failed)")
    }

    /// The database is down while events arrive: each is answered 200 (it is in the inbox), nothing
    /// is applied, and all are applied, in order, once the database is back.
    func testDatabaseDownThenBack() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let spec = try TestDatabases.spec(.postgresql)
        let port = ListenE2E.freePort()
        let downURL = url.replacingOccurrences(of: ":\(spec.port)/", with: ":\(port)/") + "?connect_timeout=2"
        let listener = try ListenProcess(connector: "postgres", connection: downURL, stateDirectory: state, extra: ["--service", "pg"])
        let changes = (1...5).map { ListenE2E.description("table", table, "while down \($0)") }
            + [ListenE2E.description("table", table, "column while down", field: "columns.amount.description")]
        XCTAssertEqual(try ListenE2E.send(changes, to: listener).map(\.status), Array(repeating: 200, count: 6))
        XCTAssertTrue(try ListenE2E.eventually { (try listener.metrics()["templatec_listen_apply_retries_total"] ?? 0) >= 2 }, listener.stderr)
        XCTAssertEqual(try tableComment(), "<none>")
        XCTAssertEqual(try listener.metrics()["templatec_listen_inbox_pending"], 6)

        _ = try ListenE2E.startProxy(port: port, host: spec.host, target: spec.port, self)
        XCTAssertTrue(try ListenE2E.eventually(30) { (try listener.metrics()["templatec_listen_events_applied_total"] ?? 0) == 6 }, listener.stderr)
        XCTAssertEqual(try tableComment(), "while down 5")
        XCTAssertEqual(try columnComment(3), "column while down")
        XCTAssertEqual(try listener.metrics()["templatec_listen_inbox_pending"], 0)
        XCTAssertEqual(listener.terminate(), 0)
    }

    /// SIGTERM with a backlog exits 0 and keeps the backlog; the next start applies it. A second
    /// receiver on the same state directory is refused.
    func testSIGTERMWithBacklogThenRestart() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let spec = try TestDatabases.spec(.postgresql)
        let downURL = url.replacingOccurrences(of: ":\(spec.port)/", with: ":\(ListenE2E.freePort())/") + "?connect_timeout=2"
        let first = try ListenProcess(connector: "postgres", connection: downURL, stateDirectory: state, extra: ["--service", "pg"])

        let second = Result { try ListenProcess(connector: "postgres", connection: url, stateDirectory: state) }
        guard case .failure(let refusal) = second else { return XCTFail("a second receiver on one state directory started") }
        XCTAssertTrue("\(refusal)".contains("another `templatec listen`"), "\(refusal)")

        let changes = (1...8).map { ListenE2E.description("table", table, "backlog \($0)") }
        XCTAssertEqual(try ListenE2E.send(changes, to: first).map(\.status), Array(repeating: 200, count: 8))
        XCTAssertEqual(first.terminate(), 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("8 recorded events will be applied at the next start"), first.stderr)
        XCTAssertEqual(try tableComment(), "<none>")

        let restarted = try ListenProcess(connector: "postgres", connection: url, stateDirectory: state, extra: ["--service", "pg"])
        XCTAssertTrue(restarted.stderr.contains("8 recorded events to apply first"), restarted.stderr)
        XCTAssertTrue(try ListenE2E.eventually { (try restarted.metrics()["templatec_listen_events_applied_total"] ?? 0) == 8 }, restarted.stderr)
        XCTAssertEqual(try tableComment(), "backlog 8")
        XCTAssertEqual(restarted.terminate(), 0)
        XCTAssertEqual(try ListenE2E.recordedEvents(state).filter { $0["success"] as? Bool == true }.count, 8)
    }

    /// Channels route and filter events exactly as in `sync`: a table no channel matches fails
    /// ("not applied"), an update kind the channel does not push is skipped.
    func testChannelsFilterAsInSync() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let channels = state + "-channels.json"
        try #"{"channels": [{"name": "orders-only", "filter": {"table": "orders"}, "updateOwners": false}]}"#.write(toFile: channels, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: channels) }
        let listener = try ListenProcess(connector: "postgres", connection: url, stateDirectory: state, extra: ["--service", "pg", "--channels", channels])
        let answers = try ListenE2E.send([
            ListenE2E.description("table", table, "routed"),
            ListenE2E.owners(table, "listen_alice"),
            ListenE2E.description("table", "pg.\(database).\(schema).other", "no channel"),
        ], to: listener)
        XCTAssertEqual(answers.map(\.status), [200, 200, 200])
        XCTAssertTrue(try ListenE2E.eventually { (try listener.metrics()["templatec_listen_events_failed_total"] ?? 0) == 1 }, listener.stderr)
        XCTAssertTrue(try ListenE2E.eventually { (try listener.metrics()["templatec_listen_events_applied_total"] ?? 0) == 2 }, listener.stderr)
        XCTAssertEqual(try tableComment(), "routed")
        XCTAssertNotEqual(try psql("select tableowner from pg_tables where schemaname = '\(schema)' and tablename = 'orders'"), "listen_alice")
        XCTAssertEqual(try psql("select coalesce(obj_description('\(schema).other'::regclass), '<none>')"), "<none>")
        listener.terminate()
        let events = try ListenE2E.recordedEvents(state)
        XCTAssertTrue("\(events[1])".contains("does not push owner updates"), "\(events[1])")
        XCTAssertTrue("\(events[2])".contains("no channel matches"), "\(events[2])")
    }

    /// Takes an exclusive lock on the test table in another session and holds it until the
    /// returned `release` is called (the session then commits and ends).
    func holdLock() throws -> () -> Void {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["psql", url, "-X", "-q", "-f", "-"]
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data("BEGIN; LOCK TABLE \(schema).orders IN ACCESS EXCLUSIVE MODE; SELECT 'templatec listen test lock';\n".utf8))
        var released = false
        let release = {
            guard !released else { return }
            released = true
            input.fileHandleForWriting.write(Data("COMMIT;\n".utf8))
            try? input.fileHandleForWriting.close()
            p.waitUntilExit()
        }
        addTeardownBlock { release() }
        XCTAssertTrue(try ListenE2E.eventually(10) {
            try psql("select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'orders' and c.relnamespace = '\(schema)'::regnamespace and l.mode = 'AccessExclusiveLock' and l.granted") == "1"
        }, "the lock holder did not take the lock")
        return release
    }

    /// A lock timeout is transient: retried with backoff until the lock is free, then applied.
    func testLockTimeoutIsRetried() throws {
        let state = ListenE2E.temporaryDirectory(self)
        // The URL's `timeout` is also the session's lock_timeout (the session contract).
        let lockShort = url + (url.contains("?") ? "&" : "?") + "timeout=1"
        let listener = try ListenProcess(connector: "postgres", connection: lockShort, stateDirectory: state, extra: ["--service", "pg"])
        let release = try holdLock()
        XCTAssertEqual(try ListenE2E.send([ListenE2E.description("table", table, "after the lock")], to: listener).map(\.status), [200])
        XCTAssertTrue(try ListenE2E.eventually { (try listener.metrics()["templatec_listen_apply_retries_total"] ?? 0) >= 1 }, listener.stderr)
        // lock_timeout and statement_timeout are the same here: either cancels the waiting statement.
        XCTAssertTrue(listener.stderr.contains("canceling statement due to"), listener.stderr)
        XCTAssertEqual(try tableComment(), "<none>")
        release()
        XCTAssertTrue(try ListenE2E.eventually { try tableComment() == "after the lock" }, listener.stderr)
        XCTAssertEqual(try listener.metrics()["templatec_listen_events_failed_total"], 0)
        XCTAssertEqual(listener.terminate(), 0)
    }

    /// SIGTERM while a statement waits for a lock: the statement finishes (it is not cut), its
    /// outcome is recorded, the exit status is 0, and nothing is left for the next start.
    func testSIGTERMFinishesTheStatementInFlight() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let listener = try ListenProcess(connector: "postgres", connection: url, stateDirectory: state, extra: ["--service", "pg"])
        let release = try holdLock()
        XCTAssertEqual(try ListenE2E.send([ListenE2E.description("table", table, "in flight")], to: listener).map(\.status), [200])
        // The statement is waiting for the lock.
        XCTAssertTrue(try ListenE2E.eventually(10) { try psql("select count(*) from pg_stat_activity where query like 'COMMENT ON TABLE%' and wait_event_type = 'Lock'") == "1" })
        kill(listener.process.processIdentifier, SIGTERM)
        usleep(500_000)
        XCTAssertTrue(listener.process.isRunning, "the receiver waits for the statement in flight")
        release()
        XCTAssertEqual(listener.terminate(), 0, listener.stderr)
        XCTAssertEqual(try tableComment(), "in flight")
        XCTAssertFalse(listener.stderr.contains("will be applied at the next start"), listener.stderr)
        XCTAssertEqual(try ListenE2E.recordedEvents(state).filter { $0["success"] as? Bool == true }.count, 1)
    }
}
