@testable import templatec
import XCTest

/// Byte offsets ↔ LSP positions in both encodings, with the characters templates are full of:
/// accents, CJK (3 UTF-8 bytes, 1 UTF-16 unit) and emoji (4 bytes, 2 units).
final class LSPPositionTests: XCTestCase {
    // Line 0: `-- é`; line 1: `'日本😀x'`; line 2 empty; line 3 `z`.
    let text = Array("-- é\n'日本😀x'\r\n\nz".utf8)

    func offset(of s: String) -> Int {
        let needle = Array(s.utf8)
        for i in 0...(text.count - needle.count) where Array(text[i..<(i + needle.count)]) == needle { return i }
        fatalError("no \(s)")
    }

    func testUTF16CountsSurrogatePairsAsTwo() {
        let c = PositionConverter(text, encoding: .utf16)
        XCTAssertEqual(c.position(ofByte: offset(of: "x")), LSPPosition(line: 1, character: 5))
        XCTAssertEqual(c.position(ofByte: offset(of: "😀")), LSPPosition(line: 1, character: 3))
        XCTAssertEqual(c.position(ofByte: offset(of: "z")), LSPPosition(line: 3, character: 0))
        XCTAssertEqual(c.byteOffset(of: LSPPosition(line: 1, character: 5)), offset(of: "x"))
    }

    func testUTF8CountsBytes() {
        let c = PositionConverter(text, encoding: .utf8)
        XCTAssertEqual(c.position(ofByte: offset(of: "x")), LSPPosition(line: 1, character: 1 + 3 + 3 + 4))
        XCTAssertEqual(c.byteOffset(of: LSPPosition(line: 1, character: 11)), offset(of: "x"))
        XCTAssertEqual(c.position(ofByte: text.count), LSPPosition(line: 3, character: 1))
    }

    func testRoundTripEveryScalarBoundaryInBothEncodings() {
        for enc in [PositionEncoding.utf16, .utf8] {
            let c = PositionConverter(text, encoding: enc)
            for i in 0...text.count where i == text.count || text[i] & 0xC0 != 0x80 {
                XCTAssertEqual(c.byteOffset(of: c.position(ofByte: i)), i, "\(enc) byte \(i)")
            }
        }
    }

    func testPositionsOutsideTheTextAreClamped() {
        let c = PositionConverter(text, encoding: .utf16)
        // Past the line's end: its end, before `\r\n` (the `\r` is on the line, as check counts).
        XCTAssertEqual(c.byteOffset(of: LSPPosition(line: 0, character: 99)), offset(of: "\n'"))
        XCTAssertEqual(c.byteOffset(of: LSPPosition(line: 1, character: 99)), offset(of: "\n\n"))
        XCTAssertEqual(c.byteOffset(of: LSPPosition(line: 40, character: 0)), text.count)
        // Inside the emoji's surrogate pair: the emoji's start.
        XCTAssertEqual(c.byteOffset(of: LSPPosition(line: 1, character: 4)), offset(of: "😀"))
    }

    func testCheckColumnsAreScalarsOnOneBasedLines() {
        let c = PositionConverter(text, encoding: .utf16)
        XCTAssertEqual(c.byteOffset(checkLine: 2, column: 5), offset(of: "x"))
        XCTAssertEqual(c.byteOffset(checkLine: 1, column: 1), 0)
    }

    func testIncrementalEditsInUTF16AndUTF8() {
        var t = Array("IS '日本😀';".utf8)
        // Replace the emoji (utf-16 columns 6..8) with `ü`.
        TextDocuments.apply([ContentChange(range: (LSPPosition(line: 0, character: 6), LSPPosition(line: 0, character: 8)), text: "ü")],
                            to: &t, encoding: .utf16)
        XCTAssertEqual(String(decoding: t, as: UTF8.self), "IS '日本ü';")
        // Then insert a line at the end in utf-8 columns (`ü` is 2 bytes).
        TextDocuments.apply([ContentChange(range: (LSPPosition(line: 0, character: 14), LSPPosition(line: 0, character: 14)), text: "\n--"),
                             ContentChange(range: nil, text: "whole")], to: &t, encoding: .utf8)
        XCTAssertEqual(String(decoding: t, as: UTF8.self), "whole")
    }

    func testNegotiationPrefersTheClientsOrderAndFallsBackToUTF16() {
        XCTAssertEqual(PositionEncoding.negotiate(["utf-32", "utf-8", "utf-16"]), .utf8)
        XCTAssertEqual(PositionEncoding.negotiate(["utf-32"]), .utf16)
        XCTAssertEqual(PositionEncoding.negotiate([]), .utf16)
    }

    func testFileURIsArePercentDecoded() {
        XCTAssertEqual(TextDocuments.path(ofURI: "file:///tmp/a%20b/%E6%97%A5.sql"), "/tmp/a b/日.sql")
        XCTAssertEqual(TextDocuments.path(ofURI: "file://localhost/x.sql"), "/x.sql")
        XCTAssertEqual(TextDocuments.path(ofURI: "untitled:Untitled-1"), "Untitled-1")
    }
}
