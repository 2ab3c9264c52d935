import Foundation
import XCTest
@testable import TemplateCompiler

/// `--fix` never makes a template worse: over every golden fixture and every catalog example,
/// each fix applied alone leaves no error code more often than before, and a template the fix
/// leaves free of errors compiles and renders.
final class FixPropertyTests: XCTestCase {
    static let values = RenderValues([
        .database: "analytics", .schema: "sales", .table: "orders", .column: "id",
        .description: "Orders placed online", .owner: "alice", .tagKey: "pii", .tagValue: "yes",
    ], tags: [(key: "pii", value: "yes")])

    static func corpus() throws -> [(name: String, text: [UInt8])] {
        var out: [(String, [UInt8])] = []
        for url in CheckFixtureTests.files() {
            out.append((url.lastPathComponent, Array(try Data(contentsOf: url))))
        }
        for code in DiagnosticCatalog.all {
            for (k, example) in code.triggering.enumerated() { out.append(("\(code.id) example \(k + 1)", Array(example.utf8))) }
        }
        return out
    }

    static func errorCounts(_ diagnostics: [Diagnostic]) -> [String: Int] {
        diagnostics.filter { $0.severity == .error }.reduce(into: [:]) { $0[$1.code, default: 0] += 1 }
    }

    func testNoFixAddsAnErrorAndAFixedTemplateRenders() throws {
        var fixesTried = 0
        for (name, text) in try Self.corpus() {
            let before = Analyzer.analyze(TemplateSource(path: name, text: text))
            let beforeErrors = Self.errorCounts(before.diagnostics)
            for d in before.diagnostics {
                for fix in d.fixes {
                    fixesTried += 1
                    let fixed = FixedText.apply(text, fix)
                    let after = Analyzer.analyze(TemplateSource(path: name, text: fixed))
                    let what = "\(name): \(d.code) fix \"\(fix.message)\" gives\n\(String(decoding: fixed, as: UTF8.self))"
                    for (code, n) in Self.errorCounts(after.diagnostics) where n > beforeErrors[code, default: 0] {
                        XCTFail("\(what)\n-> a new \(code): \(after.diagnostics.filter { $0.code == code }.map(\.message))")
                    }
                    guard !after.hasErrors else { continue }
                    guard let compiled = Compiler.compile(after) else { XCTFail("\(what)\n-> does not compile"); continue }
                    XCTAssertNoThrow(try compiled.render(Self.values), what)
                }
            }
        }
        XCTAssertGreaterThan(fixesTried, 40, "the corpus offers fixes")
    }

    /// The case: a fix must not rewrite placeholders that only seem to be in a comment
    /// because the comment above them was never closed.
    func testNoFixInsideWhatAnUnterminatedCommentSwallowed() {
        let text = "-- templatec: dialect=postgres update=description level=table\n/* note\nCOMMENT ON TABLE {schema}.{table} IS {description};\n"
        let diagnostics = Analyzer.analyze(TemplateSource(text)).diagnostics
        XCTAssertEqual(diagnostics.map(\.code), ["LEX103"])
        XCTAssertTrue(diagnostics.allSatisfy { $0.fixes.isEmpty })
    }

    /// TPL001 offers the missing `}` first: `{table IS` becomes `{table} IS`, not `{{table IS`.
    func testUnterminatedPlaceholderOffersTheMissingBrace() throws {
        let text = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table IS {description};"
        let d = try XCTUnwrap(Analyzer.analyze(TemplateSource(text)).diagnostics.first { $0.code == "TPL001" })
        let fixed = String(decoding: FixedText.apply(Array(text.utf8), try XCTUnwrap(d.fixes.first)), as: UTF8.self)
        XCTAssertTrue(fixed.hasSuffix("COMMENT ON TABLE {table} IS {description};"), fixed)
        XCTAssertFalse(Analyzer.analyze(TemplateSource(fixed)).hasErrors)
    }
}

extension FixPropertyTests {
    /// A did-you-mean to a variable the template's update does not provide is not a safe fix.
    func testSuggestionTheContextLacksIsUnsafe() throws {
        let owner = "-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {table} OWNER TO {descripton};"
        let d = try XCTUnwrap(Analyzer.analyze(TemplateSource(owner)).diagnostics.first { $0.code == "TPL009" })
        XCTAssertEqual(d.fixes.first?.applicability, .unsafe)
        let description = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {descripton};"
        let e = try XCTUnwrap(Analyzer.analyze(TemplateSource(description)).diagnostics.first { $0.code == "TPL009" })
        XCTAssertEqual(e.fixes.first?.applicability, .safe)
    }
}
