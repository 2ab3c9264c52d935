import XCTest
import TemplateCompiler
@testable import ReverseSync

/// ChangeEvent bodies → the operations `sync` runs, and the reasons for what is skipped.
final class ListenEventMapperTests: XCTestCase {
    private func event(_ entityType: String = "table", fqn: String? = "svc.db.sch.tbl", eventType: String = "entityUpdated",
                       incremental: [String: Any]? = nil, consolidated: [String: Any]? = nil) -> [UInt8] {
        var o: [String: Any] = ["id": "e1", "eventType": eventType, "entityType": entityType,
                                "entityId": "0b7a1c1e-4f5e-4c3b-9a47-3f2a1c1e4f5e", "timestamp": 1_700_000_000_000]
        if let fqn { o["entityFullyQualifiedName"] = fqn }
        if let incremental { o["incrementalChangeDescription"] = incremental }
        if let consolidated { o["changeDescription"] = consolidated }
        return [UInt8](try! JSONSerialization.data(withJSONObject: o))
    }

    private func json(_ v: Any) -> String { String(decoding: try! JSONSerialization.data(withJSONObject: v), as: UTF8.self) }

    private func map(_ body: [UInt8], service: String? = "svc") throws -> EventMapping {
        ChangeEventMapper(service: service).map(try ChangeEvent.parse(body))
    }

    func testDescriptionsOfTableAndQuotedColumn() throws {
        let m = try map(event(incremental: ["fieldsUpdated": [
            ["name": "description", "oldValue": "old", "newValue": "it's new"],
            ["name": "columns.\"a.b\".description", "newValue": "dotted"],
            ["name": "columns.id.description", "oldValue": "x", "newValue": "plain"],
        ]]))
        XCTAssertEqual(m.service, "svc")
        XCTAssertEqual(m.problems, [])
        XCTAssertEqual(m.changes, [
            EventChange(entityLink: "<#E::table::svc.db.sch.tbl>", kind: .description(previous: "old", new: "it's new")),
            EventChange(entityLink: "<#E::table::svc.db.sch.tbl::columns::\"a.b\">", kind: .description(previous: nil, new: "dotted")),
            EventChange(entityLink: "<#E::table::svc.db.sch.tbl::columns::id>", kind: .description(previous: "x", new: "plain")),
        ])
        // The links are the ones sync reads.
        XCTAssertEqual(try EntityLink.parse(m.changes[1].entityLink).column, "a.b")
    }

    func testDeletedDescriptionRemovesIt() throws {
        let m = try map(event("databaseSchema", fqn: "svc.db.sch", incremental: ["fieldsDeleted": [["name": "description", "oldValue": "gone"]]]))
        XCTAssertEqual(m.changes, [EventChange(entityLink: "<#E::databaseSchema::svc.db.sch>", kind: .description(previous: "gone", new: ""))])
    }

    func testOwnersAreJSONTextDecodedAgainAndDiffedOnUpdate() throws {
        let alice: [String: Any] = ["id": "1", "type": "user", "name": "alice", "inherited": false]
        let bob: [String: Any] = ["id": "2", "type": "user", "name": "bob"]
        let m = try map(event(incremental: ["fieldsUpdated": [["name": "owners", "oldValue": json([alice]), "newValue": json([bob])]]]))
        guard case .owners(let added, let removed)? = m.changes.first?.kind else { return XCTFail("\(m)") }
        XCTAssertEqual(added.map { $0["name"]?.stringValue }, ["bob"])
        XCTAssertEqual(removed.map { $0["name"]?.stringValue }, ["alice"])
        // Keys entityReference.json does not have are dropped (the pipeline's reader is strict).
        XCTAssertNil(removed[0]["inherited"])
        // The older single `owner`, one object.
        let old = try map(event(incremental: ["fieldsAdded": [["name": "owner", "newValue": json(bob)]]]))
        guard case .owners(let a2, let r2)? = old.changes.first?.kind else { return XCTFail("\(old)") }
        XCTAssertEqual(a2.count, 1)
        XCTAssertEqual(r2.count, 0)
    }

