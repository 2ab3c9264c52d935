import Foundation
import XCTest

/// `templatec sync` against the local PostgreSQL (scripts/db/start.sh): every update and level
/// the connector supports, failures among good operations, and what the database holds after.
final class SyncPostgresTests: XCTestCase {
    var url = ""

    func psql(_ sql: String) throws -> String {
        let (status, out) = try RealEngines.shell(["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        XCTAssertEqual(status, 0, out)
        return out
    }

    override func setUpWithError() throws {
        guard let u = RealEngines.url("TEMPLATEC_PG_URL") else { throw XCTSkip("PostgreSQL not configured (scripts/db/start.sh)") }
        url = u
        let (status, out) = try RealEngines.shell(["psql", url, "-X", "-Atc", "select 1"])
        guard status == 0 else { throw XCTSkip("PostgreSQL not running: \(out)") }
        _ = try psql("""
            DROP SCHEMA IF EXISTS sync CASCADE; DROP SCHEMA IF EXISTS "my.schema" CASCADE;
            CREATE SCHEMA sync; CREATE TABLE sync.orders (amount numeric);
            CREATE SCHEMA "my.schema"; CREATE TABLE "my.schema"."odd""name" (x int);
            DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sync_alice') THEN CREATE ROLE sync_alice; END IF; END $$;
            """)
    }

    func testEveryUpdateAndLevel() throws {
        let db = try psql("select current_database()")
        let ops = [
            RealEngines.description(1, "<#E::database::pg.\(db)>", "The test database"),
            RealEngines.description(2, "<#E::databaseSchema::pg.\(db).sync>", "Sync schema"),
            RealEngines.description(3, "<#E::table::pg.\(db).sync.orders>", "Customer's orders; DROP TABLE x; --"),
            RealEngines.description(4, "<#E::table::pg.\(db).sync.orders::columns::amount>", "Amount in \"EUR\" \\ ok"),
            RealEngines.description(5, "<#E::table::pg.\(db).\"my.schema\".\"odd\\\"name\">", "quoted parts"),
            RealEngines.owner(6, "<#E::table::pg.\(db).sync.orders>", "sync_alice"),
            RealEngines.owner(7, "<#E::databaseSchema::pg.\(db).sync>", "sync_alice"),
            RealEngines.owner(8, "<#E::databaseSchema::pg.\(db).sync>", "finance", type: "team"),
            RealEngines.description(9, "<#E::table::pg.\(db).sync.missing_table>", "fails"),
            RealEngines.description(10, "<#E::table::pg.\(db).sync.orders>", "x", template: "COMMENT ON TABLE {schema}.{table} IS '{description} (custom)';"),
            RealEngines.description(11, "<#E::table::pg.\(db).sync.orders>", "x", template: "COMMENT ON TABLE {catalog}.{table} IS {description};"),
            RealEngines.tags(12, "<#E::table::pg.\(db).sync.orders>", ["PII.Sensitive", "PII.Other"]),
        ]
        let (r, results, doc) = try RealEngines.sync(RealEngines.pipeline(service: "pg", ops), connector: "postgres", connection: url)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(doc["success"] as? Bool, true)
        let failed = Set(results.filter { !$0.success }.map(\.id))
        XCTAssertEqual(failed, Set([8, 9, 11, 12].map(RealEngines.uuid)), "\(results)")
        XCTAssertTrue(results[7].message?.contains("team owner") ?? false)
        XCTAssertTrue(results[8].message?.contains("missing_table") ?? false, "\(results[8])")
        XCTAssertTrue(results[10].message?.contains("catalog") ?? false)
        XCTAssertTrue(results[11].message?.contains("ambiguous") ?? false)

        XCTAssertEqual(try psql("select shobj_description(oid, 'pg_database') from pg_database where datname = current_database()"), "The test database")
        XCTAssertEqual(try psql("select obj_description('sync'::regnamespace)"), "Sync schema")
        // Operation 10 (custom) ran after 3, so the table comment is the custom one.
        XCTAssertEqual(try psql("select obj_description('sync.orders'::regclass)"), "x (custom)")
        XCTAssertEqual(try psql("select col_description('sync.orders'::regclass, 1)"), "Amount in \"EUR\" \\ ok")
        XCTAssertEqual(try psql("select obj_description('\"my.schema\".\"odd\"\"name\"'::regclass)"), "quoted parts")
        XCTAssertEqual(try psql("select tableowner from pg_tables where schemaname = 'sync' and tablename = 'orders'"), "sync_alice")
        XCTAssertEqual(try psql("select nspowner::regrole from pg_namespace where nspname = 'sync'"), "sync_alice")
    }

    func testDescriptionRemoval() throws {
        let db = try psql("select current_database()")
        _ = try psql("COMMENT ON TABLE sync.orders IS 'old'")
        let (r, results, _) = try RealEngines.sync(RealEngines.pipeline(service: "pg", [
            RealEngines.description(1, "<#E::table::pg.\(db).sync.orders>", "")]), connector: "postgres", connection: url)
        XCTAssertEqual(r.status, 0, "\(results)")
        XCTAssertEqual(try psql("select coalesce(obj_description('sync.orders'::regclass), '<null>')"), "<null>")
    }

    func testDatabaseDown() throws {
        let down = "postgresql://templatec:templatec@127.0.0.1:1/templatec"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("down-\(UUID().uuidString).json")
        // Entities of the URL's database: one of another database would be refused before any
        // connection is tried.
        try RealEngines.pipeline(service: "pg", [RealEngines.description(1, "<#E::table::pg.templatec.s.t>", "x"),
                                                 RealEngines.description(2, "<#E::table::pg.templatec.s.u>", "y")])
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try SyncE2E.run(["sync", file.path, "--connector", "postgres", "--connection", down])
        XCTAssertEqual(r.status, 1)
        let problems = try SyncE2E.schemaProblems(r.stdout)
        XCTAssertEqual(problems, [])
        let doc = try SyncE2E.responses(r.stdout)[0]
        XCTAssertEqual(doc["success"] as? Bool, false)
        XCTAssertNotNil(doc["message"] as? String)
        let results = SyncE2E.results(doc)
        XCTAssertEqual(results.count, 2)
        XCTAssertTrue(results.allSatisfy { !$0.success && $0.message != nil })
    }
}
