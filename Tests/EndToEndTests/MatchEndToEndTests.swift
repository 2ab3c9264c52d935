import Foundation
import XCTest
@testable import TemplateCompiler

/// `templatec match` on the built binary, and the matcher against what a real PostgreSQL stores.
final class MatchEndToEndTests: XCTestCase {
    let template = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};\n"

    func temp(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("templatec-match-e2e-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func json(_ line: Substring, file: StaticString = #filePath, line l: UInt = #line) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            XCTFail("not a JSON object: \(line)", file: file, line: l)
            return [:]
        }
        return object
    }

    func testAMatchPrintsTheValuesAndExitsZero() throws {
        let path = try temp("t.sql", template)
        let r = try TemplatecBinary.run(["match", path, "--sql", "COMMENT ON TABLE sales.\"Order Items\" IS 'it''s {x} \\';"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let answer = json(r.stdout.split(separator: "\n").first ?? "")
        XCTAssertEqual(answer["matched"] as? Bool, true)
        XCTAssertEqual(answer["vars"] as? [String: String], ["schema": "sales", "table": "Order Items", "description": "it's {x} \\"])
        XCTAssertTrue(r.stdout.hasPrefix(#"{"matched":true,"vars":{"schema":"sales","table":"Order Items","description""#), r.stdout)
    }

    func testNoMatchPrintsTheFirstDifferenceAndExitsOne() throws {
        let path = try temp("t.sql", template)
        let r = try TemplatecBinary.run(["match", path, "--sql", "COMMENT ON TABLE s.t IS 'x';\nDROP TABLE s.t;"])
        XCTAssertEqual(r.status, 1)
        let answer = json(r.stdout.split(separator: "\n").first ?? "")
        XCTAssertEqual(answer["matched"] as? Bool, false)
        XCTAssertEqual(answer["line"] as? Int, 2)
        XCTAssertEqual(answer["column"] as? Int, 1)
        XCTAssertTrue((answer["reason"] as? String)?.contains("DROP") == true, r.stdout)
    }

    func testSQLFromAFileAndFoldedNames() throws {
        let path = try temp("t.sql", template)
        let sql = try temp("in.sql", "comment on table Sales.Orders\n  is 'x'\n")
        let r = try TemplatecBinary.run(["match", path, "--sql-file", sql])
        XCTAssertEqual(r.status, 0, r.stderr)
        let answer = json(r.stdout.split(separator: "\n").first ?? "")
        XCTAssertEqual(answer["vars"] as? [String: String], ["schema": "sales", "table": "orders", "description": "x"])
        XCTAssertEqual((answer["folded"] as? [[String: String]])?.map { $0["written"] ?? "" }, ["Sales", "Orders"])
    }

    func testUsageErrorsAndUnusableTemplatesExitTwo() throws {
        let path = try temp("t.sql", template)
        for args in [["match", path], ["match", path, "--sql", "x", "--sql-file", "y"], ["match", "--sql", "x"],
                     ["match", path, "--sql-file", "/nonexistent/file.sql"], ["match", path, "--bogus"]] {
            let r = try TemplatecBinary.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stdout.isEmpty, "\(args): \(r.stdout)")
            XCTAssertFalse(r.stderr.isEmpty, "\(args)")
        }
        let broken = try temp("broken.sql", "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS '{description!r}';\n")
        let r = try TemplatecBinary.run(["match", broken, "--sql", "COMMENT ON TABLE t IS 'x'"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("TPL") && r.stderr.contains(":2:"), r.stderr)
    }

    func testJSONLinesFromStandardInput() throws {
        let path = try temp("t.sql", template)
        let input = [
            #"{"sql": "COMMENT ON TABLE a.b IS 'x';"}"#,
            "",
            #"{"id": 7, "sql": "COMMENT ON TABLE a.b IS 'y'; DROP TABLE a.b"}"#,
            "not json",
            #"{"sql": 3}"#,
            #"{"sql":"COMMENT ON TABLE \"a\"\"\".b IS E'x'"}"#,
            #"{"sql": "COMMENT ON TABLE a.b IS 'last line, no line end'"}"#,
        ].joined(separator: "\n")
        let r = try TemplatecBinary.run(["match", path, "-"], stdin: input)
        XCTAssertEqual(r.status, 0, r.stderr)
        let answers = r.stdout.split(separator: "\n").map { json($0) }
        XCTAssertEqual(answers.count, 6, r.stdout)
        guard answers.count == 6 else { return }
        XCTAssertEqual(answers[0]["vars"] as? [String: String], ["schema": "a", "table": "b", "description": "x"])
        XCTAssertEqual(answers[1]["id"] as? Int, 7)
        XCTAssertEqual(answers[1]["matched"] as? Bool, false)
        XCTAssertEqual(answers[1]["column"] as? Int, 30)
        XCTAssertNotNil(answers[2]["error"])
        XCTAssertNotNil(answers[3]["error"])
        XCTAssertEqual(answers[4]["matched"] as? Bool, false)
        XCTAssertNotNil(answers[4]["reason"])
        XCTAssertEqual(answers[5]["vars"] as? [String: String], ["schema": "a", "table": "b", "description": "last line, no line end"])
    }

    /// A log large enough to be answered on several cores: one answer per line, in input order.
    func testALargeLogIsAnsweredInOrder() throws {
        let path = try temp("t.sql", template)
        var input = ""
        for i in 0..<6000 {
            input += i % 3 == 0 ? #"{"id": \#(i), "sql": "SELECT \#(i)"}"# : #"{"id": \#(i), "sql": "COMMENT ON TABLE s.t\#(i) IS 'line \#(i)';"}"#
            input += "\n"
        }
        // From a file: the answers outgrow a pipe before the input is all written.
        let log = try temp("log.jsonl", input)
        guard FileManager.default.isExecutableFile(atPath: TemplatecBinary.path) else { throw XCTSkip("build templatec first") }
        let p = Process()
        p.executableURL = TemplatecBinary.url
        p.arguments = ["match", path, "-"]
        p.standardInput = FileHandle(forReadingAtPath: log)
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let answers = String(decoding: data, as: UTF8.self).split(separator: "\n").map { json($0) }
        XCTAssertEqual(answers.map { $0["id"] as? Int ?? -1 }, Array(0..<6000))
        XCTAssertEqual(answers.filter { $0["matched"] as? Bool == true }.count, 4000)
        XCTAssertEqual((answers[5999]["vars"] as? [String: String])?["description"], "line 5999")
    }

    /// What `render` writes, `match` reads back: the binary, both ways, with hostile values.
    func testRenderThenMatchThroughTheBinary() throws {
        let path = try temp("t.sql", template)
        for value in ["it's", "\\", "a\nb", "'; DROP TABLE x; --", "{description}", "😀 é", "$$", "/* x */"] {
            let rendered = try TemplatecBinary.run(["render", path, "--var", "schema=Sales", "--var", "table=order items", "--var", "description=\(value)"])
            XCTAssertEqual(rendered.status, 0, rendered.stderr)
            let r = try TemplatecBinary.run(["match", path, "--sql", rendered.stdout])
            XCTAssertEqual(r.status, 0, "\(value.debugDescription): \(r.stdout)")
            XCTAssertEqual(json(r.stdout.split(separator: "\n").first ?? "")["vars"] as? [String: String],
                           ["schema": "Sales", "table": "order items", "description": value], rendered.stdout)
        }
    }

    func testHelpAndTheCommandList() throws {
        let help = try TemplatecBinary.run(["match", "--help"])
        XCTAssertEqual(help.status, 0)
        for option in ["--sql TEXT", "--sql-file FILE", "JSON lines", "Exit status"] {
            XCTAssertTrue(help.stdout.contains(option), option)
        }
        let usage = try TemplatecBinary.run(["--help"])
        XCTAssertTrue(usage.stdout.contains("  match "), usage.stdout)
    }

    // MARK: PostgreSQL

    /// The default template and a custom one with a hole inside its literal, rendered with hostile
    /// values and executed on PostgreSQL; the comments read back from pg_description (as hex)
    /// are the descriptions again: directly for the default, through the literal hole for the
    /// custom one. The rendered SQL itself matches with the same values.
    func testStoredCommentsReadBackFromPostgreSQL() throws {
        _ = try TestDatabases.spec(.postgresql)
        let defaults = Connectors.connector(.postgres).defaultTemplate(.description, .table, .set)!.text
        let custom = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS 'Synced from the catalog: {description}';\n"
        guard case .success(let plain) = Compiler.compile(TemplateSource(defaults)),
              case .success(let synced) = Compiler.compile(TemplateSource(custom)) else { return XCTFail("templates do not compile") }
        let schema = TestDatabases.uniqueName("match")
        var script = "SET client_encoding = 'UTF8'; CREATE SCHEMA \(schema);"
        var expected: [String: (CompiledTemplate, String)] = [:]
        let values = RoundTrip.values + [RoundTrip.long(4000)]
        for (i, value) in values.enumerated() {
            for (prefix, template) in [("p", plain), ("c", synced)] {
                let table = "\(prefix)\(i)"
                let vars = RenderValues([.database: "templatec", .schema: schema, .table: table, .description: value])
                guard let sql = try? template.render(vars) else { continue }
                // The SQL itself reads back.
                XCTAssertEqual(try? template.match(sql).get().values.values, vars.values.filter { template.variables.contains($0.key) }, sql)
                script += " CREATE TABLE \(schema).\(table) (); " + sql
                expected[table] = (template, value)
            }
        }
        XCTAssertGreaterThan(expected.count, 100)
        defer { _ = try? TestDatabases.query(.postgresql, "DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        _ = try TestDatabases.query(.postgresql, script)
        let rows = try TestDatabases.query(.postgresql, """
            SELECT c.relname, encode(convert_to(d.description, 'UTF8'), 'hex') FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = 0
            WHERE n.nspname = '\(schema)'
            """)
        var read = 0
        for line in rows.split(separator: "\n") {
            let parts = line.split(separator: "|", omittingEmptySubsequences: false)
            guard parts.count == 2, let (template, value) = expected[String(parts[0])], let bytes = RoundTrip.bytes(hex: parts[1]) else { continue }
            read += 1
            let stored = String(decoding: bytes, as: UTF8.self)
            XCTAssertEqual(try? template.storedValue(of: .description, in: stored).get(), value, "\(parts[0]) stored \(stored.debugDescription)")
        }
        // Every table that got a comment was read back (an empty comment is no comment in PostgreSQL).
        XCTAssertEqual(read, expected.values.filter { !($0.0 == plain && $0.1.isEmpty) }.count)
    }
}
