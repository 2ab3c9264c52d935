import Foundation
import XCTest

/// Comments and docs cite files of this repository only: a clone has no design notes or reference
/// folder beside it, so a pointer to one is a dead end for a newcomer (the facts live in docs/).
final class CitationTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Spelt in pieces so that this file does not match itself.
    static let outside = ["DESIGN" + ".md", "reference" + "/dialects", "reference" + "/openmetadata", "../" + "shared", "/work" + "/shared"]

    func testNoFileCitesDocumentsOutsideTheRepository() throws {
        var offenders: [String] = []
        for folder in ["Sources", "Tests", "docs", "scripts", "Grammars", "README.md"] {
            let url = Self.root.appendingPathComponent(folder)
            let files: [URL]
            if folder.hasSuffix(".md") {
                files = [url]
            } else {
                files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            }
            for file in files where ["swift", "md", "sh", "py", "txt", "ebnf"].contains(file.pathExtension) {
                guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
                for needle in Self.outside where text.contains(needle) {
                    offenders.append("\(file.path.replacingOccurrences(of: Self.root.path + "/", with: "")): \(needle)")
                }
            }
        }
        XCTAssertEqual(offenders, [], "cite docs/ instead (docs/dialects.md, docs/rendering.md, docs/sync.md)")
    }
}
