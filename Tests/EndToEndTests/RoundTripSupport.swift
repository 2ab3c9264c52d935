import Foundation
import XCTest
@testable import ReverseSync
@testable import TemplateCompiler

/// The round-trip proof of the escaping contract on real engines (RoundTripTests): hostile values
/// and names are rendered into every context a dialect has, run through the sync engine's
/// executors, read back from the engine's catalog as hex and compared byte for byte.
enum RoundTrip {
    // MARK: hostile inputs

    /// Values that try every way out of a literal or a statement. `long` is added per engine (near
    /// its limit), and the over-limit value where the engine has one.
    static let values: [String] = [
        "plain", "it's", "'", "''", "\"", "\"\"", "`", "’", "‘curly’ “double”", "\\", "\\\\", "a\\", "\\'", "\\\\'",
        "'\\", "\\\"", "a\\nb", "\\0", "\\Z", "\\x41", "\\u0041", "%_ \\% \\_", "line1\nline2", "cr\rcr", "crlf\r\n",
        "\r\n", "\ttab", "\u{1}\u{1A}\u{7F}", "\u{8}\u{C}\u{B}\u{1B}\u{1F}", "\\\n", "\\\r\n", "😀 emoji", "𝄞",
        "-- comment", "/* open", "close */", "# hash", "#!", "// slashes", "$$", "$x$", "$x$ y $x$", "$", "a$", "$a",
        "{", "}", "{description}", "{{}}", "${x}", "'; DROP TABLE canary; --", "\\'; DROP TABLE canary; --",
        "\"; DROP TABLE canary; --", "`; DROP TABLE canary; --", "'); DROP TABLE canary; --", "déjà vu", "日本語 表",
        "\u{2028}\u{2029}", "\u{FEFF}bom", " trailing ", "?", ":x", ":'x'", "@x", "\\g", "\\echo x", "E'x'", "N'x'",
        "", "\u{0}nul",
    ]

    /// A long value of hostile pieces, `count` characters (all in the BMP).
    static func long(_ count: Int) -> String {
        let unit = "a'b\\\"é\n"  // 7 characters
        var s = String(repeating: unit, count: count / 7)
        s += String(repeating: "x", count: count - s.count)
        return s
    }

    /// Names that need quoting, or cannot exist. Per engine, the longest name and one over are added.
    static let identifiers: [String] = [
        "plain_name", "'", "\"", "`", "’", "a'b", "a\"b", "a`b", "a b", " lead", "trail ", "select", "table",
        "MixedCase", "a.b", "café", "表", "1abc", "$", "a$b", "$a", "a\\b", "\\", "a-b", "x;y", "--x", "/*x", "{x}",
        "😀", "a\nb", "a\tb", "a/b", ".", "..", "%41", "@0041", "",
    ]

    // MARK: rendering

    static func compile(_ template: String, _ dialect: DialectID, level: Level, options: [(String, String)] = [],
                        file: StaticString = #filePath, line: UInt = #line) -> CompiledTemplate? {
        var settings = ContextSettings(dialect: dialect, updates: [.description], levels: [level])
        // Some contexts are reached through INSERT (a value table) or CREATE TABLE (names).
        settings.allowDestructive = true
        // Text in identifier quotes is one of the contexts proven here, on purpose.
        settings.ruleLevels = [DiagnosticCode.descriptionAsIdentifier.id: .off]
        for (key, value) in options {
            if let problem = settings.set(key, [value]) { XCTFail("option \(key): \(problem)", file: file, line: line) }
        }
        switch Compiler.compile(TemplateSource(template), flags: settings) {
        case .success(let t): return t
        case .failure(let f):
            XCTFail("\(template) does not compile: \(f.diagnostics.filter { $0.severity == .error }.map(\.message))", file: file, line: line)
            return nil
        }
    }

    enum Rendered {
        case sql(String)
        case refused(RenderError)
    }

    static func render(_ t: CompiledTemplate, _ values: [Variable: String]) -> Rendered {
        do { return .sql(try t.render(RenderValues(values))) } catch { return .refused(error) }
    }

    // MARK: reading back

