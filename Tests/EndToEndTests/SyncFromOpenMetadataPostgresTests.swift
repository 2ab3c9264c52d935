import Foundation
import XCTest

/// `templatec sync --from-openmetadata` against the stand-in catalog and the local PostgreSQL:
/// what the database holds after a run, that only differences are written, that a second run
/// executes nothing, and that a plan applies later through `templatec sync FILE`.
final class SyncFromOpenMetadataPostgresTests: XCTestCase {
    var url = ""
    var database = ""
    var schema = ""

    func psql(_ sql: String) throws -> String {
        let (status, out) = try RealEngines.shell(["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        XCTAssertEqual(status, 0, out)
        return out
    }

    /// The comment's bytes, hex (what a byte-for-byte comparison needs: psql output is trimmed).
    func hexComment(_ expression: String) throws -> String {
        try psql("select coalesce(encode(convert_to(\(expression), 'UTF8'), 'hex'), '<null>')")
    }

    override func setUpWithError() throws {
        guard let u = RealEngines.url("TEMPLATEC_PG_URL") else { try TestDatabases.unavailable("PostgreSQL not configured (scripts/db/start.sh)") }
        url = u
        let (status, out) = try RealEngines.shell(["psql", url, "-X", "-Atc", "select 1"])
        guard status == 0 else { try TestDatabases.unavailable("PostgreSQL not running: \(out)") }
        database = try psql("select current_database()")
        schema = TestDatabases.uniqueName("batch")
        _ = try psql("""
            CREATE SCHEMA \(schema);
            DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'batch_alice') THEN CREATE ROLE batch_alice; END IF; END $$;
            """)
    }

    override func tearDownWithError() throws {
        guard !schema.isEmpty, !url.isEmpty else { return }
        // The role is the cluster's: dropped once nothing of this test owns anything.
        let (status, out) = try RealEngines.shell(["psql", url, "-X", "-q", "-c", "DROP SCHEMA IF EXISTS \(schema) CASCADE", "-c", "DROP ROLE IF EXISTS batch_alice"])
        if status != 0 && !out.contains("cannot be dropped because some objects depend on it") { XCTFail("cleanup: \(out)") }
    }

    func catalog(_ tables: [[String: Any]], schemaDescription: String? = nil, schemaOwners: [Any] = []) -> [String: Any] {
        var s: [String: Any] = ["name": schema, "tables": tables, "owners": schemaOwners]
        if let schemaDescription { s["description"] = schemaDescription }
        return ["service": "batch_pg", "databases": [["name": database, "schemas": [s]]]]
    }

    func testBringsTheServiceInLineAndASecondRunExecutesNothing() throws {
        let hostile = TestDatabases.trickyValue
        _ = try psql("""
            CREATE TABLE \(schema).t0 (c int); CREATE TABLE \(schema).t1 (c int); CREATE TABLE \(schema).t2 (c int);
            CREATE TABLE \(schema).t3 (c int); CREATE TABLE \(schema).t4 (c int); CREATE TABLE \(schema)."a.b" ("x""y" int);
            COMMENT ON TABLE \(schema).t1 IS 'already in line'; COMMENT ON TABLE \(schema).t2 IS 'kept: the catalog has none';
            """)
        let tables: [[String: Any]] = [
            ["name": "t0", "description": hostile, "owners": ["batch_alice"], "columns": [["name": "c", "description": "it's a column; -- not a comment"]]],
            ["name": "t1", "description": "already in line", "columns": [["name": "c"]]],
            ["name": "t2", "columns": [["name": "c"]]],
            ["name": "t3", "owners": [["name": "batch_finance", "type": "team"]], "columns": [["name": "c"]]],
            ["name": "t4", "description": "deleted in the catalog", "deleted": true, "columns": [["name": "c"]]],
            // The catalog's ingestion stores `"` in a column name as a reserved word.
            ["name": "a.b", "description": "dotted name", "columns": [["name": "x__reserved__quote__y", "description": "quoted column"]]],
            ["name": "gone", "description": "not in the database", "columns": [["name": "c"]]],
        ]
        let standIn = try StandInCatalog(catalog: catalog(tables, schemaDescription: "Schema ✓ 😀", schemaOwners: ["batch_alice"]), token: "batch-token")
        let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("batch-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: stateDir) }

        let first = try CatalogSync.run(standIn, service: "batch_pg", connector: "postgres", connection: url, token: "batch-token",
                                        extra: ["--page-size", "2", "--state-dir", stateDir.path])
        XCTAssertEqual(first.status, 0, first.stderr + first.stdout)
        XCTAssertEqual(try SyncE2E.schemaProblems(first.stdout), [])
        XCTAssertNil(try CatalogSync.modelProblems(first.stdout, model: "ReverseIngestionResponse"))
        let results = SyncE2E.results(try CatalogSync.json(first.stdout))
        // Schema description and owner; t0 description, owner and column; a.b and its column.
        XCTAssertEqual(results.count, 7, "\(results)\n\(first.stderr)")
        XCTAssertTrue(results.allSatisfy(\.success), "\(results)")
        XCTAssertTrue(first.stderr.contains("1 team owner not synced"), first.stderr)
        XCTAssertTrue(first.stderr.contains("the catalog lacks kept in the database"), first.stderr)
        XCTAssertTrue(first.stderr.contains("\(schema).gone"), first.stderr)

        XCTAssertEqual(try hexComment("obj_description('\(schema).t0'::regclass)"), TestDatabases.hex(hostile).lowercased())
        XCTAssertEqual(try psql("select col_description('\(schema).t0'::regclass, 1)"), "it's a column; -- not a comment")
        XCTAssertEqual(try psql("select tableowner from pg_tables where schemaname = '\(schema)' and tablename = 't0'"), "batch_alice")
        XCTAssertEqual(try psql("select obj_description('\(schema)'::regnamespace)"), "Schema ✓ 😀")
        XCTAssertEqual(try psql("select nspowner::regrole from pg_namespace where nspname = '\(schema)'"), "batch_alice")
        XCTAssertEqual(try psql("select obj_description('\(schema).\"a.b\"'::regclass)"), "dotted name")
        XCTAssertEqual(try psql("select col_description('\(schema).\"a.b\"'::regclass, 1)"), "quoted column")
        XCTAssertEqual(try psql("select obj_description('\(schema).t2'::regclass)"), "kept: the catalog has none")
        XCTAssertEqual(try psql("select coalesce(obj_description('\(schema).t4'::regclass), '<null>')"), "<null>")
        XCTAssertEqual(try psql("select tableowner from pg_tables where schemaname = '\(schema)' and tablename = 't3'"), "templatec")

        // What the catalog was asked: the token every time, the fields a sync needs, deleted
        // entities left out (t4), and the six tables of the schema over three pages of two.
        let requests = try standIn.requests()
        XCTAssertTrue(requests.allSatisfy { $0.authorization == "Bearer batch-token" }, "\(requests)")
        let tablePages = requests.filter { $0.path == "/api/v1/tables" && $0.query["databaseSchema"] == "batch_pg.\(database).\(schema)" }
        XCTAssertEqual(tablePages.count, 3, "\(tablePages)")
        XCTAssertEqual(tablePages.filter { $0.query["after"] != nil }.count, 2)
        XCTAssertTrue(tablePages.allSatisfy { $0.query["fields"] == "owners,tags,columns" && $0.query["include"] == "non-deleted" && $0.query["limit"] == "2" })

        // The second run: nothing differs, so nothing is executed — psql is started only to read
        // the state (never as the executor's session), and the run record has no operation.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("psql-starts-\(UUID().uuidString).log")
        let wrapper = try CatalogSync.clientWrapper("psql", marker: "-f -", log: log)
        defer { try? FileManager.default.removeItem(at: log); try? FileManager.default.removeItem(at: wrapper) }
        let second = try CatalogSync.run(standIn, service: "batch_pg", connector: "postgres", connection: url, token: "batch-token",
                                         extra: ["--page-size", "2", "--state-dir", stateDir.path], environment: ["TEMPLATEC_PSQL": wrapper.path])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(SyncE2E.results(try CatalogSync.json(second.stdout)).count, 0, second.stdout)
        XCTAssertTrue(second.stderr.contains("nothing to write"), second.stderr)
        XCTAssertEqual(try String(contentsOf: log, encoding: .utf8), "reader\n")
        let records = try FileManager.default.contentsOfDirectory(at: stateDir.appendingPathComponent("runs"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertEqual(records.count, 2)
        let operationCounts = try records.map { file -> Int in
            let record = try CatalogSync.json(String(contentsOf: file, encoding: .utf8))
            return ((record["pipelines"] as? [[String: Any]])?.first?["operations"] as? [Any])?.count ?? -1
        }
        XCTAssertEqual(operationCounts, [7, 0])
    }

    func testAPlanExecutesNothingAndAppliesLaterThroughSyncFile() throws {
        _ = try psql("CREATE TABLE \(schema).t (c int); COMMENT ON TABLE \(schema).t IS 'old'")
        let standIn = try StandInCatalog(catalog: catalog([["name": "t", "description": "new ' value", "columns": [["name": "c"]]]]))
        let plan = try CatalogSync.run(standIn, service: "batch_pg", connector: "postgres", connection: url, extra: ["--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertNil(try CatalogSync.modelProblems(plan.stdout))
        let operations = try CatalogSync.operations(plan.stdout)
        XCTAssertEqual(operations.count, 1, plan.stdout)
        XCTAssertEqual(operations.first?["entityLink"] as? String, "<#E::table::batch_pg.\(database).\(schema).t>")
        XCTAssertEqual((operations.first?["parameters"] as? [String: Any])?["previousDescription"] as? String, "old")
        XCTAssertEqual(try psql("select obj_description('\(schema).t'::regclass)"), "old", "--plan executed something")

        // Planning twice against the same state gives the same document.
        let again = try CatalogSync.run(standIn, service: "batch_pg", connector: "postgres", connection: url, extra: ["--plan"])
        XCTAssertEqual(again.stdout, plan.stdout)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).json")
        try plan.stdout.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let applied = try SyncE2E.run(["sync", file.path, "--connector", "postgres", "--connection", url])
        XCTAssertEqual(applied.status, 0, applied.stderr + applied.stdout)
        XCTAssertEqual(try psql("select obj_description('\(schema).t'::regclass)"), "new ' value")

        let after = try CatalogSync.run(standIn, service: "batch_pg", connector: "postgres", connection: url, extra: ["--plan"])
        XCTAssertEqual(try CatalogSync.operations(after.stdout).count, 0, after.stdout)

        // One description edited in the catalog: one operation, for it alone.
        try standIn.replace(catalog([["name": "t", "description": "newer", "columns": [["name": "c", "description": "a column"]]]]))
        let changed = try CatalogSync.run(standIn, service: "batch_pg", connector: "postgres", connection: url, extra: ["--plan"])
        let changedOps = try CatalogSync.operations(changed.stdout)
        XCTAssertEqual(changedOps.map { $0["entityLink"] as? String ?? "" }.sorted(),
                       ["<#E::table::batch_pg.\(database).\(schema).t::columns::c>", "<#E::table::batch_pg.\(database).\(schema).t>"])
    }

    /// A channel template that wraps the value: the stored `Synced: …` is read back through the
    /// template (docs/match.md), so the second run against the same catalog writes nothing, and a
    /// catalog edit is written again. A hostile value goes through the template both ways.
    func testAWrappingTemplateIsReadBackThroughTheTemplate() throws {
        _ = try psql("CREATE TABLE \(schema).t (c int)")
        let channels = FileManager.default.temporaryDirectory.appendingPathComponent("channels-\(UUID().uuidString).json")
        try #"{"channels": [{"name": "tables", "filter": {"level": "table"}, "sqlTemplate": "COMMENT ON TABLE {schema}.{table} IS 'Synced: {description}';"}]}"#
            .write(to: channels, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: channels) }
        let hostile = "x'); DROP TABLE \(schema).t; -- \\ 'it''s' ✓"
        let standIn = try StandInCatalog(catalog: catalog([["name": "t", "description": hostile, "columns": [["name": "c", "description": "no channel takes columns"]]]],
                                                          schemaDescription: "no channel takes schemas"))
        let first = try CatalogSync.run(standIn, service: "batch_pg", connector: "postgres", connection: url, extra: ["--channels", channels.path])
        XCTAssertEqual(first.status, 0, first.stderr + first.stdout)
        XCTAssertEqual(SyncE2E.results(try CatalogSync.json(first.stdout)).count, 1, first.stdout)
        XCTAssertEqual(try psql("select obj_description('\(schema).t'::regclass)"), "Synced: " + hostile)

        let second = try CatalogSync.run(standIn, service: "batch_pg", connector: "postgres", connection: url, extra: ["--channels", channels.path])
        XCTAssertEqual(second.status, 0, second.stderr + second.stdout)
        XCTAssertEqual(SyncE2E.results(try CatalogSync.json(second.stdout)).count, 0, second.stdout)
        XCTAssertFalse(second.stderr.contains("written without comparing"), second.stderr)

        try standIn.replace(catalog([["name": "t", "description": "edited", "columns": []]]))
        let third = try CatalogSync.run(standIn, service: "batch_pg", connector: "postgres", connection: url, extra: ["--channels", channels.path])
        XCTAssertEqual(SyncE2E.results(try CatalogSync.json(third.stdout)).count, 1, third.stdout)
        XCTAssertEqual(try psql("select obj_description('\(schema).t'::regclass)"), "Synced: edited")
        XCTAssertEqual(try psql("select coalesce(obj_description('\(schema)'::regnamespace), '<null>')"), "<null>")
    }

    func testADatabaseThatCannotBeReadStopsTheRunBeforeTheCatalog() throws {
        let standIn = try StandInCatalog(catalog: catalog([]))
        let run = try CatalogSync.run(standIn, service: "batch_pg", connector: "postgres", connection: "postgresql://templatec:wrong@127.0.0.1:1/templatec?connect_timeout=2")
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("cannot read the current state"), run.stderr)
        XCTAssertFalse(run.stderr.contains("wrong"), "the password was printed: \(run.stderr)")
        XCTAssertEqual(try standIn.requests().count, 0)
    }
}
