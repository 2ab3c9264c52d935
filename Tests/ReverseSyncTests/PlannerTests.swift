import XCTest
@testable import ReverseSync
@testable import TemplateWorkspace
import TemplateCompiler

final class PlannerTests: XCTestCase {
    let service = EntityReference(id: "7f1e2c3a-0000-4000-8000-000000000001", type: "databaseService", name: "svc")

    func op(_ json: String) throws -> PipelineOperation {
        let doc = #"{"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService"}, "operations": ["# + json + "]}"
        return try PipelineReader.read(Array(doc.utf8), path: "p.json").operations[0]
    }

    func tag(_ fqn: String, _ source: String = "Classification") -> String {
        #"{"tagFQN": "\#(fqn)", "source": "\#(source)", "labelType": "Manual", "state": "Confirmed"}"#
    }

    func steps(_ plan: OperationPlan) -> [String]? {
        guard plan.outcomes.count == 1, case .steps(let s, _) = plan.outcomes[0].outcome else { return nil }
        return s.map { $0.sql.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n") }
    }

    func failure(_ plan: OperationPlan) -> String? {
        guard plan.outcomes.count == 1, case .failed(let m) = plan.outcomes[0].outcome else { return nil }
        return m
    }

    func testDescriptionSetAndRemove() throws {
        let p = Planner(connector: Connectors.connector(.postgres))
        let set = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::svc.db.s.t>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "it's"}}"#), index: 0, service: service)
        XCTAssertEqual(steps(set), ["COMMENT ON TABLE s.t IS 'it''s';"])
        let remove = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::svc.db.s.t::columns::C>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": ""}}"#), index: 0, service: service)
        XCTAssertEqual(steps(remove), ["COMMENT ON COLUMN s.t.\"C\" IS NULL;"])
    }

    func testMySQLUsesTheSchemaPartAsDatabase() throws {
        let p = Planner(connector: Connectors.connector(.mysql))
        let plan = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::svc.default.shop.orders>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "a\\b"}}"#), index: 0, service: service)
        XCTAssertEqual(steps(plan), ["ALTER TABLE shop.orders COMMENT = 'a\\\\b';"])
    }

    func testUnsupportedLevelFailsClearly() throws {
        let p = Planner(connector: Connectors.connector(.mysql))
        let plan = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::svc.default.shop.orders::columns::c>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "x"}}"#), index: 0, service: service)
        XCTAssertTrue(failure(plan)?.contains("does not sync description at column level") ?? false, "\(plan.outcomes)")
    }

    func testOwners() throws {
        let p = Planner(connector: Connectors.connector(.postgres))
        let user = p.plan(try op(#"{"id": "1", "entityLink": "<#E::databaseSchema::svc.db.s>", "type": "UPDATE_OWNER", "parameters": {"addedOwners": [{"id": "u1", "type": "user", "name": "alice"}, {"id": "u2", "type": "user", "name": "bob"}]}}"#), index: 0, service: service)
        XCTAssertEqual(steps(user), ["ALTER SCHEMA s OWNER TO alice;"])
        if case .steps(_, let notes) = user.outcomes[0].outcome { XCTAssertTrue(notes.joined().contains("bob")) } else { XCTFail() }
        let team = p.plan(try op(#"{"id": "1", "entityLink": "<#E::databaseSchema::svc.db.s>", "type": "UPDATE_OWNER", "parameters": {"addedOwners": [{"id": "t1", "type": "team", "name": "finance"}]}}"#), index: 0, service: service)
        XCTAssertTrue(failure(team)?.contains("team owner `finance`") ?? false)
        let removal = p.plan(try op(#"{"id": "1", "entityLink": "<#E::databaseSchema::svc.db.s>", "type": "UPDATE_OWNER", "parameters": {"removedOwners": [{"id": "u1", "type": "user", "name": "alice"}]}}"#), index: 0, service: service)
        XCTAssertTrue(failure(removal)?.contains("cannot remove owner") ?? false, "\(removal.outcomes)")
    }

    func testTagsRemovalsFirstAndNestedNames() throws {
        let p = Planner(connector: Connectors.connector(.snowflake))
        let plan = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::svc.DB.S.T>", "type": "UPDATE_TAGS", "parameters": {"addedTags": [\#(tag("PII.Sensitive.Level1"))], "removedTags": [\#(tag("PII.None"))]}}"#), index: 0, service: service)
        XCTAssertEqual(steps(plan), ["ALTER TABLE DB.S.T UNSET TAG DB.S.PII;", "ALTER TABLE DB.S.T SET TAG DB.S.PII = 'Sensitive.Level1';"])
    }

    func testAmbiguousTagsExecuteNothing() throws {
        let p = Planner(connector: Connectors.connector(.snowflake))
        let plan = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::svc.DB.S.T>", "type": "UPDATE_TAGS", "parameters": {"addedTags": [\#(tag("PII.Sensitive")), \#(tag("PII.NonSensitive"))]}}"#), index: 0, service: service)
        XCTAssertTrue(failure(plan)?.contains("ambiguous") ?? false)
    }

    func testGlossaryTermsAreSkippedUnlessIncluded() throws {
        let json = #"{"id": "1", "entityLink": "<#E::table::svc.DB.S.T>", "type": "UPDATE_TAGS", "parameters": {"addedTags": [\#(tag("Business.Revenue", "Glossary"))]}}"#
        let skipped = Planner(connector: Connectors.connector(.snowflake)).plan(try op(json), index: 0, service: service)
        XCTAssertEqual(steps(skipped), [])
        let included = Planner(connector: Connectors.connector(.snowflake), includeGlossary: true).plan(try op(json), index: 0, service: service)
        XCTAssertEqual(steps(included)?.count, 1)
    }

    func testDatabricksTagList() throws {
        let p = Planner(connector: Connectors.connector(.databricks))
        let plan = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::svc.main.s.t>", "type": "UPDATE_TAGS", "parameters": {"addedTags": [\#(tag("PII.Sensitive")), \#(tag("Tier.Gold"))], "removedTags": [\#(tag("Old.X"))]}}"#), index: 0, service: service)
        XCTAssertEqual(steps(plan)?.first, "ALTER TABLE main.s.t UNSET TAGS ('Old');")
        XCTAssertEqual(steps(plan)?.last, "ALTER TABLE main.s.t SET TAGS ('PII' = 'Sensitive', 'Tier' = 'Gold');")
    }

    func testCustomTemplateErrorsFailTheOperation() throws {
        let p = Planner(connector: Connectors.connector(.postgres))
        let plan = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::svc.db.s.t>", "type": "UPDATE_DESCRIPTION", "SQLTemplate": "COMMENT ON TABLE {catalog}.{table} IS {description};", "parameters": {"newDescription": "x"}}"#), index: 0, service: service)
        let m = failure(plan) ?? ""
        XCTAssertTrue(m.contains("SQLTemplate has") && m.contains("catalog"), m)
    }

    /// A template written for MySQL, used by a PostgreSQL connector, fails with CTX212 instead of
    /// being rendered with PostgreSQL's rules.
    func testCustomTemplateForAnotherDialectFailsTheOperation() throws {
        let p = Planner(connector: Connectors.connector(.postgres))
        let template = #"-- templatec: dialect=mysql update=description level=table\nALTER TABLE {schema}.{table} COMMENT = {description};"#
        let plan = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::svc.db.s.t>", "type": "UPDATE_DESCRIPTION", "SQLTemplate": "\#(template)", "parameters": {"newDescription": "x"}}"#), index: 0, service: service)
        let m = failure(plan) ?? ""
        XCTAssertTrue(m.contains("error[CTX212]: the directive says `dialect=mysql`, but the postgres connector renders it as PostgreSQL"), m)
    }

    func testChannelsRouteOncePerChannelAndReportUnmatched() throws {
        let file = try ChannelFile.read(Data(contentsOf: fixture("channels/pii-and-sales.json")))
        let p = Planner(connector: Connectors.connector(.postgres), channels: file.channels)
        let both = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::pg.db.sales_eu.t>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "x"}}"#), index: 0, service: EntityReference(id: "s", type: "databaseService", name: "pg"))
        XCTAssertEqual(both.outcomes.map(\.channel), ["sales", "everything-descriptions"])
        let none = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::other.db.hr.t>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "x"}}"#), index: 0, service: EntityReference(id: "s", type: "databaseService"))
        XCTAssertTrue(failure(none)?.contains("no channel matches") ?? false)
        let tags = p.plan(try op(#"{"id": "1", "entityLink": "<#E::table::pg.db.sales_eu.t>", "type": "UPDATE_TAGS", "parameters": {"addedTags": [\#(tag("PII.Sensitive"))]}}"#), index: 0, service: EntityReference(id: "s", type: "databaseService", name: "pg"))
        // sales and everything-descriptions match but skip tags; pii renders its own template.
        XCTAssertEqual(tags.outcomes.count, 3)
        if case .steps(let s, _) = tags.outcomes[2].outcome { XCTAssertTrue(s[0].sql.contains("IS 'Sensitive'")) } else { XCTFail("\(tags.outcomes)") }
    }

    func testPipelineDecodingIsStrict() throws {
        let data = try Data(contentsOf: fixture("pipelines/invalid-extra-property.json"))
        XCTAssertThrowsError(try PipelineReader.read(data)) { e in
            XCTAssertEqual((e as? PipelineInputError)?.path, "operations[2].parameters.newDescriptio")
        }
        let missing = Data(#"{"type": "ReverseIngestion", "service": {"id": "x", "type": "databaseService"}}"#.utf8)
        XCTAssertThrowsError(try PipelineReader.read(missing)) { e in
            XCTAssertTrue("\(e)".contains("operations"), "\(e)")
        }
        let wrongConfig = Data(#"{"type": "ReverseIngestion", "service": {"id": "x", "type": "s"}, "operations": [{"id": "1", "entityLink": "<#E::table::a.b.c.d>", "type": "UPDATE_OWNER", "parameters": {"newDescription": "x"}}]}"#.utf8)
        XCTAssertThrowsError(try PipelineReader.read(wrongConfig)) { e in
            XCTAssertEqual((e as? PipelineInputError)?.path, "operations[0].parameters.newDescription")
        }
        XCTAssertNoThrow(try PipelineReader.read(Data(contentsOf: fixture("pipelines/postgres-all.json"))))
    }

    func testTagNames() throws {
        XCTAssertEqual(try TagName.parse("PII.Sensitive"), TagName(key: "PII", value: "Sensitive"))
        XCTAssertEqual(try TagName.parse("PII.Sensitive.Level1"), TagName(key: "PII", value: "Sensitive.Level1"))
        XCTAssertEqual(try TagName.parse("\"My.Class\".Tag"), TagName(key: "My.Class", value: "Tag"))
        XCTAssertEqual(try TagName.parse("Tier.\"Tier.1\""), TagName(key: "Tier", value: "Tier.1"))
        XCTAssertThrowsError(try TagName.parse("Lonely"))
    }

    func testTheCatalogsDefaultDatabaseIsNeverPassed() throws {
        let template = #""SQLTemplate": "-- templatec: dialect=mysql\nALTER DATABASE {database} COMMENT = {description};""#
        for id in [ConnectorID.mysql, .clickhouse] {
            let p = Planner(connector: Connectors.connector(id))
            let plan = p.plan(try op(#"{"id": "1", "entityLink": "<#E::database::svc.default>", "type": "UPDATE_DESCRIPTION", \#(template), "parameters": {"newDescription": "x"}}"#), index: 0, service: service)
            let message = try XCTUnwrap(failure(plan), "\(id): \(plan.outcomes)")
            XCTAssertTrue(message.contains("`default` database"), message)
            XCTAssertFalse(message.contains("`default` IS") || message.contains("ALTER DATABASE"), message)
        }
        // A database the catalog names is passed.
        let mysql = Planner(connector: Connectors.connector(.mysql))
        let named = mysql.plan(try op(#"{"id": "1", "entityLink": "<#E::database::svc.shop>", "type": "UPDATE_DESCRIPTION", \#(template), "parameters": {"newDescription": "x"}}"#), index: 0, service: service)
        XCTAssertEqual(steps(named), ["ALTER DATABASE shop COMMENT = 'x';"])
    }
}
