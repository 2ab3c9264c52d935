import XCTest
@testable import ReverseSync
@testable import TemplateWorkspace
import TemplateCompiler

/// `check` passes exactly the configurations `sync` runs: both read pipelines and channel files
/// with one reader, and `check` gives each embedded template the context `sync` uses it in. Each
/// disagreement the issue found is tested both ways: where `check` refuses, `sync` fails, and
/// where `check` passes, `sync` runs.
final class CheckSyncAgreementTests: XCTestCase {
    let service = EntityReference(id: "s", type: "databaseService", name: "pg")

    // MARK: what each command does with a channel file

    /// `check`'s findings on a channel file, as `templatec check` computes them.
    func check(_ json: String, path: String = "channels.json") -> (refused: String?, codes: [String]) {
        let input = TemplateInputs.loadBytes(path: path, bytes: Array(json.utf8))
        if let e = input.readError { return (e, []) }
        var codes: [String] = []
        for (k, source) in input.templates.enumerated() {
            let a = TemplateCheck.analyze(source, embedded: input.embeddedSettings[k], config: ContextSettings(), flags: ContextSettings())
            codes += a.diagnostics.filter { $0.severity != .info }.map(\.code)
        }
        return (nil, codes)
    }

    /// What `sync --connector postgres --channels` does with one operation.
    func sync(_ json: String, _ type: String, at link: String, parameters: String, path: String = "channels.json") throws -> [ChannelOutcome] {
        let channels = try ChannelFile.read(Array(json.utf8), path: path).channels
        let planner = Planner(connector: Connectors.connector(.postgres), channels: channels)
        let doc = #"{"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService", "name": "pg"}, "operations": [{"id": "1", "entityLink": "\#(link)", "type": "\#(type)", "parameters": \#(parameters)}]}"#
        let pipeline = try PipelineReader.read(Array(doc.utf8), path: "p.json")
        return planner.plan(pipeline).flatMap { $0.outcomes.map(\.outcome) }
    }

    static let owner = #"{"addedOwners": [{"id": "u", "type": "user", "name": "alice"}]}"#
    static let description = #"{"newDescription": "hello"}"#
    static let tag = #"{"addedTags": [{"tagFQN": "PII.Email", "source": "Classification", "labelType": "Manual", "state": "Confirmed"}]}"#

    /// A step's SQL without its comment lines.
    static func statement(_ step: PlannedStep) -> String {
        step.sql.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n")
    }

    func isFailure(_ o: ChannelOutcome) -> Bool { if case .failed = o { return true } else { return false } }

    // MARK: update flags default to true

    func testAChannelTemplateServesEveryUpdateItsFlagsLeaveOn() throws {
        // No flags: the channel pushes owners and tags too, which a COMMENT template cannot do.
        let defaults = #"{"channels": [{"name": "c", "filter": {"level": "table"}, "sqlTemplate": "-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{table} IS {description};"}]}"#
        XCTAssertTrue(check(defaults).codes.contains("STM404"), "\(check(defaults))")
        let ownerRun = try sync(defaults, "UPDATE_OWNER", at: "<#E::table::pg.db.s.t>", parameters: Self.owner)
        XCTAssertTrue(ownerRun.allSatisfy(isFailure), "\(ownerRun)")

        // The other way: flags that leave only descriptions on pass check, and sync runs them.
        let descriptionsOnly = #"{"channels": [{"name": "c", "filter": {"level": "table"}, "updateOwners": false, "updateTags": false, "sqlTemplate": "-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{table} IS {description};"}]}"#
        XCTAssertEqual(check(descriptionsOnly).codes, [])
        let run = try sync(descriptionsOnly, "UPDATE_DESCRIPTION", at: "<#E::table::pg.db.s.t>", parameters: Self.description)
        guard case .steps(let steps, _)? = run.first else { return XCTFail("\(run)") }
        XCTAssertEqual(steps.last.map(Self.statement), "COMMENT ON TABLE s.t IS 'hello';")
    }

    func testAChannelTemplateServesEveryLevelItsFilterAllows() throws {
        // No level filter: a database operation reaches the template, which needs {table}.
        let allLevels = #"{"channels": [{"name": "c", "updateOwners": false, "updateTags": false, "sqlTemplate": "-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{table} IS {description};"}]}"#
        XCTAssertTrue(check(allLevels).codes.contains("CTX202"), "\(check(allLevels))")
        let databaseRun = try sync(allLevels, "UPDATE_DESCRIPTION", at: "<#E::database::pg.db>", parameters: Self.description)
        XCTAssertTrue(databaseRun.allSatisfy(isFailure), "\(databaseRun)")
    }

