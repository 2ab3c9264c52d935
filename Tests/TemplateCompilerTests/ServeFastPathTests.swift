import XCTest
import Foundation
@testable import TemplateCompiler

/// `render --serve` answers the usual request through `RenderRequestReader` (no JSON tree) and
/// everything else through the general path; these tests hold the two to the same bytes.
final class ServeFastPathTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/serve")

    /// The request lines of `Tests/Fixtures/serve/mixed-requests.jsonl` as the serve loop sees
    /// them: split at newlines, a trailing CR dropped, blank lines skipped.
    func mixedLines() throws -> [[UInt8]] {
        let data = try Data(contentsOf: ServeFastPathTests.fixtures.appendingPathComponent("mixed-requests.jsonl"))
        return [UInt8](data).split(separator: 0x0A, omittingEmptySubsequences: false).compactMap { l -> [UInt8]? in
            var l = Array(l)
            if l.last == 0x0D { l.removeLast() }
            return l.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) ? nil : l
        }
    }

    func general(_ s: RenderService, _ line: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        line.withUnsafeBufferPointer { s.respondGeneral(to: $0, into: &out) }
        return out
    }

    func answer(_ s: RenderService, _ line: [UInt8]) -> [UInt8] {
        line.withUnsafeBufferPointer { s.respond(to: $0) }
    }

    func testMixedRequestsAnswerAsTheGeneralPath() throws {
        let lines = try mixedLines()
        XCTAssertGreaterThan(lines.count, 150)
        let fast = RenderService(), reference = RenderService()
        // Twice, so that the second round answers from the caches.
        for round in 0..<2 {
            for (k, line) in lines.enumerated() {
                let a = answer(fast, line), b = general(reference, line)
                XCTAssertEqual(a, b, "round \(round), line \(k + 1): \(String(decoding: line.prefix(200), as: UTF8.self))\n fast:    \(String(decoding: a.prefix(300), as: UTF8.self))\n general: \(String(decoding: b.prefix(300), as: UTF8.self))")
            }
        }
    }

    func testTheUsualRequestTakesTheFastPath() throws {
        var reader = RenderRequestReader()
        let usual = #"{"id": 1, "template": "COMMENT ON TABLE {schema}.{table} IS {description};", "dialect": "postgres", "update": "description", "level": "table", "vars": {"schema": "sales", "table": "orders_1", "description": "Orders placed by customer 1; it's one row per order."}}"#
        XCTAssertTrue(Array(usual.utf8).withUnsafeBufferPointer { reader.read($0) })
        XCTAssertEqual(reader.idRaw.map { Array(Array(usual.utf8)[$0]) }, Array("1".utf8))
        XCTAssertNotNil(reader.ranges[Variable.description.slot])
        XCTAssertTrue(Array(#"{"template":"x","vars":{"description":"\u00e9 \ud83d\ude00"}}"#.utf8).withUnsafeBufferPointer { reader.read($0) })
        XCTAssertEqual(String(decoding: reader.valueBytes[reader.ranges[Variable.description.slot]!], as: UTF8.self), "é 😀")
        // What it leaves to the general path.
        for line in [#"{"compiled":{},"vars":{}}"#, #"{"template":"x","vars":{"description":"\ud800"}}"#,
                     #"{"template":"x","vars":{"nope":"x"}}"#, #"{"template":"x","dialect":["postgres"]}"#, #"{"id":1}"#, "{",
                     // Repeated keys: the general path (the scanner) refuses them.
                     #"{"template":"x","template":"y"}"#, #"{"id":1,"id":2,"template":"x"}"#,
                     #"{"template":"x","vars":{"table":"a","table":"b"}}"#, #"{"template":"x","vars":{},"vars":{}}"#] {
            XCTAssertFalse(Array(line.utf8).withUnsafeBufferPointer { reader.read($0) }, line)
        }
    }

    func testVariableSlotsAreDense() {
        for (k, v) in Variable.allCases.enumerated() { XCTAssertEqual(v.slot, k, v.rawValue) }
    }

    /// Random edits of request lines (bytes deleted, inserted, replaced with JSON punctuation,
    /// escapes and UTF-8 pieces) are answered alike by both paths.
    func testMutatedRequestsAnswerAsTheGeneralPath() throws {
        var reader = RenderRequestReader()
        let seeds: [[UInt8]] = try mixedLines().filter { $0.count < 400 }
        // Half the edits start from a line the fast reader takes, so that both paths see many.
        let readable = seeds.filter { l in l.withUnsafeBufferPointer { reader.read($0) } }
        let pieces: [[UInt8]] = ["\"", "\\", "{", "}", "[", "]", ",", ":", " ", "0", "-", "1e5", "\\u", "\\ud800", "\\u2028",
                                 "\\n", "null", "\"id\"", "\"vars\"", "\"tags\"", "\"compiled\"", "é", "\u{2028}", "😀"].map { Array($0.utf8) }
            + [[0xFF], [0xE2, 0x80], [0x00], [0x7F], [0xC3]]
        var rng = SplitMix(seed: 0x5EEDF00D)
        let fast = RenderService(), reference = RenderService()
        var read = 0
        for _ in 0..<40_000 {
            let from = rng.next() % 2 == 0 ? readable : seeds
            var line = from[Int(rng.next() % UInt64(from.count))]
            for _ in 0..<(1 + Int(rng.next() % 3)) where !line.isEmpty {
                let at = Int(rng.next() % UInt64(line.count))
                switch rng.next() % 3 {
                case 0: line.remove(at: at)
                case 1: line.insert(contentsOf: pieces[Int(rng.next() % UInt64(pieces.count))], at: at)
                default: line.replaceSubrange(at..<min(line.count, at + 1 + Int(rng.next() % 4)), with: pieces[Int(rng.next() % UInt64(pieces.count))])
                }
            }
            if line.withUnsafeBufferPointer({ reader.read($0) }) { read += 1 }
            let a = answer(fast, line), b = general(reference, line)
            if a != b {
                XCTFail("\(String(decoding: line, as: UTF8.self))\n fast:    \(String(decoding: a, as: UTF8.self))\n general: \(String(decoding: b, as: UTF8.self))")
                return
            }
        }
        // Enough of them went through the fast reader for the comparison to mean something.
        XCTAssertGreaterThan(read, 5_000)
        print("mutated requests: \(read) of 40000 read by the fast reader")
    }

    /// The run-by-run string writer against the byte-by-byte one it replaced.
    func testStringWriterMatchesTheByteByByteWriter() {
        func reference(_ b: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [0x22]
            let hex = Array("0123456789abcdef".utf8)
            var i = 0
            while i < b.count {
                let c = b[i]
                switch c {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += Array("\\n".utf8)
                case 0x0D: out += Array("\\r".utf8)
                case 0x09: out += Array("\\t".utf8)
                case 0..<0x20, 0x7F: out += [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]]
                case 0xE2 where i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9):
                    out += Array((b[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    i += 2
                default: out.append(c)
                }
                i += 1
            }
            return out + [0x22]
        }
        let alphabet: [[UInt8]] = [[0x41], [0x20], [0x22], [0x5C], [0x0A], [0x0D], [0x09], [0x00], [0x1F], [0x7F], [0xE2],
                                   [0xE2, 0x80], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9], [0xE2, 0x80, 0xAA], [0xC3, 0xA9],
                                   [0xF0, 0x9F, 0x98, 0x80], Array("plain text run".utf8)]
        var rng = SplitMix(seed: 42)
        for n in 0..<5_000 {
            var s: [UInt8] = []
            for _ in 0..<(n % 12) { s += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            var out: [UInt8] = []
            s.withUnsafeBufferPointer { JSONDocument.writeString(utf8: $0, into: &out) }
            XCTAssertEqual(out, reference(s), "\(s)")
        }
        for c in 0...255 {
            var out: [UInt8] = []
            [UInt8(c)].withUnsafeBufferPointer { JSONDocument.writeString(utf8: $0, into: &out) }
            XCTAssertEqual(out, reference([UInt8(c)]))
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failure can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
