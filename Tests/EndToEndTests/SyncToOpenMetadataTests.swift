import Foundation
import XCTest

/// `templatec sync --to-openmetadata` against the stand-in catalog and real PostgreSQL, MariaDB
/// and ClickHouse, comments set by hand: the database changed (patched, read back from the
/// stand-in, validated with OpenMetadata's model), the catalog changed (nothing sent, and the
/// value `--from-openmetadata` then writes is not sent back), both changed (a conflict, both
/// sides untouched, then `--prefer database`), and a patched value that `--from-openmetadata`
/// does not write back (loop case 2).
final class SyncToOpenMetadataTests: XCTestCase {
    /// One engine's field: where the comment is set by hand and read, and where the catalog has it.
    struct Field {
        var service: String
        var connector: String
        var connection: String
        var catalog: [String: Any]
        /// The table's FQN in the catalog.
        var table: String
        /// The column whose description is the field (nil: the table's).
        var column: Int?
        var setComment: (String) throws -> Void
        var comment: () throws -> String
    }

    /// Runs both directions against one stand-in and one state directory.
    final class Sync {
        let field: Field
        let standIn: StandInCatalog
        let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("tocatalog-state-\(UUID().uuidString)")

        init(_ field: Field) throws {
            self.field = field
            standIn = try StandInCatalog(catalog: field.catalog)
        }

        deinit { try? FileManager.default.removeItem(at: stateDir) }

        func run(_ direction: String, _ extra: [String] = []) throws -> SyncE2E.Result {
            try SyncE2E.run(["sync", direction, standIn.url, "--service", field.service, "--connector", field.connector,
                             "--connection", field.connection, "--state-dir", stateDir.path] + extra)
        }

        func toCatalog(_ extra: [String] = []) throws -> SyncE2E.Result {
            try standIn.clearRequests()
            return try run("--to-openmetadata", extra)
        }

        /// The field as the stand-in holds it now.
        func catalogValue() throws -> String? {
            let table = try standIn.entity("tables", field.table)
            guard let column = field.column else { return table["description"] as? String }
            return ((table["columns"] as? [[String: Any]])?[column])?["description"] as? String
        }

        /// Sets the field in the catalog, as someone editing it there would.
        func editCatalog(_ value: String) throws {
            try standIn.edit("tables", field.table, [["op": "replace", "path": field.column.map { "/columns/\($0)/description" } ?? "/description", "value": value]])
        }

        /// The field's entry in the sync ledger.
        func ledgerEntry() throws -> [String: Any]? {
            let data = try Data(contentsOf: stateDir.appendingPathComponent("sync-ledger.json"))
            let entities = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["entities"] as? [String: [String: [String: Any]]]
            var key = field.table
            if let column = field.column, let columns = try standIn.entity("tables", field.table)["columns"] as? [[String: Any]] {
                key += "." + (columns[column]["name"] as? String ?? "")
            }
            return entities?[key]?["description"]
        }

        /// The PATCH requests to the table since the last `toCatalog`.
        func tablePatches() throws -> [StandInCatalog.Request] {
            let id = try standIn.entity("tables", field.table)["id"] as? String ?? "?"
            return try standIn.requests().filter { $0.method == "PATCH" && $0.path == "/api/v1/tables/\(id)" }
        }
    }