    // MARK: the same keys

    func testALevelsKeyIsRefusedByBothAndTheFilterLevelAcceptedByBoth() throws {
        let levels = #"{"channels": [{"name": "c", "levels": ["table"], "sqlTemplate": "COMMENT ON TABLE {table} IS {description};"}]}"#
        let refused = try XCTUnwrap(check(levels).refused)
        XCTAssertTrue(refused.hasPrefix("channels.json:1:29: not a valid channel file: channels[0].levels: unknown property `levels`"), refused)
        XCTAssertThrowsError(try ChannelFile.read(Array(levels.utf8), path: "channels.json")) { e in
            XCTAssertEqual((e as? PipelineInputError)?.path, "channels[0].levels")
        }
        let filter = #"{"channels": [{"name": "c", "filter": {"level": ["table"]}, "updateOwners": false, "updateTags": false, "sqlTemplate": "-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{table} IS {description};"}]}"#
        XCTAssertNil(check(filter).refused)
        XCTAssertNoThrow(try ChannelFile.read(Array(filter.utf8), path: "channels.json"))
    }

    func testADialectKeyOnAChannelIsRefusedByBoth() throws {
        let doc = #"{"channels": [{"name": "c", "dialect": "mysql", "sqlTemplate": "x"}]}"#
        XCTAssertNotNil(check(doc).refused)
        XCTAssertThrowsError(try ChannelFile.read(Array(doc.utf8), path: "channels.json"))
    }

    func testAPipelineSyncRefusesIsRefusedByCheck() throws {
        // No `parameters`: sync refuses the document, and so does check.
        let doc = #"{"type": "ReverseIngestion", "service": {"id": "s", "type": "t"}, "operations": [{"id": "1", "entityLink": "<#E::table::pg.db.s.t>", "type": "UPDATE_DESCRIPTION", "SQLTemplate": "COMMENT ON TABLE {table} IS {description};"}]}"#
        XCTAssertNotNil(check(doc, path: "p.json").refused)
        XCTAssertThrowsError(try PipelineReader.read(Array(doc.utf8), path: "p.json"))
    }

    // MARK: suppressions

    func testASuppressionSyncNeedsIsNotReportedUnused() throws {
        // Tags only (the flags default to true): the COMMENT statement keeps the tag, STM404 is
        // silenced on purpose, and check must not call the suppression unused.
        let needed = #"{"channels": [{"name": "c", "filter": {"level": "table"}, "updateDescriptions": false, "updateOwners": false, "sqlTemplate": "-- templatec: dialect=postgres ignore[STM404] the tag is kept in the comment\nCOMMENT ON TABLE {schema}.{table} IS {tag_value};"}]}"#
        XCTAssertEqual(check(needed).codes, [])
        let run = try sync(needed, "UPDATE_TAGS", at: "<#E::table::pg.db.s.t>", parameters: Self.tag)
        guard case .steps(let steps, _)? = run.first else { return XCTFail("\(run)") }
        XCTAssertEqual(steps.last.map(Self.statement), "COMMENT ON TABLE s.t IS 'Email';")

        // The other way: without the suppression, both refuse the template.
        let without = needed.replacingOccurrences(of: " ignore[STM404] the tag is kept in the comment", with: "")
        XCTAssertTrue(check(without).codes.contains("STM404"))
        XCTAssertTrue(try sync(without, "UPDATE_TAGS", at: "<#E::table::pg.db.s.t>", parameters: Self.tag).allSatisfy(isFailure))
    }

    // MARK: positions

    func testSyncReportsTemplateErrorsAtFileLineColumn() throws {
        let doc = "{\"channels\": [\n  {\"name\": \"c\", \"updateOwners\": false, \"updateTags\": false, \"filter\": {\"level\": \"table\"},\n   \"sqlTemplate\": \"-- templatec: dialect=postgres\\nCOMMENT ON TABLE {schema}.{tabel} IS {description};\"}]}"
        let run = try sync(doc, "UPDATE_DESCRIPTION", at: "<#E::table::pg.db.s.t>", parameters: Self.description, path: "conf/channels.json")
        guard case .failed(let message)? = run.first else { return XCTFail("\(run)") }
        // `{tabel}` is on line 3, after `   "sqlTemplate": "-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.`.
        let line = String(doc.split(separator: "\n")[2])
        let column = line.distance(from: line.startIndex, to: line.range(of: "{tabel}")!.lowerBound) + 1
        XCTAssertTrue(message.contains("conf/channels.json:3:\(column): error[TPL009]"), message)
        // check reports the same position.
        let input = TemplateInputs.loadBytes(path: "conf/channels.json", bytes: Array(doc.utf8))
        let a = Analyzer.analyze(input.templates[0], flags: input.embeddedSettings[0])
        let d = try XCTUnwrap(a.diagnostics.first { $0.code == "TPL009" })
        let at = SourceLocator(input.templates[0]).location(d.span.start)
        XCTAssertEqual([at.line, at.column], [3, column])
    }

