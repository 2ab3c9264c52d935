import Foundation
import XCTest
@testable import ReverseSync
import TemplateCompiler

/// The batch sync's pure parts: the diff against a current state, operation ids and links, the
/// rows the state readers decode, the catalog's URL and reserved names, and the REST client's
/// retries (against a scripted socket server, no Python).
final class CatalogDiffTests: XCTestCase {
    func entity(_ json: String) throws -> CatalogEntity {
        try JSONDecoder().decode(CatalogEntity.self, from: Data(json.utf8))
    }

    func table(_ name: String, description: String? = nil, owners: String = "[]", columns: String = "[]", tags: String = "[]") throws -> CatalogEntity {
        let d = description.map { #", "description": \#(RealJSON.string($0))"# } ?? ""
        return try entity(#"{"id": "00000000-0000-4000-8000-000000000001", "name": "\#(name)"\#(d), "owners": \#(owners), "tags": \#(tags), "columns": \#(columns)}"#)
    }

    let db = try! JSONDecoder().decode(CatalogEntity.self, from: Data(#"{"id": "00000000-0000-4000-8000-000000000002", "name": "db"}"#.utf8))
    let schema = try! JSONDecoder().decode(CatalogEntity.self, from: Data(#"{"id": "00000000-0000-4000-8000-000000000003", "name": "s"}"#.utf8))

    func postgresState() -> CurrentState {
        var state = CurrentState(readable: [.description: [.database, .schema, .table, .column], .owner: [.database, .schema, .table]], connectedDatabase: "db")
        state.database = ObjectState()
        state.schemas["s"] = ObjectState(owner: "templatec")
        state.tables[.init("s", "t")] = TableState(object: ObjectState(description: "caf\u{E9}", owner: "alice"), columns: ["c": "same", "d": nil])
        return state
    }

    func testOnlyDifferencesBecomeOperations() throws {
        let diff = CatalogDiff(connector: Connectors.connector(.postgres), channels: nil, state: postgresState(), service: "svc")
        diff.schema(db, schema)
        // The decomposed é differs from the stored precomposed one byte for byte.
        diff.table(db, schema, try table("t", description: "cafe\u{301}", owners: #"[{"id": "00000000-0000-4000-8000-00000000000a", "type": "user", "name": "alice"}]"#,
                                         columns: #"[{"name": "c", "description": "same"}, {"name": "d", "description": "new"}, {"name": "e", "description": "no such column"}]"#))
        let ops = diff.operations.map { "\($0.type.rawValue) \($0.entityLink)" }
        XCTAssertEqual(ops, ["UPDATE_DESCRIPTION <#E::table::svc.db.s.t>", "UPDATE_DESCRIPTION <#E::table::svc.db.s.t::columns::d>"])
        XCTAssertEqual(diff.summary.unchanged, 3)  // the schema's empty description, owner alice, column c
        XCTAssertEqual(diff.summary.missing, 1)
        XCTAssertTrue(diff.summary.missingExamples[0].contains("column `e`"))
        if case .description(let d) = diff.operations[0].parameters {
            XCTAssertEqual(d.previousDescription, "caf\u{E9}")
            XCTAssertEqual(d.newDescription, "cafe\u{301}")
        } else { XCTFail("not a description operation") }
    }

    func testEmptyCatalogDescriptionsKeepTheDatabasesCommentAndTeamsAreNotOwners() throws {
        let diff = CatalogDiff(connector: Connectors.connector(.postgres), channels: nil, state: postgresState(), service: "svc")
        diff.table(db, schema, try table("t", owners: #"[{"id": "00000000-0000-4000-8000-00000000000b", "type": "team", "name": "finance"}]"#))
        XCTAssertEqual(diff.operations.count, 0)
        XCTAssertEqual(diff.summary.kept, 1)
        XCTAssertEqual(diff.summary.teamOwners, 1)
    }

    func testOtherDatabasesAreNotReachedThroughAPostgreSQLSession() throws {
        let other = try entity(#"{"id": "00000000-0000-4000-8000-000000000004", "name": "elsewhere", "description": "x"}"#)
        let diff = CatalogDiff(connector: Connectors.connector(.postgres), channels: nil, state: postgresState(), service: "svc")
        diff.database(other)
        diff.table(other, schema, try table("t", description: "y"))
        XCTAssertEqual(diff.operations.count, 0)
        XCTAssertEqual(diff.summary.missing, 2)
        XCTAssertTrue(diff.summary.missingExamples[0].contains("not the connected database `db`"), diff.summary.missingExamples[0])
    }

    func testChannelsDecideWhatIsGeneratedAndWrappingTemplatesAreReadBack() throws {
        let channels = [Channel(name: "tables", filter: { var f = ChannelFilter(); f.level = [.table]; return f }(),
                                sqlTemplate: "COMMENT ON TABLE {schema}.{table} IS 'Synced: {description}';")]
        var state = postgresState()
        state.tables[.init("s", "t")]?.object.description = "Synced: it's x"
        let diff = CatalogDiff(connector: Connectors.connector(.postgres), channels: channels, state: state, service: "svc")
        diff.schema(db, try entity(#"{"id": "00000000-0000-4000-8000-000000000003", "name": "s", "description": "no channel takes schemas"}"#))
        // The stored `Synced: it's x` read back through the template is the catalog's `it's x`.
        diff.table(db, schema, try table("t", description: "it's x", columns: #"[{"name": "d", "description": "no channel takes columns"}]"#))
        XCTAssertEqual(diff.operations.count, 0)
        XCTAssertEqual(diff.summary.unchanged, 1)
        XCTAssertEqual(diff.summary.unknown, 0)

        // Another catalog value, or a comment written by hand without the prefix, differs.
        let changed = CatalogDiff(connector: Connectors.connector(.postgres), channels: channels, state: state, service: "svc")
        changed.table(db, schema, try table("t", description: "y"))
        XCTAssertEqual(changed.operations.map(\.entityLink), ["<#E::table::svc.db.s.t>"])
        var byHand = postgresState()
        byHand.tables[.init("s", "t")]?.object.description = "it's x"
        let handWritten = CatalogDiff(connector: Connectors.connector(.postgres), channels: channels, state: byHand, service: "svc")
        handWritten.table(db, schema, try table("t", description: "it's x"))
        XCTAssertEqual(handWritten.operations.map(\.entityLink), ["<#E::table::svc.db.s.t>"])

        // A template the value cannot be read back through (it stores no {description}) is
        // written every run, and counted as such.
        let unreadable = [Channel(name: "tables", sqlTemplate: "COMMENT ON TABLE {schema}.{table} IS 'maintained by the catalog';")]
        let unread = CatalogDiff(connector: Connectors.connector(.postgres), channels: unreadable, state: state, service: "svc")
        unread.table(db, schema, try table("t", description: "it's x"))
        XCTAssertEqual(unread.operations.count, 1)
        XCTAssertEqual(unread.summary.unknown, 1)

        // A channel template that inserts the value whole is compared like the default.
        let whole = [Channel(name: "all", sqlTemplate: "COMMENT ON TABLE {schema}.{table} IS {description};")]
        let same = CatalogDiff(connector: Connectors.connector(.postgres), channels: whole, state: postgresState(), service: "svc")
        same.table(db, schema, try table("t", description: "caf\u{E9}"))
        XCTAssertEqual(same.operations.count, 0)
    }

    func testWithoutStateEverythingIsWrittenIncludingTags() throws {
        let diff = CatalogDiff(connector: Connectors.connector(.snowflake), channels: nil, state: nil, service: "svc")
        diff.table(db, schema, try table("t", description: "x", columns: #"[{"name": "c"}]"#,
                                         tags: #"[{"tagFQN": "PII.Sensitive", "source": "Classification", "labelType": "SomethingNew", "state": "Confirmed"}]"#))
        XCTAssertEqual(diff.operations.map(\.type), [.updateDescription, .updateTags])
        if case .tags(let t) = diff.operations[1].parameters {
            XCTAssertEqual(t.addedTags?.map(\.tagFQN), ["PII.Sensitive"])
            XCTAssertEqual(t.addedTags?.first?.labelType, "Manual", "a label type the schema does not know would make the plan unreadable")
        } else { XCTFail("not a tags operation") }
    }

    func testLinksReadBackAsTheSameNamesAndIdsAreStable() throws {
        let names = EntityNames(service: "svc", database: "db", schema: "my.schema", table: "a::b", column: "x\"y", level: .column)
        let link = try XCTUnwrap(GeneratedOperations.link(names))
        XCTAssertEqual(try EntityNames(EntityLink.parse(link)), names)
        let a = GeneratedOperations.id(link, "d", "text"), b = GeneratedOperations.id(link, "d", "text")
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, GeneratedOperations.id(link, "d", "other"))
        XCTAssertNotNil(UUID(uuidString: a), a)
        XCTAssertEqual(Array(a)[14], "8", "version 8")
    }

    func testAPlanDocumentReadsBackAsTheSamePipeline() throws {
        let diff = CatalogDiff(connector: Connectors.connector(.databricks), channels: nil, state: nil, service: "svc")
        diff.table(db, schema, try table("t", description: "it's \"quoted\"\n\u{1F600}",
                                         owners: #"[{"id": "00000000-0000-4000-8000-00000000000a", "type": "user", "name": "alice", "fullyQualifiedName": "alice"}]"#,
                                         tags: #"[{"tagFQN": "PII.Sensitive", "source": "Classification", "labelType": "Manual", "state": "Confirmed"}]"#))
        let plan = BatchPlan(pipeline: ReverseIngestionPipeline(service: EntityReference(id: "00000000-0000-4000-8000-0000000000ff", type: "databaseService", name: "svc"),
                                                                operations: diff.operations),
                             summary: diff.summary, catalogRequests: 0)
        XCTAssertEqual(diff.operations.map(\.type), [.updateDescription, .updateOwner, .updateTags])
        let read = try PipelineReader.read(Data(plan.document.utf8))
        XCTAssertEqual(read.service, plan.pipeline.service)
        XCTAssertEqual(read.operations.map(\.id), diff.operations.map(\.id))
        XCTAssertEqual(read.operations.map(\.entityLink), diff.operations.map(\.entityLink))
        guard case .description(let d) = read.operations[0].parameters, case .owner(let o) = read.operations[1].parameters,
              case .tags(let t) = read.operations[2].parameters else { return XCTFail("parameters of the wrong kind") }
        XCTAssertEqual(d.newDescription, "it's \"quoted\"\n\u{1F600}")
        XCTAssertEqual(o.addedOwners, [{ var r = EntityReference(id: "00000000-0000-4000-8000-00000000000a", type: "user", name: "alice"); r.fullyQualifiedName = "alice"; return r }()])
        XCTAssertEqual(t.addedTags?.map(\.tagFQN), ["PII.Sensitive"])
        // An empty plan is a pipeline too.
        let empty = BatchPlan(pipeline: ReverseIngestionPipeline(service: plan.pipeline.service, operations: []), summary: .init(), catalogRequests: 0)
        XCTAssertEqual(try PipelineReader.read(Data(empty.document.utf8)).operations.count, 0)
    }

    func testTabSeparatedRowsDecodeEveryEscape() {
        let tab = "\t"
        let line = Array((#"T\tab"# + tab + #"x\\y\nz\r\0\'"# + tab + #"\N"# + tab + #"\\N"# + tab).utf8)
        XCTAssertEqual(TabSeparatedRow.decode(line[...], nullMarker: true), ["T\tab", "x\\y\nz\r\0'", nil, "\\N", ""])
        XCTAssertEqual(TabSeparatedRow.decode(Array((#"a"# + tab + #"\N"#).utf8)[...], nullMarker: false), ["a", "N"])
    }

    func testCatalogLocations() throws {
        XCTAssertEqual(try CatalogLocation.parse("http://localhost:8585/api"), CatalogLocation(useTLS: false, host: "localhost", port: 8585, prefix: ""))
        XCTAssertEqual(try CatalogLocation.parse("https://om.example.com/catalog/"), CatalogLocation(useTLS: true, host: "om.example.com", port: 443, prefix: "/catalog"))
        XCTAssertEqual(try CatalogLocation.parse("http://[::1]:9000").host, "::1")
        XCTAssertThrowsError(try CatalogLocation.parse("http://bot:secret@host")) { XCTAssertFalse("\($0)".contains("secret")) }
        XCTAssertThrowsError(try CatalogLocation.parse("localhost:8585"))
        XCTAssertThrowsError(try CatalogLocation.parse("http://host:99999"))
    }

    func testReservedWordsInNamesAreDecoded() {
        XCTAssertEqual(ReservedNames.decode("a__reserved__colon__b__reserved__quote__c__reserved__arrow__"), "a::b\"c>")
        XCTAssertEqual(ReservedNames.decode("plain"), "plain")
    }

    func testServerErrorsAreRetriedThenReported() throws {
        let server = try StandInHTTPServer { _, n in
            n < 2 ? .json(503, ["code": 503, "message": "busy"]) : .json(200, ["id": "00000000-0000-4000-8000-0000000000aa", "name": "svc"])
        }
        let client = try CatalogClient(location: CatalogLocation.parse(server.origin), token: "t", environment: [:])
        var waits: [Double] = []
        client.sleep = { waits.append($0) }
        XCTAssertEqual(try client.serviceID("svc"), "00000000-0000-4000-8000-0000000000aa")
        XCTAssertEqual(waits, [0.25, 0.5])
        XCTAssertEqual(server.requests.first?.headers["authorization"], "Bearer t")

        let down = try StandInHTTPServer { _, _ in .json(500, ["code": 500, "message": "broken"]) }
        let failing = try CatalogClient(location: CatalogLocation.parse(down.origin), token: nil, environment: [:])
        failing.sleep = { _ in }
        XCTAssertThrowsError(try failing.serviceID("svc")) { error in
            XCTAssertEqual((error as? CatalogError)?.kind, .unavailable)
            XCTAssertTrue("\(error)".contains("after 6 attempts") && "\(error)".contains("broken"), "\(error)")
        }
        XCTAssertEqual(down.requests.count, 6)
    }

    func testAPagingCursorThatRepeatsStopsTheWalk() throws {
        let server = try StandInHTTPServer { _, _ in .json(200, ["data": [], "paging": ["after": "same"]]) }
        let client = try CatalogClient(location: CatalogLocation.parse(server.origin), token: nil, environment: [:])
        XCTAssertThrowsError(try client.list("tables", filter: ("databaseSchema", "a.b.c"), fields: "columns", pageSize: 10) { _ in }) { error in
            XCTAssertTrue("\(error)".contains("repeats the paging cursor"), "\(error)")
        }
        XCTAssertEqual(server.requests.count, 2)
    }
}

/// JSON string literals for hand-built test documents.
enum RealJSON {
    static func string(_ s: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [s]), as: UTF8.self).dropFirst().dropLast().description
    }
}