    /// Returns the sync, its state directory holding the ledger of a patch of `set by hand, v5`.
    @discardableResult
    func checkTheThreeCases(_ field: Field, file: StaticString = #filePath, line: UInt = #line) throws -> Sync {
        let sync = try Sync(field)
        func expect(_ r: SyncE2E.Result, _ status: Int32, _ texts: String...) {
            XCTAssertEqual(r.status, status, r.stderr + r.stdout, file: file, line: line)
            for text in texts { XCTAssertTrue(r.stderr.contains(text), "expected `\(text)` in: \(r.stderr)", file: file, line: line) }
        }

        // The database changed: a comment set by hand goes to the catalog, which has none.
        try field.setComment("set by hand, v1")
        expect(try sync.toCatalog(), 0, " patched, ")
        var patches = try sync.tablePatches()
        XCTAssertEqual(patches.count, 1, file: file, line: line)
        XCTAssertEqual(patches.first?.contentType, "application/json-patch+json", file: file, line: line)
        XCTAssertEqual(try sync.catalogValue(), "set by hand, v1", file: file, line: line)
        let entity = try JSONSerialization.data(withJSONObject: try sync.standIn.entity("tables", field.table))
        XCTAssertNil(try CatalogSync.modelProblems(String(decoding: entity, as: UTF8.self), model: "Table"), file: file, line: line)
        // Changed again by hand: the ledger says the catalog still holds what both agreed on.
        try field.setComment("set by hand, v2")
        expect(try sync.toCatalog(), 0, "1 patched")
        XCTAssertEqual(try sync.catalogValue(), "set by hand, v2", file: file, line: line)
        XCTAssertEqual(try sync.ledgerEntry()?["origin"] as? String, "database", file: file, line: line)

        // The catalog changed: nothing is sent; --from-openmetadata carries it, and the value it
        // wrote is not sent back (loop case 1).
        try sync.editCatalog("edited in the catalog, v3")
        expect(try sync.toCatalog(), 0, "0 patched, ", "1 catalog-ahead")
        XCTAssertTrue(try sync.standIn.requests().allSatisfy { $0.method == "GET" }, file: file, line: line)
        expect(try sync.run("--from-openmetadata"), 0, "1 description operation")
        XCTAssertEqual(try field.comment(), "edited in the catalog, v3", file: file, line: line)
        // The run that wrote it recorded it (the Runner keeps the ledger for every writing run).
        XCTAssertEqual(try sync.ledgerEntry()?["origin"] as? String, "catalog", file: file, line: line)
        XCTAssertEqual(try sync.ledgerEntry()?["value"] as? String, "edited in the catalog, v3", file: file, line: line)
        expect(try sync.toCatalog(), 0, "0 patched, ")
        XCTAssertEqual(try sync.tablePatches().count, 0, file: file, line: line)

        // Both changed: a conflict, reported with both values; neither side touched.
        try sync.editCatalog("edited in the catalog, v4")
        try field.setComment("set by hand, v4")
        let conflict = try sync.toCatalog()
        expect(conflict, 1, "conflict: description of")
        let conflicts = try CatalogSync.json(conflict.stdout)["conflicts"] as? [[String: Any]] ?? []
        XCTAssertEqual(conflicts.count, 1, conflict.stdout, file: file, line: line)
        XCTAssertEqual(conflicts.first?["database"] as? String, "set by hand, v4", file: file, line: line)
        XCTAssertEqual(conflicts.first?["catalog"] as? String, "edited in the catalog, v4", file: file, line: line)
        XCTAssertEqual(try sync.tablePatches().count, 0, file: file, line: line)
        XCTAssertEqual(try sync.catalogValue(), "edited in the catalog, v4", file: file, line: line)
        XCTAssertEqual(try field.comment(), "set by hand, v4", file: file, line: line)
        expect(try sync.toCatalog(["--prefer", "database"]), 0, "settled by --prefer database")
        patches = try sync.tablePatches()
        XCTAssertEqual(patches.count, 1, file: file, line: line)
        XCTAssertEqual(try sync.catalogValue(), "set by hand, v4", file: file, line: line)

        // Loop case 2: what was patched into the catalog is not written back to the database, also
        // after the database has moved on.
        expect(try sync.run("--from-openmetadata"), 0, "nothing to write")
        try field.setComment("set by hand, v5")
        expect(try sync.run("--from-openmetadata"), 0, "1 not written back")
        XCTAssertEqual(try field.comment(), "set by hand, v5", file: file, line: line)
        expect(try sync.toCatalog(), 0, "1 patched")
        XCTAssertEqual(try sync.catalogValue(), "set by hand, v5", file: file, line: line)
        return sync
    }

    // MARK: the engines