    func testTagsAddedAndRemovedInOneEventAreOneOperation() throws {
        let pii: [String: Any] = ["tagFQN": "PII.Sensitive", "source": "Classification", "labelType": "Manual", "state": "Confirmed"]
        let tier: [String: Any] = ["tagFQN": "Tier.Tier1", "source": "Classification", "labelType": "Manual", "state": "Confirmed"]
        let m = try map(event(incremental: ["fieldsAdded": [["name": "tags", "newValue": json([pii])]],
                                            "fieldsDeleted": [["name": "tags", "oldValue": json([tier])]]]))
        XCTAssertEqual(m.changes.count, 1)
        guard case .tags(let added, let removed)? = m.changes.first?.kind else { return XCTFail("\(m)") }
        XCTAssertEqual(added.map { $0["tagFQN"]?.stringValue }, ["PII.Sensitive"])
        XCTAssertEqual(removed.map { $0["tagFQN"]?.stringValue }, ["Tier.Tier1"])
        let column = try map(event(incremental: ["fieldsAdded": [["name": "columns.email.tags", "newValue": json([pii])]]]))
        XCTAssertEqual(column.changes.first?.entityLink, "<#E::table::svc.db.sch.tbl::columns::email>")
    }

    func testIncrementalFirstThenConsolidated() throws {
        let both = try map(event(incremental: ["fieldsUpdated": [["name": "description", "newValue": "this edit"]]],
                                 consolidated: ["fieldsUpdated": [["name": "description", "newValue": "all edits"]]]))
        XCTAssertEqual(both.changes.first?.kind, .description(previous: nil, new: "this edit"))
        let only = try map(event(consolidated: ["fieldsUpdated": [["name": "description", "newValue": "all edits"]]]))
        XCTAssertEqual(only.changes.first?.kind, .description(previous: nil, new: "all edits"))
    }

    func testSkippedWithReasons() throws {
        let other = try map(event(fqn: "other.db.sch.tbl", incremental: ["fieldsUpdated": [["name": "description", "newValue": "x"]]]))
        XCTAssertEqual(other.changes, [])
        XCTAssertTrue(other.skipped.first?.contains("belongs to service `other`") ?? false, "\(other.skipped)")
        // Without --service every service's events are applied.
        XCTAssertEqual(try map(event(fqn: "other.db.sch.tbl", incremental: ["fieldsUpdated": [["name": "description", "newValue": "x"]]]), service: nil).changes.count, 1)

        let fields = try map(event(incremental: ["fieldsUpdated": [["name": "displayName", "newValue": "x"], ["name": "columns.a.b.description", "newValue": "nested"],
                                                                   ["name": "description", "newValue": "kept"]]]))
        XCTAssertEqual(fields.changes.count, 1)
        XCTAssertEqual(fields.skipped.count, 2)
        XCTAssertTrue(fields.skipped[0].contains("`displayName` is not reverse-synced"))
        XCTAssertTrue(fields.skipped[1].contains("nested column"))
        XCTAssertTrue(try map(event(incremental: ["fieldsUpdated": [["name": "columns.\"\".description", "newValue": "x"]]])).skipped[0].contains("column name is empty"))

        XCTAssertTrue(try map(event(eventType: "entityDeleted")).skipped[0].contains("event type `entityDeleted` is not synced"))
        XCTAssertTrue(try map(event("dashboard", fqn: "svc.dash")).skipped[0].contains("entity type `dashboard` is not synced"))
        XCTAssertTrue(try map(event()).skipped[0].contains("no changeDescription"))
    }

    /// Without `entityFullyQualifiedName`, the name comes from `entity` (JSON text of the entity).
    func testNameFromTheEntityWhenTheFQNIsMissing() throws {
        var o = try JSONSerialization.jsonObject(with: Data(event(fqn: nil, incremental: ["fieldsUpdated": [["name": "description", "newValue": "d"]]]))) as! [String: Any]
        o["entity"] = json(["id": "x", "name": "tbl", "fullyQualifiedName": "svc.db.sch.tbl"])
        let m = try map([UInt8](try JSONSerialization.data(withJSONObject: o)))
        XCTAssertEqual(m.changes.first?.entityLink, "<#E::table::svc.db.sch.tbl>")
    }

