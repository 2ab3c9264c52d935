import Foundation
import XCTest
@testable import TemplateCompiler

/// The golden tests: every `Fixtures/check/<dialect>/*.sql` is analysed and compared with the
/// `.expected` file next to it, which shows what a user of `templatec check` sees:
///
///     L:C-L:C severity CODE message      every diagnostic (1-based lines, columns in Unicode scalars)
///         fix (safe|unsafe): message     each of its fixes,
///         => fixed line                  and the line it leaves, once applied alone
///     L:C {name} CONTEXT                 every placeholder and the context the lexer gave it
///     statements N                       how many statements the template splits into
///
/// Lines starting with `#` are comments. `UPDATE_FIXTURES=1 swift test --filter CheckFixtureTests`
/// rewrites the `.expected` files from the current output; review the diff before committing.
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
        var lines: [String] = []
        for d in analysis.diagnostics {
            lines.append("\(at(d.span.start))-\(at(d.span.end)) \(d.severity.rawValue) \(d.code) \(d.message)")
            for fix in d.fixes {
                lines.append("    fix (\(fix.applicability.rawValue)): \(fix.message)")
                lines.append("    => \(FixedText.line(bytes, fix))")
            }
        }
        lines += analysis.template.placeholders.map { "\(at($0.span.start)) {\($0.name)} \(contextName($0.context))" }
        lines.append("statements \(analysis.template.statements.filter { !$0.isEmpty }.count)")
        return lines
    }

    static func files() -> [URL] {
        FileManager.default.enumerator(at: fixtures, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "sql" }.sorted { $0.path < $1.path } ?? []
    }

    func testFixtures() throws {
        let update = ProcessInfo.processInfo.environment["UPDATE_FIXTURES"] == "1"
        let files = Self.files()
        XCTAssertGreaterThan(files.count, 60, "Fixtures/check is missing")
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

    /// Every statement code is exercised by at least one fixture, beyond its catalog examples.
    func testFixturesCoverEveryStatementCode() throws {
        var seen = Set<String>()
        for sql in Self.files() {
            for line in Self.actual(Array(try Data(contentsOf: sql)), path: sql.lastPathComponent) {
                let parts = line.split(separator: " ")
                if parts.count > 2 { seen.insert(String(parts[2])) }
            }
        }
        for code in DiagnosticCatalog.all where code.id.hasPrefix("STM") {
            XCTAssertTrue(seen.contains(code.id), "no fixture in Fixtures/check triggers \(code.id)")
        }
    }
}

/// The text a fix leaves, for golden files and example tests.
enum FixedText {
    static func apply(_ bytes: [UInt8], _ fix: Fix) -> [UInt8] {
        var out = bytes
        for e in fix.edits.sorted(by: { $0.span.start > $1.span.start }) {
            out.replaceSubrange(e.span.start..<e.span.end, with: Array(e.text.utf8))
        }
        return out
    }

    /// The line of the fixed text where the fix's first edit starts.
    static func line(_ bytes: [UInt8], _ fix: Fix) -> String {
        let fixed = apply(bytes, fix)
        let at = min(fix.edits.map(\.span.start).min() ?? 0, fixed.count)
        var start = at, end = at
        while start > 0, fixed[start - 1] != 0x0A { start -= 1 }
        while end < fixed.count, fixed[end] != 0x0A { end += 1 }
        return String(decoding: fixed[start..<end], as: UTF8.self)
    }
}
