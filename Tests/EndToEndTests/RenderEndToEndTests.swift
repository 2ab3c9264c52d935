import XCTest
import Foundation

/// Runs the built `templatec` binary: compile, render and render --serve.
final class RenderEndToEndTests: XCTestCase {

    func run(_ args: [String], stdin: String = "") throws -> (status: Int32, out: String, err: String) {
        let r = try TemplatecBinary.run(args, stdin: stdin)
        return (r.status, r.stdout, r.stderr)
    }

    func temp(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("templatec-render-e2e-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    let template = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};\n"

    func testCompileIsDeterministicAndRenderReadsIt() throws {
        let path = try temp("t.sql", template)
        let a = try run(["compile", path]), b = try run(["compile", path])
        XCTAssertEqual(a.status, 0, a.err)
        XCTAssertEqual(a.out, b.out)
        let artifact = try temp("t.json", a.out)
        let r = try run(["render", "--compiled", artifact, "--var", "schema=s", "--var", "table=Order Items", "--var", "description=it's"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.hasSuffix("COMMENT ON TABLE s.\"Order Items\" IS 'it''s';\n"), r.out)
        let old = try temp("v9.json", a.out.replacingOccurrences(of: "\"version\":1", with: "\"version\":9"))
        let refused = try run(["render", "--compiled", old, "--var", "schema=s"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("version 9"), refused.err)
    }

    func testRenderExitStatuses() throws {
        let path = try temp("t2.sql", template)
        let bad = try run(["render", path, "--var", "schema=s", "--var", "table=t", "--var", "description=a\u{1}b", "--var", "table=\(String(repeating: "x", count: 64))"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.err.contains("RND303") && bad.err.contains("{table}") && bad.err.contains("63"), bad.err)
        let typo = try run(["render", path, "--var", "descripton=x"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.err.contains("did you mean `description`"), typo.err)
        let vars = try temp("vars.json", #"{"schema": "s", "table": "t", "description": "x\ud800"}"#)
        let surrogate = try run(["render", path, "--vars", vars])
        XCTAssertNotEqual(surrogate.status, 0)
        XCTAssertTrue(surrogate.err.contains("surrogate"), surrogate.err)
        let broken = try temp("broken.sql", "-- templatec: dialect=postgres\nCOMMENT ON TABLE {table IS x;")
        let c = try run(["compile", broken])
        XCTAssertEqual(c.status, 1)
        XCTAssertTrue(c.err.contains("TPL001"), c.err)
    }

    func testServeAnswersEveryLine() throws {
        let lines = [
            #"{"id":1,"template":"COMMENT ON TABLE {table} IS {description};","dialect":"postgres","vars":{"table":"t","description":"it's"}}"#,
            "garbage",
            #"{"id":3,"template":"ALTER TABLE {table} SET TAGS {tags};","dialect":"databricks","update":"tags","level":"table","vars":{"table":"t","tags":[["k","v"]]}}"#,
        ]
        let r = try run(["render", "--serve"], stdin: lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(r.status, 0)
        let out = r.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(out.count, 3)
        XCTAssertEqual(out[0], #"{"id":1,"sql":"COMMENT ON TABLE t IS 'it''s';"}"#)
        XCTAssertTrue(out[1].contains("\"error\""))
        XCTAssertEqual(out[2], #"{"id":3,"sql":"ALTER TABLE t SET TAGS ('k' = 'v');"}"#)
    }
}
