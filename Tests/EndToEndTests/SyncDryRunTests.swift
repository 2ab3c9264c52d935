import Foundation
import XCTest

/// `templatec sync --dry-run` on the built binary: responses, plans, exit codes, schema validity.
final class SyncDryRunTests: XCTestCase {
    func testPostgresPipelineDryRun() throws {
        let r = try SyncE2E.run(["sync", SyncE2E.fixture("pipelines/postgres-all.json"), "--connector", "postgres", "--dry-run"])
        XCTAssertEqual(r.status, 1, "a team owner and a tag operation fail: \(r.stderr)")
        let problems = try SyncE2E.schemaProblems(r.stdout)
        XCTAssertEqual(problems, [])
        let res = SyncE2E.results(try SyncE2E.responses(r.stdout)[0])
        XCTAssertEqual(res.count, 10)
        XCTAssertEqual(res.filter { !$0.success }.map(\.id), ["00000000-0000-4000-8000-000000000007", "00000000-0000-4000-8000-000000000009"])
        for x in res { XCTAssertNotNil(x.message, "every result says what happened") }
        XCTAssertTrue(r.stderr.contains("COMMENT ON TABLE sync.orders IS 'Customer''s orders';"), r.stderr)
        XCTAssertTrue(r.stderr.contains("COMMENT ON TABLE \"my.schema\".\"odd\"\"name\" IS 'quoted parts';"), r.stderr)
        XCTAssertTrue(r.stderr.contains("COMMENT ON TABLE sync.orders IS NULL;"))
        XCTAssertTrue(r.stderr.contains("ALTER TABLE sync.orders OWNER TO alice;"))
    }

    func testSeveralPipelinesPrintJSONLines() throws {
        let r = try SyncE2E.run(["sync", SyncE2E.fixture("pipelines/postgres-all.json"), SyncE2E.fixture("pipelines/mysql-tables.json"), "--connector", "postgres"])
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, r.stdout)
        let problems = try SyncE2E.schemaProblems(r.stdout)
        XCTAssertEqual(problems, [])
        let second = try SyncE2E.responses(r.stdout)[1]
        XCTAssertEqual(second["serviceId"] as? String, "7f1e2c3a-0000-4000-8000-000000000002")
    }

    func testUnusableInputIsExit2WithThePath() throws {
        let r = try SyncE2E.run(["sync", SyncE2E.fixture("pipelines/invalid-extra-property.json"), "--connector", "postgres"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("operations[2].parameters.newDescriptio"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Fatal error"))
        let garbage = try SyncE2E.run(["sync", "-", "--connector", "postgres"], stdin: "{not json")
        XCTAssertEqual(garbage.status, 2)
        let usage = try SyncE2E.run(["sync", SyncE2E.fixture("pipelines/postgres-all.json"), "--connector", "excel"])
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("unknown connector"))
    }

    func testAllSucceededIsExit0AndRunsAreRecorded() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("templatec-runs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try SyncE2E.run(["sync", SyncE2E.fixture("pipelines/mysql-tables.json"), "--connector", "mysql", "--state-dir", dir])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let problems = try SyncE2E.schemaProblems(r.stdout)
        XCTAssertEqual(problems, [])
        XCTAssertTrue(r.stderr.contains("ALTER TABLE shop.orders COMMENT = 'Orders, with a \\\\ backslash';"), r.stderr)
        let list = try SyncE2E.run(["runs", "--state-dir", dir])
        XCTAssertEqual(list.status, 0)
        XCTAssertTrue(list.stdout.contains("mysql dry-run  2 operations, 0 failed"), list.stdout)
        let show = try SyncE2E.run(["runs", "--state-dir", dir, "last"])
        XCTAssertTrue(show.stdout.contains("ok   00000000-0000-4000-8000-000000000101"), show.stdout)
    }

    func testChannelsFromAFile() throws {
        let r = try SyncE2E.run(["sync", SyncE2E.fixture("pipelines/postgres-all.json"), "--connector", "postgres",
                                 "--channels", SyncE2E.fixture("channels/pii-and-sales.json")])
        let problems = try SyncE2E.schemaProblems(r.stdout)
        XCTAssertEqual(problems, [])
        let res = SyncE2E.results(try SyncE2E.responses(r.stdout)[0])
        // The description of sync.orders is taken by `everything-descriptions` only (schema is not sales*).
        XCTAssertTrue(res[0].message?.contains("[everything-descriptions]") ?? false, "\(res[0])")
    }

    func testDefaultsCommand() throws {
        let r = try SyncE2E.run(["defaults", "--connector", "snowflake", "--format", "json"])
        XCTAssertEqual(r.status, 0)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let c = (doc["connectors"] as! [[String: Any]])[0]
        XCTAssertEqual(c["dialect"] as? String, "snowflake")
        XCTAssertEqual((c["templates"] as! [Any]).count, 14)
        let text = try SyncE2E.run(["defaults"])
        XCTAssertTrue(text.stdout.contains("== Unity Catalog"))
    }
}
