import Foundation
import XCTest
@testable import TemplateCompiler

/// Tests generated from the catalog: every code's triggering examples report it at the span the
/// example marks (`⟦…⟧`), with the message and fixes `Fixtures/rule-examples.expected` records; its
/// non-triggering examples do not report it (and report no error at all). The catalog is iterated, so codes
/// added anywhere are covered as soon as they are registered in `DiagnosticCatalog.all`.
///
/// Render-time codes (`RenderingCodes.all`) have no template examples: a template alone never
/// triggers them; their (template, value) examples are tested with the renderer. Input codes
/// (`InputCodes.all`, IO001) are about paths, tested end to end; CTX212 needs settings a caller
/// imposes (DirectiveConflictTests).
final class RuleExampleTests: XCTestCase {
    static let renderTime = Set((RenderingCodes.all + InputCodes.all + DirectiveConflict.codes).map(\.id))

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

    /// Each triggering example marks where its finding must be, and the finding is exactly there.
    func testTriggeringExamplesReportTheirCodeAtTheMarkedSpan() {
        for code in DiagnosticCatalog.all {
            for (k, example) in code.triggering.enumerated() {
                guard let marked = code.triggeringSpans[k] else {
                    XCTFail("\(code.id) triggering example \(k + 1) marks no span: put ⟦ and ⟧ around where the finding must be")
                    continue
                }
                let found = Analyzer.analyze(TemplateSource(path: "\(code.id)-t\(k).sql", example)).diagnostics.filter { $0.code == code.id }
                XCTAssertTrue(found.contains { $0.span == marked },
                              "\(code.id) triggering example \(k + 1): expected at \(marked), reported at \(found.map(\.span))")
            }
        }
    }

    static let goldenURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/rule-examples.expected")

    /// What a user sees for each triggering example: the code's findings with their span, message,
    /// fixes and the fixed line, as `Fixtures/rule-examples.expected` records them. A changed
    /// message or a lost fix fails here; `UPDATE_FIXTURES=1` rewrites the file (review the diff).
    static func golden() -> String {
        var lines: [String] = []
        for code in DiagnosticCatalog.all {
            for (k, example) in code.triggering.enumerated() {
                lines.append("## \(code.id) example \(k + 1)")
                let bytes = Array(example.utf8)
                let index = LineIndex(bytes)
                func at(_ offset: Int) -> String {
                    let l = index.location(ofByte: offset)
                    return "\(l.line):\(l.column)"
                }
                for d in Analyzer.analyze(TemplateSource(example)).diagnostics where d.code == code.id {
                    lines.append("\(at(d.span.start))-\(at(d.span.end)) \(d.severity.rawValue) \(d.message)")
                    for fix in d.fixes {
                        lines.append("    fix (\(fix.applicability.rawValue)): \(fix.message)")
                        lines.append("    => \(FixedText.line(bytes, fix))")
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func testTriggeringExamplesShowTheRecordedMessagesAndFixes() throws {
        let got = Self.golden()
        if ProcessInfo.processInfo.environment["UPDATE_FIXTURES"] == "1" {
            try got.write(to: Self.goldenURL, atomically: true, encoding: .utf8)
            return
        }
        let want = try String(contentsOf: Self.goldenURL, encoding: .utf8)
        let wantLines = want.split(separator: "\n", omittingEmptySubsequences: false)
        let gotLines = got.split(separator: "\n", omittingEmptySubsequences: false)
        for k in 0..<max(wantLines.count, gotLines.count) where (k < wantLines.count ? wantLines[k] : "") != (k < gotLines.count ? gotLines[k] : "") {
            XCTFail("Fixtures/rule-examples.expected line \(k + 1):\n  recorded: \(k < wantLines.count ? wantLines[k] : "")\n  produced: \(k < gotLines.count ? gotLines[k] : "")")
            break
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
