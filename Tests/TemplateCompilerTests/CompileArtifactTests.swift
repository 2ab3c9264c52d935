import XCTest
import Foundation
@testable import TemplateCompiler

final class CompileArtifactTests: XCTestCase {
    let templates = [
        "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};",
        "-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{table}` SET OPTIONS (labels = {tags});",
        "-- templatec: dialect=databricks update=tags level=table\nALTER TABLE {table} UNSET TAGS {tags};",
        "-- templatec: dialect=mssql update=description level=table\nEXEC sp_addextendedproperty @name = N'MS_Description', @value = {description}, @level0type = N'SCHEMA', @level0name = {schema}, @level1type = N'TABLE', @level1name = {table};",
        "-- templatec: dialect=athena update=description level=table\nALTER TABLE {table} SET TBLPROPERTIES ('comment' = '{description}');",
        "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE stg_{table} IS $c${description}$c$;",
    ]

    func testArtifactsAreDeterministicAndRoundTrip() throws {
        for t in templates {
            let a = try Compiler.compile(TemplateSource(t)).get()
            let b = try Compiler.compile(TemplateSource(t)).get()
            XCTAssertEqual(a.jsonText, b.jsonText)
            let loaded = try CompiledTemplate(jsonText: a.jsonText)
            XCTAssertEqual(loaded, a)
            XCTAssertEqual(loaded.jsonText, a.jsonText)
            XCTAssertEqual(a.version, CompiledTemplate.formatVersion)
            XCTAssertTrue(a.sourceHash.hasPrefix("fnv1a64:"))
        }
    }

    func testCodableGoesThroughTheSameMapping() throws {
        for t in templates {
            let a = try Compiler.compile(TemplateSource(t)).get()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(a)
            XCTAssertEqual(try JSONDocument.parse(Array(data)), a.json)
            XCTAssertEqual(try JSONDecoder().decode(CompiledTemplate.self, from: data), a)
        }
    }

    func testOtherVersionsAreRefused() throws {
        let a = try Compiler.compile(TemplateSource(templates[0])).get()
        let v2 = a.jsonText.replacingOccurrences(of: "\"version\":1", with: "\"version\":2")
        XCTAssertThrowsError(try CompiledTemplate(jsonText: v2)) { e in
            let e = e as! RenderError
            XCTAssertEqual(e.code, "RND314")
            XCTAssertTrue(e.message.contains("version 2"))
        }
        XCTAssertThrowsError(try CompiledTemplate(jsonText: "{\"version\":1}"))
        XCTAssertThrowsError(try CompiledTemplate(jsonText: "nonsense"))
    }

    func testTemplatesWithErrorsDoNotCompile() {
        let analysis = Analyzer.analyze(TemplateSource("-- templatec: dialect=bigquery\nALTER TABLE t SET OPTIONS (description = r'{description}');"))
        XCTAssertNil(Compiler.compile(analysis))
        guard case .failure(let f) = Compiler.compile(TemplateSource("COMMENT ON TABLE {table IS x;")) else { return XCTFail() }
        XCTAssertTrue(f.diagnostics.contains { $0.code == "TPL001" })
    }

    func testSourceHashIsFNV1a() {
        XCTAssertEqual(SourceHash.fnv1a64([]), "fnv1a64:cbf29ce484222325")
        XCTAssertEqual(SourceHash.fnv1a64(Array("a".utf8)), "fnv1a64:af63dc4c8601ec8c")
    }

    func testRenderingCodeExamples() throws {
        for ex in RenderingCodes.examples {
            let t = try Compiler.compile(TemplateSource(ex.template)).get()
            var base = RenderValues([.database: "db", .schema: "s", .table: "t", .column: "c", .description: "d"])
            var bad = base, good = base
            if ex.variable == .tags {
                bad.tags = ex.triggeringTags
                good.tags = ex.nonTriggeringTags
            } else if ex.code == "RND313" {
                bad.values[.description] = nil
                base.values[.description] = "d"
                good = base
            } else {
                bad[ex.variable] = ex.triggering
                good[ex.variable] = ex.nonTriggering
            }
            XCTAssertThrowsError(try t.render(bad), ex.code) { XCTAssertEqual(($0 as! RenderError).code, ex.code) }
            XCTAssertNoThrow(try t.render(good), ex.code)
            XCTAssertNotNil(DiagnosticCatalog.code(ex.code))
        }
    }

    func testServiceAnswersEveryLine() {
        let s = RenderService()
        func ask(_ line: String) -> JSONDocument {
            let out = Array(line.utf8).withUnsafeBufferPointer { s.respond(to: $0) }
            return try! JSONDocument.parse(out)
        }
        let ok = ask(#"{"id":7,"template":"COMMENT ON TABLE {table} IS {description};","dialect":"postgres","vars":{"table":"t","description":"x"}}"#)
        XCTAssertEqual(ok["id"], .number(7))
        XCTAssertEqual(ok["sql"], .string("COMMENT ON TABLE t IS 'x';"))
        XCTAssertEqual(ask("{")["error"]?["code"], .string("RND315"))
        let broken = ask(#"{"template":"COMMENT ON TABLE {table IS x;","dialect":"postgres","vars":{}}"#)["error"]
        XCTAssertTrue(broken?["message"]?.stringValue?.contains("TPL001") ?? false, "\(String(describing: broken))")
        XCTAssertEqual(ask(#"{"template":"COMMENT ON TABLE {table} IS {description};","dialect":"postgres","vars":{"table":"t"}}"#)["error"]?["code"], .string("RND313"))
    }
}