    func testProblemsAreFailuresNotSkips() throws {
        XCTAssertFalse(try map(event(fqn: nil, incremental: [:])).problems.isEmpty)
        XCTAssertTrue(try map(event(fqn: "svc.db.tbl", incremental: [:])).problems[0].contains("has 3 parts"))
        let badOwners = try map(event(incremental: ["fieldsAdded": [["name": "owners", "newValue": "[{not json"]]]))
        XCTAssertTrue(badOwners.problems.first?.contains("not JSON text") ?? false, "\(badOwners)")
        let badTags = try map(event(incremental: ["fieldsAdded": [["name": "tags", "newValue": json([["name": "no fqn"]])]]]))
        XCTAssertTrue(badTags.problems.first?.contains("tagFQN") ?? false, "\(badTags)")
    }

    func testNotAChangeEvent() {
        func message(_ s: String) -> String? {
            do { _ = try ChangeEvent.parse(Array(s.utf8)); return nil } catch { return error.message }
        }
        XCTAssertTrue(message("")?.contains("not JSON") ?? false)
        XCTAssertTrue(message("[1]")?.contains("not a JSON object") ?? false)
        XCTAssertTrue(message("{\"data\": []}")?.contains("batch") ?? false)
        XCTAssertTrue(message("{\"id\":\"1\",\"eventType\":\"entityUpdated\",\"entityType\":\"table\",\"entityId\":\"x\"}")?.contains("`timestamp`") ?? false)
        XCTAssertTrue(message("{\"id\":1,\"eventType\":\"entityUpdated\",\"entityType\":\"table\",\"entityId\":\"x\",\"timestamp\":1}")?.contains("`id` must be a string") ?? false)
        XCTAssertTrue(message("{\"id\":\"1\",\"eventType\":\"entityUpdated\",\"entityType\":\"table\",\"entityId\":\"x\",\"timestamp\":1,\"changeDescription\":{\"fieldsAdded\":{}}}")?.contains("must be an array") ?? false)
        XCTAssertNil(message("{\"id\":\"1\",\"eventType\":\"entityUpdated\",\"entityType\":\"table\",\"entityId\":\"x\",\"timestamp\":1,\"newKey\":true}"))
    }

    func testTheDestinationsTestMessageIsRecognized() {
        XCTAssertTrue(ChangeEvent.isTestMessage(Array(#"{"message": "This is a test message from OpenMetadata to confirm your webhook destination is configured correctly."}"#.utf8)))
        XCTAssertFalse(ChangeEvent.isTestMessage(Array(#"{"message": "x", "id": "1"}"#.utf8)))
        XCTAssertFalse(ChangeEvent.isTestMessage(Array(#"{"message": 1}"#.utf8)))
        XCTAssertFalse(ChangeEvent.isTestMessage(Array("not json".utf8)))
    }

    /// The mapped changes become the pipeline operations `sync` reads, through its strict reader.
    func testOperationsThroughThePipelineReader() throws {
        let pii: [String: Any] = ["tagFQN": "PII.Sensitive", "source": "Classification", "labelType": "Manual", "state": "Confirmed"]
        let m = try map(event(incremental: ["fieldsUpdated": [["name": "description", "newValue": "d"]],
                                            "fieldsAdded": [["name": "tags", "newValue": json([pii])], ["name": "owners", "newValue": json([["id": "1", "type": "user", "name": "alice"]])]]]))
        let ops = try EventOperations.operations(m.changes, eventID: "e1", service: EntityReference(id: "svc", type: "databaseService", name: "svc"))
        XCTAssertEqual(ops.map(\.id), ["e1/1", "e1/2", "e1/3"])
        // In the order of the fields: added, then updated, then deleted.
        XCTAssertEqual(ops.map(\.type), [.updateTags, .updateOwner, .updateDescription])
        // A TagLabel the schema refuses fails the event, with the path.
        let bad = try map(event(incremental: ["fieldsAdded": [["name": "tags", "newValue": json([["tagFQN": "A.B", "source": "Nowhere", "labelType": "Manual", "state": "Confirmed"]])]]]))
        XCTAssertThrowsError(try EventOperations.operations(bad.changes, eventID: "e2", service: EntityReference(id: "svc", type: "databaseService"))) {
            XCTAssertTrue("\($0)".contains("source"), "\($0)")
        }
    }
}
