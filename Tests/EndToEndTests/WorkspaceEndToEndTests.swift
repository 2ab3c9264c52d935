import Foundation
import XCTest

/// The workspace layer on the built binary: `.templatec.json` applies to `compile` and `render`
/// as to `check`, and `check` and `sync` accept, refuse and locate the same documents.
final class WorkspaceEndToEndTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: TemplatecBinary.path), "build templatec first (swift build)")
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("templatec-workspace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    func write(_ name: String, _ text: String) throws {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @discardableResult
    func run(_ args: [String]) throws -> ProcessOutput {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        return try TemplatecBinary.run(args, cwd: dir, environment: env)
    }

    func testAFolderConfiguredForMySQLIsCompiledAndRenderedAsMySQL() throws {
        try write("mysql/.templatec.json", #"{"dialect": "mysql", "update": "description", "level": "table"}"#)
        try write("mysql/describe.sql", "ALTER TABLE {schema}.{table} COMMENT = {description};\n")
        let compiled = try run(["compile", "mysql/describe.sql"])
        XCTAssertEqual(compiled.status, 0, compiled.stderr)
        XCTAssertTrue(compiled.stdout.contains(#""dialect":"mysql""#) || compiled.stdout.contains(#""dialect": "mysql""#), compiled.stdout)
        // MySQL reads a backslash as an escape: the value's backslash is doubled. PostgreSQL would
        // not double it, so this output proves the configuration was applied.
        let rendered = try run(["render", "mysql/describe.sql", "--var", "schema=shop", "--var", "table=orders", "--var", #"description=a\b"#])
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        XCTAssertEqual(rendered.stdout, #"ALTER TABLE shop.orders COMMENT = 'a\\b';"# + "\n")
        // A flag still wins over the configuration.
        let postgres = try run(["compile", "mysql/describe.sql", "--dialect", "postgres"])
        XCTAssertTrue(postgres.stdout.contains(#""dialect":"postgres""#), postgres.stdout)
    }

    func testABrokenConfigurationStopsCompileRenderAndSync() throws {
        try write(".templatec.json", #"{"dialect": "mysql", "dialekt": "x"}"#)
        try write("t.sql", "ALTER TABLE {schema}.{table} COMMENT = {description};\n")
        try write("p.json", Self.pipeline(template: nil))
        for args in [["compile", "t.sql"], ["render", "t.sql", "--var", "description=x"], ["sync", "p.json", "--connector", "mysql"]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(".templatec.json:1:22: unknown key `dialekt`"), "\(args): \(r.stderr)")
        }
    }

    static func pipeline(template: String?) -> String {
        let sql = template.map { #", "SQLTemplate": "\#($0)""# } ?? ""
        return """
        {"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService", "name": "pg"},
         "operations": [
          {"id": "1", "entityLink": "<#E::table::pg.db.s.t>", "type": "UPDATE_DESCRIPTION"\(sql),
           "parameters": {"newDescription": "x"}}]}
        """
    }

    func testCheckAndSyncRefuseTheSameChannelFileAtTheSamePlace() throws {
        try write("p.json", Self.pipeline(template: nil))
        try write("channels.json", #"{"channels": [{"name": "c", "levels": ["table"], "sqlTemplate": "COMMENT ON TABLE {table} IS {description};"}]}"#)
        let check = try run(["check", "channels.json"])
        XCTAssertEqual(check.status, 2, check.stdout + check.stderr)
        XCTAssertTrue((check.stdout + check.stderr).contains("channels.json:1:29: not a valid channel file: channels[0].levels: unknown property `levels`"), check.stdout + check.stderr)
        let sync = try run(["sync", "p.json", "--connector", "postgres", "--channels", "channels.json"])
        XCTAssertEqual(sync.status, 2, sync.stderr)
        XCTAssertTrue(sync.stderr.contains("channels.json:1:29: channels[0].levels: unknown property `levels`"), sync.stderr)
    }

    func testSyncReportsTemplateErrorsWhereCheckDoes() throws {
        try write("p.json", Self.pipeline(template: #"-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{tabel} IS {description};"#))
        let check = try run(["check", "p.json"])
        XCTAssertEqual(check.status, 1)
        let location = try XCTUnwrap(check.stdout.split(separator: "\n").first { $0.contains("error[TPL009]") }.map { String($0.prefix { $0 != " " }) })
        XCTAssertTrue(location.hasPrefix("p.json:3:"), location)
        let sync = try run(["sync", "p.json", "--connector", "postgres"])
        XCTAssertEqual(sync.status, 1)
        XCTAssertTrue(sync.stdout.contains("\(location) error[TPL009]"), "check: \(location)\nsync: \(sync.stdout)")
    }

    func testALoneSurrogateFailsItsOperationAndTheOthersRun() throws {
        try write("p.json", #"""
        {"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService", "name": "pg"},
         "operations": [
          {"id": "1", "entityLink": "<#E::table::pg.db.s.a>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "\ud83d"}},
          {"id": "2", "entityLink": "<#E::table::pg.db.s.b>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "fine"}}]}
        """#)
        let sync = try run(["sync", "p.json", "--connector", "postgres"])
        XCTAssertEqual(sync.status, 1, sync.stderr)
        let response = try JSONSerialization.jsonObject(with: Data(sync.stdout.utf8)) as! [String: Any]
        let results = response["results"] as! [[String: Any]]
        XCTAssertEqual(results.map { $0["success"] as? Bool }, [false, true])
        XCTAssertTrue((results[0]["message"] as? String)?.contains("p.json:3:") == true, "\(results[0])")
    }

    func testServeRefusesARepeatedKeyAsSyncDoes() throws {
        let lines = #"{"id": 1, "template": "COMMENT ON TABLE {table} IS {description};", "vars": {"table": "a", "table": "b", "description": "x"}}"# + "\n"
        let r = try TemplatecBinary.run(["render", "--serve"], stdin: lines, cwd: dir)
        XCTAssertTrue(r.stdout.contains("duplicate key `table`"), r.stdout)
        XCTAssertFalse(r.stdout.contains("COMMENT ON"), r.stdout)
    }

    func testSyncAppliesTheConfigurationCheckApplies() throws {
        // A tags channel on PostgreSQL keeps the tag in the comment: STM404 unless configured off.
        let channels = #"{"channels": [{"name": "c", "filter": {"level": "table"}, "updateDescriptions": false, "updateOwners": false, "sqlTemplate": "-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{table} IS {tag_value};"}]}"#
        try write("sync/channels.json", channels)
        try write("sync/p.json", """
        {"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService", "name": "pg"},
         "operations": [{"id": "1", "entityLink": "<#E::table::pg.db.s.t>", "type": "UPDATE_TAGS",
           "parameters": {"addedTags": [{"tagFQN": "PII.Email", "source": "Classification", "labelType": "Manual", "state": "Confirmed"}]}}]}
        """)
        let sync = ["sync", "sync/p.json", "--connector", "postgres", "--channels", "sync/channels.json"]
        XCTAssertEqual(try run(["check", "sync/channels.json"]).status, 1)
        XCTAssertEqual(try run(sync).status, 1)
        try write("sync/.templatec.json", #"{"rules": {"STM404": "off"}}"#)
        let check = try run(["check", "sync/channels.json"])
        XCTAssertEqual(check.status, 0, check.stdout)
        let synced = try run(sync)
        XCTAssertEqual(synced.status, 0, synced.stdout + synced.stderr)
    }
}