    // MARK: input that is not text

    func testALoneSurrogateFailsOnlyItsOwnOperation() throws {
        let doc = #"{"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService", "name": "pg"}, "operations": ["#
            + #"{"id": "1", "entityLink": "<#E::table::pg.db.s.a>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "half \ud83d of a pair"}},"#
            + #"{"id": "2", "entityLink": "<#E::table::pg.db.s.b>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "whole \ud83d\ude00"}}]}"#
        let pipeline = try PipelineReader.read(Array(doc.utf8), path: "p.json")
        let plans = Planner(connector: Connectors.connector(.postgres)).plan(pipeline)
        guard case .failed(let message) = plans[0].outcomes[0].outcome else { return XCTFail("\(plans[0].outcomes)") }
        XCTAssertTrue(message.contains("p.json:1:"), message)
        XCTAssertTrue(message.contains("operations[0].parameters.newDescription"), message)
        XCTAssertTrue(message.contains("surrogate"), message)
        guard case .steps(let steps, _) = plans[1].outcomes[0].outcome else { return XCTFail("\(plans[1].outcomes)") }
        XCTAssertEqual(steps.last.map(Self.statement), "COMMENT ON TABLE s.b IS 'whole 😀';")
    }

    func testALoneSurrogateOutsideTheOperationsRefusesTheDocument() {
        let doc = #"{"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService", "name": "pg\udc00"}, "operations": []}"#
        XCTAssertThrowsError(try PipelineReader.read(Array(doc.utf8), path: "p.json")) { e in
            XCTAssertEqual((e as? PipelineInputError)?.path, "service.name")
        }
    }

    func testALoneSurrogateInATemplateIsRefusedByBoth() throws {
        let doc = #"{"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService", "name": "pg"}, "operations": [{"id": "1", "entityLink": "<#E::table::pg.db.s.t>", "type": "UPDATE_DESCRIPTION", "SQLTemplate": "-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{table} IS '\udc00{description}';", "parameters": {"newDescription": "x"}}]}"#
        // check: LEX106 at the escape.
        let input = TemplateInputs.loadBytes(path: "p.json", bytes: Array(doc.utf8))
        let a = TemplateCheck.analyze(input.templates[0], embedded: input.embeddedSettings[0], config: ContextSettings(), flags: ContextSettings())
        let d = try XCTUnwrap(a.diagnostics.first { $0.code == "LEX106" }, "\(a.diagnostics)")
        let at = SourceLocator(input.templates[0]).location(d.span.start)
        XCTAssertEqual(at.column, doc.distance(from: doc.startIndex, to: doc.range(of: "\\udc00")!.lowerBound) + 1)
        // sync: the operation fails, nothing of it runs.
        let pipeline = try PipelineReader.read(Array(doc.utf8), path: "p.json")
        let plan = Planner(connector: Connectors.connector(.postgres)).plan(pipeline)[0]
        guard case .failed(let message) = plan.outcomes[0].outcome else { return XCTFail("\(plan.outcomes)") }
        XCTAssertTrue(message.contains("operations[0].SQLTemplate"), message)
    }

    func testAChannelThatPushesNothingRunsNoTemplateAndIsNotChecked() throws {
        let mute = #"{"channels": [{"name": "mute", "updateDescriptions": false, "updateOwners": false, "updateTags": false, "sqlTemplate": "COMMENT ON TABLE {table} IS {description};"}]}"#
        XCTAssertEqual(check(mute).codes, [])
        let run = try sync(mute, "UPDATE_DESCRIPTION", at: "<#E::database::pg.db>", parameters: Self.description)
        guard case .skipped? = run.first else { return XCTFail("\(run)") }
    }

    func testAnEmptyLevelListIsRefusedByBoth() {
        let doc = #"{"channels": [{"name": "c", "filter": {"level": []}, "sqlTemplate": "x"}]}"#
        XCTAssertTrue(check(doc).refused?.contains("channels[0].filter.level: an empty list matches no operation") == true, "\(check(doc))")
        XCTAssertThrowsError(try ChannelFile.read(Array(doc.utf8), path: "channels.json"))
    }
}
