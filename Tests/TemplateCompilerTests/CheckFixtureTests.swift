import Foundation
import XCTest
@testable import TemplateCompiler

/// Golden tests over `Fixtures/check/<dialect>/*.sql`: each template is analysed and compared
/// with the `.expected` file next to it, which lists
///
///     L:C CODE                  every diagnostic (1-based line, column in Unicode scalars)
///     L:C {name} CONTEXT        every placeholder and the context the lexer gave it
///     statements N              how many statements the template splits into
///
/// Lines starting with `#` are comments. `UPDATE_FIXTURES=1 swift test --filter CheckFixtureTests`
/// rewrites the `.expected` files from the current output (then review the diff by hand).
final class CheckFixtureTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/check")

    static func contextName(_ c: PlaceholderContext) -> String {
        switch c {
        case .bare: return "bare"
        case .nationalPrefixed: return "national-prefixed"
        case .glued: return "glued"
        case .string(let k): return "string(\(k.name))"
        case .dollarQuoted(let tag): return "dollar-quoted($\(tag)$)"
        case .alternativeQuoted: return "alternative-quoted"
        case .quotedIdentifier(let k): return "identifier(\(k.name))"
        case .comment: return "comment"
        }
    }

    static func actual(_ bytes: [UInt8], path: String) -> [String] {
        let source = TemplateSource(path: path, text: bytes)
        let analysis = Analyzer.analyze(source)
        let index = LineIndex(bytes)
        func at(_ offset: Int) -> String {
            let l = index.location(ofByte: offset)
            return "\(l.line):\(l.column)"
        }
        var lines = analysis.diagnostics.map { "\(at($0.span.start)) \($0.code)" }
        lines += analysis.template.placeholders.map { "\(at($0.span.start)) {\($0.name)} \(contextName($0.context))" }
        lines.append("statements \(analysis.template.statements.filter { !$0.isEmpty }.count)")
        return lines
    }

    func testFixtures() throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_FIXTURES"] == "1"
        let files = FileManager.default.enumerator(at: Self.fixtures, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "sql" }.sorted { $0.path < $1.path } ?? []
        XCTAssertGreaterThanOrEqual(files.count, DialectID.allCases.count, "Fixtures/check is missing")
        var dialectsCovered = Set<String>()
        for sql in files {
            dialectsCovered.insert(sql.deletingLastPathComponent().lastPathComponent)
            let name = sql.path.replacingOccurrences(of: Self.fixtures.path + "/", with: "")
            let got = Self.actual(Array(try Data(contentsOf: sql)), path: name)
            let expectedURL = sql.deletingPathExtension().appendingPathExtension("expected")
            if update {
                try (got.joined(separator: "\n") + "\n").write(to: expectedURL, atomically: true, encoding: .utf8)
                continue
            }
            guard let text = try? String(contentsOf: expectedURL, encoding: .utf8) else {
                XCTFail("\(name): no .expected file (UPDATE_FIXTURES=1 writes one)")
                continue
            }
            let want = text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
            if got != want {
                let missing = want.filter { !got.contains($0) }, extra = got.filter { !want.contains($0) }
                XCTFail("\(name): output differs from .expected\n  expected but missing: \(missing)\n  produced but not expected: \(extra)")
            }
        }
        XCTAssertEqual(dialectsCovered, Set(DialectID.allCases.map(\.rawValue)), "every dialect has fixtures")
    }
}
