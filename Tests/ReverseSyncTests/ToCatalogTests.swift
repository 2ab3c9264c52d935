import XCTest
@testable import ReverseSync
import TemplateCompiler
import TemplateWorkspace

/// `sync --to-openmetadata` without a network or a database: the decision table, the JSON Patches
/// built from the catalog's entities, and the sync ledger (what it records and what it skips).
final class ToCatalogTests: XCTestCase {
    // MARK: the decision table

    func decide(_ database: String, _ catalog: String, _ ledger: String?, _ prefer: ToCatalogDecision.Preference? = nil) -> ToCatalogDecision {
        ToCatalogDecision.decide(database: database, catalog: catalog, ledger: ledger, prefer: prefer)
    }

    func testEveryRowOfTheDecisionTable() {
        // Equal on both sides, whatever the ledger says.
        XCTAssertEqual(decide("x", "x", nil), .inLine)
        XCTAssertEqual(decide("x", "x", "old"), .inLine)
        XCTAssertEqual(decide("", "", nil), .inLine)
        // The database changed: patch. The catalog changed: leave it (loop case 1: the value
        // templatec wrote into the database is the ledger's, so it is never sent back).
        XCTAssertEqual(decide("new", "agreed", "agreed"), .patch(preferred: false))
        XCTAssertEqual(decide("agreed", "new", "agreed"), .catalogAhead(preferred: false))
        // Both changed: a conflict, or the preferred side.
        XCTAssertEqual(decide("db", "cat", "agreed"), .conflict)
        XCTAssertEqual(decide("db", "cat", "agreed", .database), .patch(preferred: true))
        XCTAssertEqual(decide("db", "cat", "agreed", .catalog), .catalogAhead(preferred: true))
        // No ledger entry: an empty catalog is patched, two values are a conflict.
        XCTAssertEqual(decide("db", "", nil), .patch(preferred: false))
        XCTAssertEqual(decide("db", "cat", nil), .conflict)
        XCTAssertEqual(decide("db", "cat", nil, .database), .patch(preferred: true))
        XCTAssertEqual(decide("db", "cat", nil, .catalog), .catalogAhead(preferred: true))
        // The database holds none: the catalog's text is never removed.
        XCTAssertEqual(decide("", "cat", "cat"), .kept)
        XCTAssertEqual(decide("", "cat", nil, .database), .kept)
        // The catalog was emptied since they agreed: it changed, the database is not sent.
        XCTAssertEqual(decide("agreed", "", "agreed"), .catalogAhead(preferred: false))
        // Byte for byte: a decomposed é is another value.
        XCTAssertEqual(decide("e\u{301}", "\u{e9}", "\u{e9}"), .patch(preferred: false))
    }

    // MARK: patches

    static func entity(_ json: String) throws -> CatalogEntity { try JSONDecoder().decode(CatalogEntity.self, from: Data(json.utf8)) }