    /// The test server's PostgreSQL and a way to run SQL on it through psql, or a skip.
    func postgres() throws -> (String, (String) throws -> String) {
        guard let url = RealEngines.url("TEMPLATEC_PG_URL") else { try TestDatabases.unavailable("PostgreSQL not configured (scripts/db/start.sh)") }
        let psql = { (sql: String) throws -> String in
            let (status, out) = try RealEngines.shell(["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
            guard status == 0 else { throw TestDatabases.TestFailure(description: out) }
            return out
        }
        guard (try? psql("select 1")) != nil else { try TestDatabases.unavailable("PostgreSQL not running") }
        return (url, psql)
    }

    func testPostgreSQL() throws {
        let (url, psql) = try postgres()
        let database = try psql("select current_database()")
        let owner = try psql("select current_user")
        let schema = TestDatabases.uniqueName("tocatalog")
        _ = try psql("CREATE SCHEMA \(schema); CREATE TABLE \(schema).t (c int)")
        defer { _ = try? psql("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        let field = Field(
            service: "tocatalog_pg", connector: "postgres", connection: url,
            catalog: ["service": "tocatalog_pg", "users": [owner],
                      "databases": [["name": database, "schemas": [["name": schema, "tables": [["name": "t", "columns": [["name": "c"]]]]]]]]],
            table: "tocatalog_pg.\(database).\(schema).t", column: nil,
            setComment: { _ = try psql("COMMENT ON TABLE \(schema).t IS '\($0.replacingOccurrences(of: "'", with: "''"))'") },
            comment: { try psql("select obj_description('\(schema).t'::regclass)") })
        let sync = try checkTheThreeCases(field)

        // Loop case 2 in `listen`: the patch of `v5` comes back as a change event, after the
        // database has moved on; it is skipped (not written back), and a real catalog edit is applied.
        try field.setComment("set by hand, v6")
        let listener = try ListenProcess(connector: "postgres", connection: url, stateDirectory: sync.stateDir.path, extra: ["--service", "tocatalog_pg"])
        defer { listener.terminate() }
        XCTAssertEqual(try ListenE2E.send([ListenE2E.description("table", field.table, "set by hand, v5")], to: listener).map(\.status), [200], listener.stderr)
        XCTAssertTrue(try ListenE2E.eventually { try listener.metrics()["templatec_listen_events_skipped_total"] == 1 }, listener.stderr)
        XCTAssertEqual(try field.comment(), "set by hand, v6")
        XCTAssertEqual(try ListenE2E.send([ListenE2E.description("table", field.table, "edited in the catalog, v7")], to: listener).map(\.status), [200], listener.stderr)
        XCTAssertTrue(try ListenE2E.eventually { try listener.metrics()["templatec_listen_events_applied_total"] == 1 }, listener.stderr)
        XCTAssertEqual(try field.comment(), "edited in the catalog, v7")
        XCTAssertEqual(listener.terminate(), 0)
        let events = try ListenE2E.recordedEvents(sync.stateDir.path)
        XCTAssertTrue(events.contains { ($0["message"] as? String)?.contains("carried from the database to the catalog, not written back") == true }, "\(events)")
    }

    func testMariaDB() throws {
        guard let url = TestDatabases.url(.mysql) else { try TestDatabases.unavailable("MySQL not configured (scripts/db/start.sh)") }
        _ = try TestDatabases.executor(.mysql)
        let database = TestDatabases.uniqueName("tocatalog")
        _ = try TestDatabases.query(.mysql, "CREATE DATABASE \(database); CREATE TABLE \(database).t (id int)")
        defer { _ = try? TestDatabases.query(.mysql, "DROP DATABASE IF EXISTS \(database)") }
        let field = Field(
            service: "tocatalog_my", connector: "mysql", connection: url,
            catalog: ["service": "tocatalog_my", "serviceType": "Mysql",
                      "databases": [["name": "default", "schemas": [["name": database, "tables": [["name": "t", "columns": [["name": "id"]]]]]]]]],
            table: "tocatalog_my.default.\(database).t", column: nil,
            setComment: { _ = try TestDatabases.query(.mysql, "ALTER TABLE \(database).t COMMENT = '\($0)'") },
            comment: { try TestDatabases.query(.mysql, "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(database)' AND TABLE_NAME = 't'") })
        try checkTheThreeCases(field)
    }

    func testClickHouse() throws {
        guard let url = TestDatabases.url(.clickhouse) else { try TestDatabases.unavailable("ClickHouse not configured (scripts/db/start.sh)") }
        _ = try TestDatabases.executor(.clickhouse)
        let database = TestDatabases.uniqueName("tocatalog")
        _ = try TestDatabases.query(.clickhouse, "CREATE DATABASE \(database)")
        defer { _ = try? TestDatabases.query(.clickhouse, "DROP DATABASE IF EXISTS \(database)") }
        _ = try TestDatabases.query(.clickhouse, "CREATE TABLE \(database).t (id UInt64, other String) ENGINE = Memory")
        // ClickHouse 18.16 keeps column comments only: the field is the second column's.
        let field = Field(
            service: "tocatalog_ch", connector: "clickhouse", connection: url,
            catalog: ["service": "tocatalog_ch", "serviceType": "Clickhouse",
                      "databases": [["name": "default", "schemas": [["name": database, "tables": [["name": "t", "columns": [["name": "id"], ["name": "other"]]]]]]]]],
            table: "tocatalog_ch.default.\(database).t", column: 1,
            setComment: { _ = try TestDatabases.query(.clickhouse, "ALTER TABLE \(database).t COMMENT COLUMN other '\($0)'") },
            comment: { try TestDatabases.query(.clickhouse, "SELECT comment FROM system.columns WHERE database = '\(database)' AND table = 't' AND name = 'other'") })
        try checkTheThreeCases(field)
    }

    /// A wrapping template: the database holds `Synced: X`, the catalog gets `X`; a hand-written
    /// comment the template does not produce is not sent (unreadable); --plan sends nothing.
    func testAWrappedTemplateSendsTheValueNotTheStoredText() throws {
        let (url, psql) = try postgres()
        let database = try psql("select current_database()")
        let schema = TestDatabases.uniqueName("tocatalog")
        _ = try psql("""
            CREATE SCHEMA \(schema); CREATE TABLE \(schema).t (c int); CREATE TABLE \(schema).u (c int);
            COMMENT ON TABLE \(schema).t IS 'Synced: it''s X'; COMMENT ON TABLE \(schema).u IS 'written by hand, no prefix';
            """)
        defer { _ = try? psql("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        let channels = FileManager.default.temporaryDirectory.appendingPathComponent("channels-\(UUID().uuidString).json")
        try #"{"channels": [{"name": "tables", "filter": {"level": "table"}, "updateOwners": false, "sqlTemplate": "COMMENT ON TABLE {schema}.{table} IS 'Synced: {description}';"}]}"#
            .write(to: channels, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: channels) }
        let standIn = try StandInCatalog(catalog: ["service": "tocatalog_wrap", "databases": [["name": database, "schemas": [["name": schema, "tables": [
            ["name": "t", "columns": [["name": "c"]]], ["name": "u", "columns": [["name": "c"]]]]]]]]])
        let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("tocatalog-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: stateDir) }
        let args = ["sync", "--to-openmetadata", standIn.url, "--service", "tocatalog_wrap", "--connector", "postgres", "--connection", url,
                    "--channels", channels.path, "--state-dir", stateDir.path]

        let plan = try SyncE2E.run(args + ["--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        let patches = try CatalogSync.json(plan.stdout)["patches"] as? [[String: Any]] ?? []
        XCTAssertEqual(patches.count, 1, plan.stdout)
        XCTAssertEqual(patches.first?["entity"] as? String, "tocatalog_wrap.\(database).\(schema).t")
        XCTAssertEqual(((patches.first?["patch"] as? [[String: Any]])?.first)?["value"] as? String, "it's X")
        XCTAssertTrue(plan.stderr.contains("1 unreadable"), plan.stderr)
        XCTAssertTrue(plan.stderr.contains("description of tocatalog_wrap.\(database).\(schema).u"), plan.stderr)
        XCTAssertTrue(try standIn.requests().allSatisfy { $0.method == "GET" }, "--plan sent a change")

        // A refused patch fails the run and records nothing: the next run sends it again.
        try standIn.fault(403, count: 1, path: "/api/v1/tables/")
        let refused = try SyncE2E.run(args)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("may not edit it") && refused.stderr.contains("1 patch failed"), refused.stderr)
        XCTAssertEqual((try CatalogSync.json(refused.stdout)["patches"] as? [[String: Any]])?.first?["success"] as? Bool, false, refused.stdout)
        XCTAssertNil(try standIn.entity("tables", "tocatalog_wrap.\(database).\(schema).t")["description"])

        let run = try SyncE2E.run(args)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try standIn.entity("tables", "tocatalog_wrap.\(database).\(schema).t")["description"] as? String, "it's X")
        XCTAssertNil(try standIn.entity("tables", "tocatalog_wrap.\(database).\(schema).u")["description"])
        // Read back through the template on the next run: in line, nothing sent.
        try standIn.clearRequests()
        let again = try SyncE2E.run(args)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("0 patched"), again.stderr)
        XCTAssertTrue(try standIn.requests().allSatisfy { $0.method == "GET" })
    }

    /// `--from-history`: a comment set by hand through psql reaches the catalog from PostgreSQL's
    /// statement history (the event trigger), byte for byte; the cursor makes a second run send
    /// nothing; a value templatec itself wrote (`--from-openmetadata`) is skipped in the history
    /// and not sent back.
    func testFromHistory() throws {
        let (url, _) = try postgres()
        let database = TestDatabases.uniqueName("tocatalog_history")
        _ = try TestDatabases.query(.postgresql, "CREATE DATABASE \(database)")
        defer { _ = try? TestDatabases.query(.postgresql, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)") }
        guard var components = URLComponents(string: url) else { return XCTFail("TEMPLATEC_PG_URL is not a URL: \(url)") }
        components.path = "/" + database
        let target = components.string!
        components.queryItems = [URLQueryItem(name: "application_name", value: "psql")]
        let byHand = components.string!
        let psql = { (sql: String) throws -> String in
            // application_name psql: a person at a prompt, not templatec.
            let (status, out) = try RealEngines.shell(["psql", byHand, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
            guard status == 0 else { throw TestDatabases.TestFailure(description: out) }
            return out
        }
        let installed = try TemplatecBinary.run(["history", "install", "--connector", "postgres", "--connection", target])
        XCTAssertEqual(installed.status, 0, installed.stderr)
        _ = try psql("CREATE SCHEMA s; CREATE TABLE s.t (c int)")
        let field = Field(
            service: "tocatalog_hist", connector: "postgres", connection: target,
            catalog: ["service": "tocatalog_hist",
                      "databases": [["name": database, "schemas": [["name": "s", "tables": [["name": "t", "columns": [["name": "c"]]]]]]]]],
            table: "tocatalog_hist.\(database).s.t", column: nil,
            setComment: { _ = try psql("COMMENT ON TABLE s.t IS '\($0.replacingOccurrences(of: "'", with: "''"))'") },
            comment: { try psql("select obj_description('s.t'::regclass)") })
        let sync = try Sync(field)
        let hostile = "it's set by hand: \"quotes\" \\ $$ -- 😀\nsecond line"
        try field.setComment(hostile)

        let plan = try sync.toCatalog(["--from-history", "--plan"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stderr.contains("history: 2 statements read: 1 matched (1 change)"), plan.stderr)
        XCTAssertTrue(try sync.standIn.requests().allSatisfy { $0.method == "GET" }, "--plan sent a change")

        let run = try sync.toCatalog(["--from-history"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("1 patched"), run.stderr)
        XCTAssertEqual(try sync.catalogValue(), hostile)
        XCTAssertEqual(try sync.tablePatches().count, 1)

        // The cursor moved: nothing new is read, nothing sent.
        let again = try sync.toCatalog(["--from-history"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("history: 0 statements read"), again.stderr)
        XCTAssertEqual(try sync.tablePatches().count, 0)

        // The catalog changes; templatec writes it into the database; the history shows templatec's
        // own statement, which is skipped, not sent back.
        try sync.editCatalog("edited in the catalog")
        let down = try sync.run("--from-openmetadata")
        XCTAssertEqual(down.status, 0, down.stderr)
        XCTAssertEqual(try field.comment(), "edited in the catalog")
        let back = try sync.toCatalog(["--from-history"])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertTrue(back.stderr.contains("0 matched") && back.stderr.contains("1 skipped (run by templatec)"), back.stderr)
        XCTAssertEqual(try sync.tablePatches().count, 0)
        XCTAssertEqual(try sync.catalogValue(), "edited in the catalog")
    }

    func testUsageErrors() throws {
        for (args, text) in [
            (["--to-openmetadata", "http://127.0.0.1:1", "--from-openmetadata", "http://127.0.0.1:1"], "not both"),
            (["--to-openmetadata", "http://127.0.0.1:1", "--service", "s", "--connector", "postgres", "--connection", "postgresql://u@h/d", "--prefer", "newest"], "`catalog` or `database`"),
            (["--to-openmetadata", "http://127.0.0.1:1", "--service", "s", "--connector", "postgres"], "reads the database's current state"),
            (["--to-openmetadata", "ftp://x", "--service", "s", "--connector", "postgres", "--connection", "postgresql://u@h/d"], "--to-openmetadata 'ftp://x'"),
            (["--to-openmetadata", "http://127.0.0.1:1", "--service", "s", "--connector", "postgres", "--connection", "postgresql://u@h/d", "--parallel", "2"], "unknown option"),
            (["--to-openmetadata", "http://127.0.0.1:1", "--service", "s", "--connector", "postgres", "--connection", "postgresql://u@h/d", "--since", "2026-12-01T00:00:00Z"], "with --from-history"),
            (["--to-openmetadata", "http://127.0.0.1:1", "--service", "s", "--connector", "mysql", "--connection", "mysql://u@h/d", "--from-history"], "no statement history is read"),
        ] {
            let r = try SyncE2E.run(["sync"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(text), "\(args): expected `\(text)` in \(r.stderr)")
        }
    }
}
