import XCTest
@testable import TemplateCompiler

/// Tests generated from the catalog: every code's triggering examples report it, its
/// non-triggering examples do not (and report no error at all). The catalog is iterated, so codes
/// added anywhere are covered as soon as they are registered in `DiagnosticCatalog.all`.
///
/// Render-time codes (`RenderingCodes.all`) have no template examples: a template alone never
/// triggers them; their (template, value) examples are tested with the renderer.
final class RuleExampleTests: XCTestCase {
    static let renderTime = Set(RenderingCodes.all.map(\.id))

    func describe(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { "\($0.code)@\($0.span): \($0.message)" }.joined(separator: "\n  ")
    }

    func testEveryCodeHasExamplesOfBothKinds() {
        for code in DiagnosticCatalog.all where !Self.renderTime.contains(code.id) {
            XCTAssertFalse(code.triggering.isEmpty, "\(code.id) has no triggering example")
            XCTAssertFalse(code.nonTriggering.isEmpty, "\(code.id) has no non-triggering example")
        }
    }

    func testCodesAreUniqueAndWellFormed() {
        var ids = Set<String>(), names = Set<String>()
        for code in DiagnosticCatalog.all {
            XCTAssertTrue(ids.insert(code.id).inserted, "\(code.id) is registered twice")
            XCTAssertTrue(names.insert(code.name).inserted, "the name \(code.name) is used twice")
            XCTAssertNotNil(code.id.range(of: "^[A-Z]{2,4}[0-9]{3}$", options: .regularExpression), "\(code.id): ids are PREFIX + 3 digits")
            XCTAssertNotNil(code.name.range(of: "^[a-z0-9]+(-[a-z0-9]+)*$", options: .regularExpression), "\(code.name): names are kebab-case")
            XCTAssertFalse(code.summary.isEmpty, "\(code.id): empty summary")
            XCTAssertFalse(code.explanation.isEmpty, "\(code.id): empty explanation")
        }
    }

    func testTriggeringExamplesReportTheirCode() {
        for code in DiagnosticCatalog.all {
            for (k, example) in code.triggering.enumerated() {
                let found = Analyzer.analyze(TemplateSource(path: "\(code.id)-t\(k).sql", example)).diagnostics
                XCTAssertTrue(found.contains { $0.code == code.id },
                              "\(code.id) triggering example \(k + 1) does not report \(code.id):\n\(example)\n-> \(describe(found))")
                for d in found where d.code == code.id {
                    XCTAssertEqual(d.severity, code.severity, "\(code.id) reported with severity \(d.severity)")
                    XCTAssertLessThanOrEqual(d.span.end, example.utf8.count, "\(code.id): span past the end")
                    XCTAssertLessThanOrEqual(d.span.start, d.span.end, "\(code.id): reversed span")
                }
            }
        }
    }

    func testNonTriggeringExamplesAreClean() {
        for code in DiagnosticCatalog.all {
            for (k, example) in code.nonTriggering.enumerated() {
                let found = Analyzer.analyze(TemplateSource(path: "\(code.id)-n\(k).sql", example)).diagnostics
                XCTAssertFalse(found.contains { $0.code == code.id },
                               "\(code.id) non-triggering example \(k + 1) reports \(code.id):\n\(example)\n-> \(describe(found))")
                let errors = found.filter { $0.severity == .error }
                XCTAssertTrue(errors.isEmpty,
                              "\(code.id) non-triggering example \(k + 1) has errors (a good example should be clean):\n\(example)\n-> \(describe(errors))")
            }
        }
    }
}