    static func bytes(hex: Substring) -> [UInt8]? {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let b = UInt8(hex[i..<j], radix: 16) else { return nil }
            out.append(b)
            i = j
        }
        return out
    }

    /// Rows of hex columns separated by `separator` (`|` psql -A, tab mariadb/ClickHouse); a row
    /// whose last columns are empty may have lost its separators to trimming.
    static func hexRows(_ text: String, separator: Character, columns: Int) -> [[[UInt8]]] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            var parts = line.split(separator: separator, omittingEmptySubsequences: false)
            while parts.count < columns { parts.append("") }
            return parts.map { bytes(hex: $0) ?? Array("<not hex: \($0)>".utf8) }
        }
    }

    /// `'text'` for a catalog query (the names used there are plain ASCII chosen by the test).
    static func quoted(_ s: String) -> String { "'" + s + "'" }

    // MARK: bookkeeping

    /// What happened to every case of one engine, for the assertions and the CI summary.
    final class Tally {
        let engine: String
        var roundTripped = 0
        var refused: [String: Int] = [:]
        var failed = 0
        var executed = 0
        /// Names the renderer passes but the engine refuses loudly for a reason outside escaping
        /// (its file names are too long): an error, never a different name. See docs/escaping-proof.md.
        var engineRejected: [String] = []
        /// context → refused inputs (debug descriptions) with their code.
        var refusals: [String: [String]] = [:]
        init(_ engine: String) { self.engine = engine }

        func refuse(_ context: String, _ input: String, _ code: String) {
            refused[code, default: 0] += 1
            refusals[context, default: []].append("\(input.count > 40 ? "<\(input.count) characters>" : input.debugDescription) \(code)")
        }

        var summary: String {
            let codes = refused.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: ", ")
            return "round trip \(engine): \(roundTripped) cases round-tripped byte for byte, \(refused.values.reduce(0, +)) refused (\(codes.isEmpty ? "none" : codes)), \(engineRejected.count) rejected by the engine with an error (file name too long), \(failed) failed; \(executed) rendered statements executed"
        }

        func printSummary() {
            print(summary)
            if !engineRejected.isEmpty { print("  rejected by the engine: \(engineRejected.joined(separator: "; "))") }
            for (context, items) in refusals.sorted(by: { $0.key < $1.key }) {
                print("  refused in \(context): \(items.joined(separator: "; "))")
            }
        }
    }

    /// Checks a refusal: a RND code, the variable named, and the code expected for this input.
    static func checkRefusal(_ error: RenderError, variables: Set<Variable>, expected: String?, context: String, input: String,
                             tally: Tally, file: StaticString = #filePath, line: UInt = #line) {
        let what = "\(tally.engine) \(context) \(input.debugDescription.prefix(80))"
        XCTAssertTrue(error.code.hasPrefix("RND"), "\(what): \(error)", file: file, line: line)
        if let v = error.variable {
            XCTAssertTrue(variables.contains(v), "\(what): refusal names {\(v.rawValue)}", file: file, line: line)
            XCTAssertTrue(error.message.contains("{\(v.rawValue)}"), "\(what): message does not name the variable: \(error.message)", file: file, line: line)
        } else {
            XCTFail("\(what): refusal names no variable: \(error)", file: file, line: line)
        }
        XCTAssertEqual(error.code, expected ?? "(rendered)", "\(what): refused unexpectedly: \(error.message)", file: file, line: line)
        tally.refuse(context, input, error.code)
    }

    /// Compares what the engine stored with what was sent.
    static func compare(_ stored: [UInt8]?, _ expected: String, what: String, tally: Tally,
                        file: StaticString = #filePath, line: UInt = #line) {
        if stored == Array(expected.utf8) {
            tally.roundTripped += 1
        } else {
            tally.failed += 1
            let got = stored.map { String(decoding: $0, as: UTF8.self).debugDescription } ?? "nothing"
            XCTFail("\(tally.engine) \(what): stored \(got.prefix(300)), expected \(expected.debugDescription.prefix(300))", file: file, line: line)
        }
    }

    /// The length of a MariaDB table file name (`.frm`) for `name`: letters, digits and `_` are
    /// kept, other characters become `@XXXX` (CJK and punctuation; some Latin letters take 3).
    static func mariaDBFileNameLength(_ name: String) -> Int {
        name.unicodeScalars.reduce(4) { $0 + ($1.isASCII && ($1.properties.isAlphabetic || ("0"..."9").contains($1) || $1 == "_") ? 1 : 5) }
    }

    /// The length of a ClickHouse 18.16 metadata file name (`.sql.tmp`) for `name`: bytes other
    /// than letters, digits and `_` become `%XX` (escapeForFileName).
    static func clickHouseFileNameLength(_ name: String) -> Int {
        name.utf8.reduce(8) { n, b in
            n + ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F ? 1 : 3)
        }
    }

    static func random() -> String { String(UInt32.random(in: 0...UInt32.max), radix: 36) }
}
