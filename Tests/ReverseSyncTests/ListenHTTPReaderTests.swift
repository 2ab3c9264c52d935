import XCTest
@testable import ReverseSync

/// The receiver's request reader on whole, split, pipelined, chunked and hostile requests.
final class ListenHTTPReaderTests: XCTestCase {
    private func read(_ text: String, limits: HTTPRequestReader.Limits = .init(), pieces: Int = 1) throws -> [HTTPRequest] {
        var reader = HTTPRequestReader(limits: limits)
        let bytes = Array(text.utf8)
        var out: [HTTPRequest] = []
        let size = max(1, bytes.count / pieces + 1)
        var i = 0
        while i < bytes.count {
            reader.append(bytes[i..<min(i + size, bytes.count)])
            while let r = try reader.next() { out.append(r) }
            i += size
        }
        return out
    }

    private func refusal(_ text: String, limits: HTTPRequestReader.Limits = .init()) -> HTTPRequestError? {
        do { _ = try read(text, limits: limits); return nil } catch { return error as? HTTPRequestError }
    }

    func testContentLengthBodyWholeAndByteByByte() throws {
        let text = "POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-OM-Signature: sha256=abc=\r\nContent-Length: 7\r\n\r\n{\"n\":1}"
        for pieces in [1, 3, text.utf8.count] {
            let requests = try read(text, pieces: pieces)
            XCTAssertEqual(requests.count, 1, "in \(pieces) pieces")
            XCTAssertEqual(requests.first?.method, "POST")
            XCTAssertEqual(requests.first?.path, "/events")
            XCTAssertEqual(requests.first?.body, Array("{\"n\":1}".utf8))
            XCTAssertEqual(requests.first?.header("x-om-signature"), "sha256=abc=")
            XCTAssertEqual(requests.first?.keepAlive, true)
        }
    }

    func testPipelinedKeepAliveRequestsAndConnectionClose() throws {
        let text = "GET /healthz HTTP/1.1\r\n\r\nGET /metrics?x=1 HTTP/1.1\r\nConnection: close\r\n\r\nGET /x HTTP/1.0\r\n\r\n"
        let requests = try read(text)
        XCTAssertEqual(requests.map(\.path), ["/healthz", "/metrics", "/x"])
        XCTAssertEqual(requests.map(\.keepAlive), [true, false, false])
        XCTAssertEqual(requests[1].target, "/metrics?x=1")
    }

    /// Blank lines before a request are skipped; a bare LF ends lines too; the head is found
    /// however it is split (the search resumes where it stopped).
    func testLeadingBlankLinesBareLFAndSplitHeadEnd() throws {
        for pieces in [1, 2, 7, 40] {
            let requests = try read("\r\n\nGET /a HTTP/1.1\nHost: x\n\nGET /b HTTP/1.1\r\nX: y\r\n\r\n", pieces: pieces)
            XCTAssertEqual(requests.map(\.path), ["/a", "/b"], "in \(pieces) pieces")
            XCTAssertEqual(requests.first?.header("host"), "x")
        }
    }

    func testChunkedBody() throws {
        let text = "POST /events HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"n\"\r\n3\r\n:1}\r\n0\r\nTrailer: x\r\n\r\n"
        for pieces in [1, 5, text.utf8.count] {
            let requests = try read(text, pieces: pieces)
            XCTAssertEqual(requests.first?.body, Array("{\"n\":1}".utf8), "in \(pieces) pieces")
        }
    }

    func testLimitsRefuseBeforeReadingTheBody() {
        let limits = HTTPRequestReader.Limits(headBytes: 256, headerCount: 5, bodyBytes: 100)
        XCTAssertEqual(refusal("POST /events HTTP/1.1\r\nContent-Length: 101\r\n\r\n", limits: limits)?.status, 413)
        XCTAssertEqual(refusal("POST /events HTTP/1.1\r\nContent-Length: 10485761\r\n\r\n")?.status, 413)
        XCTAssertNil(refusal("POST /events HTTP/1.1\r\nContent-Length: 100\r\n\r\n", limits: limits))
        XCTAssertEqual(refusal("POST /events HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n", limits: limits)?.status, 413)
        XCTAssertEqual(refusal("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 300), limits: limits)?.status, 431)
        XCTAssertEqual(refusal("GET / HTTP/1.1\r\n" + String(repeating: "A: b\r\n", count: 6) + "\r\n", limits: limits)?.status, 431)
    }

    func testMalformedRequestsGetAStatusAndAMessage() {
        let cases: [(String, Int)] = [
            ("GARBAGE\r\n\r\n", 400),
            ("GET /\r\n\r\n", 400),
            ("GET / HTTP/2.0\r\n\r\n", 505),
            ("G(T / HTTP/1.1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", 400),
            ("GET /\u{7}x HTTP/1.1\r\n\r\n", 400),
        ]
        for (text, status) in cases {
            let e = refusal(text)
            XCTAssertEqual(e?.status, status, text.debugDescription)
            XCTAssertFalse(e?.message.isEmpty ?? true)
        }
    }

    func testIncompleteRequestWaitsAndExpectContinue() throws {
        var reader = HTTPRequestReader()
        reader.append(Array("POST /events HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
        XCTAssertNil(try reader.next())
        XCTAssertTrue(reader.wantsContinue)
        reader.continueSent()
        XCTAssertFalse(reader.wantsContinue)
        XCTAssertFalse(reader.isIdle)
        reader.append(Array("{}".utf8))
        XCTAssertEqual(try reader.next()?.body, Array("{}".utf8))
        XCTAssertTrue(reader.isIdle)
    }
}