    func snapshot() throws -> CatalogSnapshot {
        var s = CatalogSnapshot(service: "svc", serviceID: "svc-id")
        s.add(EntityNames(service: "svc", database: "db", level: .database),
              .database, try Self.entity(#"{"id": "d1", "name": "db"}"#))
        s.add(EntityNames(service: "svc", database: "db", schema: "s", level: .schema),
              .databaseSchema, try Self.entity(#"{"id": "s1", "name": "s", "description": "old", "owners": [{"id": "team1", "type": "team", "name": "finance"}]}"#))
        s.add(EntityNames(service: "svc", database: "db", schema: "s", table: "t", level: .table),
              .table, try Self.entity(#"{"id": "t1", "name": "t", "owners": [], "columns": [{"name": "a", "description": "has one"}, {"name": "b"}]}"#))
        return s
    }

    func change(_ table: String?, column: String? = nil, schema: String? = "s", field: DatabaseChange.Field = .description, _ value: String) -> DatabaseChange {
        let level: Level = column != nil ? .column : table != nil ? .table : schema != nil ? .schema : .database
        return DatabaseChange(entity: EntityNames(service: "svc", database: "db", schema: schema, table: table, column: column, level: level),
                              field: field, value: value, evidence: .currentState)
    }

    func testOnePatchPerEntityWithAddOrReplaceAsTheEntityRequires() throws {
        var lookups: [String] = []
        let plan = try ToCatalogPlan.make([
            change("t", "first"),
            change("t", column: "a", "column a"),
            change("t", column: "b", "column b"),
            change("t", field: .owner, "alice"),
            change(nil, "schema text"),
            change(nil, schema: nil, "database text"),
            change("t", "table text"),  // the last change of a field counts
            change("gone", "not in the catalog"),
        ], snapshot: try snapshot(), ledger: nil, prefer: .database) { name in
            lookups.append(name)
            return CatalogReference(id: "u-alice", type: "user", name: name, fullyQualifiedName: name)
        }
        XCTAssertEqual(lookups, ["alice"])
        XCTAssertEqual(plan.patches.map(\.entity), ["svc.db.s.t", "svc.db.s", "svc.db"])
        let table = try XCTUnwrap(plan.patches.first)
        XCTAssertEqual(table.href, "/api/v1/tables/t1")
        XCTAssertEqual(ToCatalogPlan.body(table),
                       #"[{"op":"add","path":"/description","value":"table text"},{"op":"replace","path":"/columns/0/description","value":"column a"},"#
                       + #"{"op":"add","path":"/columns/1/description","value":"column b"},"#
                       + #"{"op":"replace","path":"/owners","value":[{"fullyQualifiedName":"alice","id":"u-alice","name":"alice","type":"user"}]}]"#)
        XCTAssertEqual(ToCatalogPlan.body(plan.patches[1]), #"[{"op":"replace","path":"/description","value":"schema text"}]"#)
        XCTAssertEqual(plan.patches[2].href, "/api/v1/databases/d1")
        XCTAssertEqual(ToCatalogPlan.body(plan.patches[2]), #"[{"op":"add","path":"/description","value":"database text"}]"#)
        // Column a and the schema have other descriptions in the catalog and nothing was ever
        // agreed: conflicts, which --prefer database settles (reported as such).
        XCTAssertEqual(plan.conflicts.map(\.entity), ["svc.db.s.t.a", "svc.db.s"])
        XCTAssertEqual(plan.conflicts.map(\.preferred), [.database, .database])
        XCTAssertEqual(plan.summary.patched, 6)
        XCTAssertEqual(plan.summary.conflicts, 0)
        XCTAssertEqual(plan.summary.notInCatalog, 1)
        XCTAssertEqual(plan.notInCatalog, ["svc.db.s.gone"])
    }

    func testAnOwnerWithoutACatalogUserOrATeamOwnerIsNotPatched() throws {
        var asked = 0
        let plan = try ToCatalogPlan.make([change("t", field: .owner, "nobody"), change(nil, field: .owner, "alice"), change("t", column: "b", "text")],
                                          snapshot: try snapshot(), ledger: nil, prefer: .database) { _ in asked += 1; return nil }
        XCTAssertEqual(asked, 1, "the team-owned schema asks for no user")
        XCTAssertEqual(plan.unknownUsers, ["nobody"])
        XCTAssertEqual(plan.summary.unknownUsers, 1)
        XCTAssertEqual(plan.summary.teamOwners, 1)
        XCTAssertEqual(plan.patches.count, 1)
        XCTAssertEqual(plan.patches.first?.operations.map(\.path), ["/columns/1/description"])
    }

    // MARK: the ledger

    func temporaryStateDirectory() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testTheLedgerDecidesAndKeepsTheOriginOfAValueSeenEqual() throws {
        let dir = temporaryStateDirectory()
        let ledger = SyncLedger(stateDirectory: dir)
        try ledger.record([SyncLedger.Update(entity: "svc.db.s.t", field: .description, value: "agreed", origin: .database)], run: "r1")
        // Seen equal later: the entry (origin database) stays, so its echo is still recognised.
        try ledger.record([SyncLedger.Update(entity: "svc.db.s.t", field: .description, value: "agreed", origin: .both),
                           SyncLedger.Update(entity: "svc.db.s.u", field: .owner, value: "bob", origin: .both)], run: "r2")
        let other = SyncLedger(stateDirectory: dir)
        try other.refresh()
        XCTAssertEqual(other.entry("svc.db.s.t", .description)?.origin, .database)
        XCTAssertEqual(other.entry("svc.db.s.t", .description)?.run, "r1")
        XCTAssertEqual(other.entry("svc.db.s.u", .owner)?.origin, .both)
        XCTAssertTrue(other.isDatabaseEcho("svc.db.s.t", .description, value: "agreed"))
        XCTAssertFalse(other.isDatabaseEcho("svc.db.s.t", .description, value: "a catalog edit"))
        XCTAssertFalse(other.isDatabaseEcho("svc.db.s.u", .owner, value: "bob"), "a value seen equal is not one templatec carried")

        // The ledger's value decides: the database changed since.
        let plan = try ToCatalogPlan.make([change("t", "agreed, then edited in the database")], snapshot: try {
            var s = CatalogSnapshot(service: "svc", serviceID: "x")
            s.add(EntityNames(service: "svc", database: "db", schema: "s", table: "t", level: .table), .table,
                  try Self.entity(#"{"id": "t1", "name": "t", "description": "agreed"}"#))
            return s
        }(), ledger: other, prefer: nil) { _ in nil }
        XCTAssertEqual(plan.patches.first?.operations.first?.op, "replace")
        XCTAssertEqual(plan.conflicts.count, 0)
    }

    func testAnUnreadableLedgerIsAnErrorThatSaysWhatToDo() throws {
        let dir = temporaryStateDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "not json".write(toFile: dir + "/sync-ledger.json", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SyncLedger(stateDirectory: dir).refresh()) { error in
            XCTAssertTrue("\(error)".contains("move it away"), "\(error)")
        }
    }

    /// The Runner records what each successful operation wrote, and nothing of a failed one, a
    /// tags operation or a dry run.
    func testTheRunnerRecordsWhatSucceeded() throws {
        let doc = #"""
        {"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-000000000001", "type": "databaseService", "name": "pg"}, "operations": [
          {"id": "1", "entityLink": "<#E::table::pg.db.s.t>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "written"}},
          {"id": "2", "entityLink": "<#E::table::pg.db.s.u>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "refused"}},
          {"id": "3", "entityLink": "<#E::table::pg.db.s.t::columns::c>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "column"}},
          {"id": "4", "entityLink": "<#E::table::pg.db.s.t>", "type": "UPDATE_OWNER", "parameters": {"addedOwners": [{"id": "7f1e2c3a-0000-4000-8000-000000000002", "type": "user", "name": "alice"}]}},
          {"id": "5", "entityLink": "<#E::table::pg.db.s.t>", "type": "UPDATE_TAGS", "parameters": {"addedTags": [{"tagFQN": "PII.Sensitive", "source": "Classification", "labelType": "Manual", "state": "Confirmed"}]}}]}
        """#
        let pipeline = try PipelineReader.read(Data(doc.utf8))
        let dir = temporaryStateDirectory()
        let runner = Runner(planner: Planner(connector: Connectors.connector(.postgres)),
                            mode: .execute(openSession: { RecordingExecutor { $0.contains("refused") } }))
        runner.ledger = SyncLedger(stateDirectory: dir)
        runner.ledgerRun = "run-1"
        let outcome = runner.run(pipeline)
        XCTAssertNil(outcome.ledgerProblem)
        let ledger = SyncLedger(stateDirectory: dir)
        try ledger.refresh()
        XCTAssertEqual(ledger.entry("pg.db.s.t", .description), SyncLedger.Entry(value: "written", origin: .catalog, run: "run-1",
                                                                                 at: try XCTUnwrap(ledger.entry("pg.db.s.t", .description)?.at)))
        XCTAssertNil(ledger.entry("pg.db.s.u", .description), "a failed operation agreed on nothing")
        XCTAssertEqual(ledger.entry("pg.db.s.t.c", .description)?.value, "column")
        XCTAssertEqual(ledger.entry("pg.db.s.t", .owner)?.value, "alice")
        XCTAssertEqual(ledger.entries.count, 2)

        let dryDir = temporaryStateDirectory()
        let dry = Runner(planner: Planner(connector: Connectors.connector(.postgres)), mode: .dryRun(log: { _ in }))
        dry.ledger = SyncLedger(stateDirectory: dryDir)
        _ = dry.run(pipeline)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dryDir + "/sync-ledger.json"), "a dry run wrote the ledger")
    }

    /// Loop case 2 in `listen`: an event that carries back the value `--to-openmetadata` patched
    /// is skipped, with a reason; a catalog edit to another value is applied.
    func testListenSkipsTheEchoOfAPatch() throws {
        let dir = temporaryStateDirectory()
        try SyncLedger(stateDirectory: dir).record([SyncLedger.Update(entity: "pg.db.s.t", field: .description, value: "from the database", origin: .database)], run: "r")
        let applier = try EventApplier(inbox: Inbox(directory: dir + "/inbox"), mapper: ChangeEventMapper(service: "pg"),
                                       planner: Planner(connector: Connectors.connector(.postgres)), store: RunStore(stateDirectory: dir),
                                       metrics: ListenMetrics(), openSession: { RecordingExecutor { _ in false } })
        try applier.ledger.refresh()
        func op(_ value: String) throws -> PipelineOperation {
            let doc = #"{"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-000000000001", "type": "databaseService", "name": "pg"}, "operations": ["#
                + #"{"id": "e/1", "entityLink": "<#E::table::pg.db.s.t>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "\#(value)"}}]}"#
            return try PipelineReader.read(Data(doc.utf8)).operations[0]
        }
        let echo = try XCTUnwrap(applier.echo(try op("from the database")))
        XCTAssertTrue(echo.contains("not written back"), echo)
        XCTAssertNil(applier.echo(try op("edited in the catalog since")))
    }

    // MARK: the client

    /// PATCH goes out as JSON Patch with the token, is retried like a GET, and a refusal says what
    /// to check; a user the catalog lacks is nil, not an error.
    func testPatchesAndUserLookupsGoThroughTheClientsRetries() throws {
        let server = try StandInHTTPServer { request, n in
            if request.target.hasPrefix("/api/v1/users/name/") {
                return request.target.hasSuffix("/alice") ? .json(200, ["id": "u1", "name": "alice", "fullyQualifiedName": "alice"])
                                                          : .json(404, ["code": 404, "message": "user instance for nobody not found"])
            }
            if request.target.hasSuffix("/forbidden") { return .json(403, ["code": 403, "message": "EditDescription not allowed"]) }
            return n < 1 ? .json(503, ["code": 503, "message": "busy"]) : .json(200, ["id": "t1", "name": "t"])
        }
        let client = try CatalogClient(location: CatalogLocation.parse(server.origin), token: "t", environment: [:])
        var waits: [Double] = []
        client.sleep = { waits.append($0) }
        try client.patch("/api/v1/tables/t1", jsonPatch: #"[{"op":"add","path":"/description","value":"x"}]"#, what: "table `a.b.c.t`")
        XCTAssertEqual(waits, [0.25])
        let sent = try XCTUnwrap(server.requests.last)
        XCTAssertEqual(sent.method, "PATCH")
        XCTAssertEqual(sent.headers["content-type"], "application/json-patch+json")
        XCTAssertEqual(sent.headers["authorization"], "Bearer t")
        XCTAssertEqual(sent.body, #"[{"op":"add","path":"/description","value":"x"}]"#)

        XCTAssertEqual(try client.user(named: "alice")?.id, "u1")
        XCTAssertNil(try client.user(named: "nobody"))
        XCTAssertThrowsError(try client.patch("/api/v1/tables/forbidden", jsonPatch: "[]", what: "table `t`")) { error in
            XCTAssertEqual((error as? CatalogError)?.kind, .forbidden)
            XCTAssertTrue("\(error)".contains("may not edit it") && "\(error)".contains("EditDescription"), "\(error)")
        }
    }
}
