@testable import templatec
import XCTest

/// The base protocol's framing: whole messages out of any split of the byte stream, and every
/// malformed header or oversized body reported and skipped, never a hang or a crash.
final class LSPFramingTests: XCTestCase {
    func frame(_ s: String) -> [UInt8] { MessageFramer.frame(Array(s.utf8)) }

    func events(_ bytes: [UInt8], pieces: Int = .max, limits: MessageFramer.Limits = .init()) -> [MessageFramer.Event] {
        var f = MessageFramer(limits: limits)
        var out: [MessageFramer.Event] = []
        var i = 0
        while i < bytes.count {
            let end = min(bytes.count, i + max(1, min(pieces, bytes.count)))
            f.append(bytes[i..<end])
            i = end
            while let e = f.next() { out.append(e) }
        }
        return out
    }

    func testTwoMessagesInOneReadAndByteByByte() {
        let bytes = frame(#"{"a":1}"#) + frame(#"{"b":"é😀"}"#)
        let expected: [MessageFramer.Event] = [.message(Array(#"{"a":1}"#.utf8)), .message(Array(#"{"b":"é😀"}"#.utf8))]
        XCTAssertEqual(events(bytes), expected)
        XCTAssertEqual(events(bytes, pieces: 1), expected)
        XCTAssertEqual(events(bytes, pieces: 7), expected)
    }

    func testContentLengthCountsBytesNotCharacters() {
        let body = #"{"t":"日本語"}"#
        XCTAssertEqual(Array("Content-Length: \(body.utf8.count)\r\n\r\n".utf8) + Array(body.utf8), frame(body))
        XCTAssertEqual(body.utf8.count, 17)
        XCTAssertEqual(body.count, 11)
    }

    func testHeaderFieldsInAnyCaseWithContentType() {
        let body = "{}"
        let bytes = Array("content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:2\r\n\r\n{}".utf8)
        XCTAssertEqual(events(bytes), [.message(Array(body.utf8))])
    }

    func testMissingOrNonNumericLengthIsDroppedAndTheNextMessageStillArrives() {
        let bytes = Array("Content-Type: x\r\n\r\n".utf8) + Array("Content-Length: abc\r\n\r\n".utf8) + frame("{}")
        let e = events(bytes)
        XCTAssertEqual(e.count, 3)
        guard case .dropped(let why) = e[0] else { return XCTFail("\(e)") }
        XCTAssertTrue(why.contains("Content-Length"), why)
        XCTAssertEqual(e[2], .message(Array("{}".utf8)))
    }

    func testALengthTooShortLeavesJunkThatTheNextHeaderRecoversFrom() {
        // Claims 3 of `{"a":1}`'s 7 bytes: `:1}` is left before the next header.
        let bytes = Array("Content-Length: 4\r\n\r\n{\"a\":1}".utf8) + frame(#"{"ok":true}"#)
        let e = events(bytes, pieces: 5)
        XCTAssertEqual(e.first, .message(Array(#"{"a""#.utf8)))
        XCTAssertEqual(e.last, .message(Array(#"{"ok":true}"#.utf8)))
    }

    func testOversizedBodyIsSkippedWithoutBeingKept() {
        let limits = MessageFramer.Limits(headerBytes: 256, bodyBytes: 100)
        let big = "{\"x\":\"" + String(repeating: "y", count: 1000) + "\"}"
        let bytes = frame(big) + frame("{}")
        for pieces in [1, 13, Int.max] {
            let e = events(bytes, pieces: pieces, limits: limits)
            XCTAssertEqual(e.count, 2, "pieces \(pieces)")
            guard case .dropped(let why) = e[0] else { return XCTFail("\(e)") }
            XCTAssertTrue(why.contains("over the limit"), why)
            XCTAssertEqual(e[1], .message(Array("{}".utf8)))
        }
    }

    func testAHeaderThatNeverEndsIsDroppedAndMemoryStaysBounded() {
        let limits = MessageFramer.Limits(headerBytes: 64, bodyBytes: 100)
        var f = MessageFramer(limits: limits)
        var dropped = 0
        for _ in 0..<1000 {
            f.append(Array("X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".utf8))
            while let e = f.next() { if case .dropped = e { dropped += 1 } }
            XCTAssertLessThan(f.pendingBytes, 200)
        }
        XCTAssertGreaterThan(dropped, 0)
        f.append(Array("\r\n".utf8) + frame("{}"))
        var last: MessageFramer.Event? = nil
        while let e = f.next() { last = e }
        XCTAssertEqual(last, .message(Array("{}".utf8)))
    }

    func testAMessageCutShortIsPending() {
        var f = MessageFramer()
        f.append(Array("Content-Length: 10\r\n\r\n{\"a\"".utf8))
        XCTAssertNil(f.next())
        XCTAssertEqual(f.pendingBytes, 26)
    }

    func testJSONRPCShapes() {
        func parse(_ s: String) -> JSONRPC.Incoming { JSONRPC.parse(Array(s.utf8)) }
        XCTAssertEqual(parse(#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#), .request(id: .number(1), method: "shutdown", params: .null))
        XCTAssertEqual(parse(#"{"jsonrpc":"2.0","method":"exit"}"#), .notification(method: "exit", params: .null))
        XCTAssertEqual(parse(#"{"jsonrpc":"2.0","id":"x","result":null}"#), .response(id: .string("x")))
        for (text, code) in [("{", JSONRPC.ErrorCode.parseError), ("[]", .invalidRequest), (#"{"id":1,"method":"a"}"#, .invalidRequest),
                             (#"{"jsonrpc":"2.0","id":{},"method":"a"}"#, .invalidRequest), (#"{"jsonrpc":"2.0","id":1,"method":3}"#, .invalidRequest)] {
            guard case .invalid(_, let c, _) = parse(text) else { XCTFail(text); continue }
            XCTAssertEqual(c, code, text)
        }
        // The id of a malformed request is echoed so the client can match the error.
        guard case .invalid(let id, _, _) = parse(#"{"id":7,"method":"a"}"#) else { return XCTFail() }
        XCTAssertEqual(id, .number(7))
    }
}
