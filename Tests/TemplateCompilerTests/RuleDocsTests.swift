import Foundation
import XCTest
@testable import TemplateCompiler

/// `docs/rules/` matches the catalog: every code has a page; generated pages (first line is the
/// marker) equal what `templatec rules --write-docs docs/rules` writes; the index is current.
/// A hand-written page (no marker) must at least name its code, summary and examples.
final class RuleDocsTests: XCTestCase {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/rules")

    func read(_ name: String) -> String? {
        try? String(contentsOf: Self.docs.appendingPathComponent(name), encoding: .utf8)
    }

    func testEveryCodeHasItsPage() {
        for code in DiagnosticCatalog.all {
            guard let page = read(code.id + ".md") else {
                XCTFail("docs/rules/\(code.id).md is missing: run scripts/gen-grammars.sh")
                continue
            }
            if page.hasPrefix(RuleDocumentation.generatedMarker) {
                XCTAssertTrue(page == RuleDocumentation.page(code),
                              "docs/rules/\(code.id).md is out of date: run scripts/gen-grammars.sh and review")
            } else {
                XCTAssertTrue(page.contains(code.id), "docs/rules/\(code.id).md does not name its code")
                for example in code.triggering + code.nonTriggering where !example.contains("\u{0}") {
                    XCTAssertTrue(page.contains(example), "docs/rules/\(code.id).md lacks the example:\n\(example)")
                }
            }
        }
    }

    func testIndexIsCurrentAndNoPageIsOrphaned() throws {
        XCTAssertTrue(read("README.md") == RuleDocumentation.index(), "docs/rules/README.md is out of date: run scripts/gen-grammars.sh")
        let ids = Set(DiagnosticCatalog.all.map(\.id))
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.docs.path) where file.hasSuffix(".md") && file != "README.md" {
            XCTAssertTrue(ids.contains(String(file.dropLast(3))), "docs/rules/\(file) documents no registered code")
        }
    }
}
