import Foundation
import XCTest
@testable import ReverseSync

/// The HTTP client's two bounds, against stand-ins that misbehave: a deadline for the whole
/// exchange (a server that trickles one byte at a time, or never answers, is cut off at it), and a
/// bound on what is kept of an answer (a server that streams forever costs neither memory nor time).
final class HTTPBoundsTests: XCTestCase {
    typealias Server = StandInHTTPServer

    /// A head, then one body byte every `interval` for as long as the client listens (at most 30 s).
    static func trickle(status: Int = 200, interval: Double = 0.05) -> Server.Writer {
        { _, _, send in
            guard send(Array("HTTP/1.1 \(status) OK\r\nContent-Length: 100000\r\n\r\n".utf8)) else { return }
            let end = Date().addingTimeInterval(30)
            while Date() < end, send([UInt8(ascii: "x")]) { Thread.sleep(forTimeInterval: interval) }
        }
    }

    /// A head, then an endless body as fast as the client takes it (at most 30 s, at most 1 GiB).
    static func endless(status: Int, chunked: Bool = false) -> Server.Writer {
        { _, _, send in
            let head = chunked ? "HTTP/1.1 \(status) Oops\r\nTransfer-Encoding: chunked\r\n\r\n" : "HTTP/1.1 \(status) Oops\r\n\r\n"
            guard send(Array(head.utf8)) else { return }
            let line = Array("Code: 999. DB::Exception: endless line of an endless error message\n".utf8)
            let block = chunked ? Array(String(line.count * 100, radix: 16).utf8) + [13, 10] + Array(repeating: line, count: 100).flatMap { $0 } + [13, 10]
                                : Array(repeating: line, count: 100).flatMap { $0 }
            var sent = 0
            let end = Date().addingTimeInterval(30)
            while Date() < end, sent < 1 << 30, send(block) { sent += block.count }
        }
    }

    func send(_ server: Server, timeout: Double) throws(HTTPClient.Failure) -> HTTPClient.Response {
        try HTTPClient(host: "127.0.0.1", port: server.port)
            .send(method: "POST", target: "/", headers: [], body: Array("SELECT 1".utf8), connectTimeout: 2, timeout: timeout)
    }

    func testATricklingServerIsCutOffAtTheDeadlineNotKeptAliveByEachByte() throws {
        let server = try Server(writer: Self.trickle())
        let start = Date()
        XCTAssertThrowsError(try send(server, timeout: 0.5)) { error in
            guard case HTTPClient.Failure.timedOut = error else { return XCTFail("expected a timeout, got \(error)") }
        }
        let elapsed = Date().timeIntervalSince(start)
        // With an idle timeout this would last until the server stops (30 s): each byte restarts it.
        XCTAssertGreaterThanOrEqual(elapsed, 0.5)
        XCTAssertLessThan(elapsed, 5, "the deadline is for the whole exchange")
    }

    func testAServerThatNeverAnswersTimesOut() throws {
        let server = try Server(writer: Server.blackHole)
        let start = Date()
        XCTAssertThrowsError(try send(server, timeout: 0.3)) { error in
            guard case HTTPClient.Failure.timedOut = error else { return XCTFail("expected a timeout, got \(error)") }
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testAnEndlessErrorBodyIsCutAndItsStatusKept() throws {
        for chunked in [false, true] {
            let server = try Server(writer: Self.endless(status: 500, chunked: chunked))
            let response = try send(server, timeout: 20)
            XCTAssertEqual(response.status, 500)
            XCTAssertTrue(response.truncated)
            XCTAssertGreaterThan(response.body.count, 1000)
            XCTAssertLessThanOrEqual(response.body.count, HTTPClient.maximumErrorBodyBytes, "chunked: \(chunked)")
            XCTAssertTrue(String(decoding: response.body.prefix(40), as: UTF8.self).hasPrefix("Code: 999."), "chunked: \(chunked)")
        }
    }

    func testAnEndlessSuccessBodyIsAFailureAtTheSizeBound() throws {
        let server = try Server(writer: Self.endless(status: 200))
        var client = HTTPClient(host: "127.0.0.1", port: server.port)
        client.maximumResponseBytes = 1 << 20
        XCTAssertThrowsError(try client.send(method: "GET", target: "/", headers: [], body: [], connectTimeout: 2, timeout: 20)) { error in
            guard case HTTPClient.Failure.protocolError(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("larger than 1 MiB"), message)
        }
    }

    func testAnAnswerOfExactlyTheBoundIsWhole() throws {
        let body = String(repeating: "y", count: 1000)
        let server = try Server { _, _ in Server.Response(200, body, contentType: "text/plain") }
        let head = Server.bytes(of: Server.Response(200, body, contentType: "text/plain")).count
        var client = HTTPClient(host: "127.0.0.1", port: server.port)
        client.maximumResponseBytes = head
        let response = try client.send(method: "GET", target: "/", headers: [], body: [], connectTimeout: 2, timeout: 5)
        XCTAssertEqual(response.body.count, 1000)
        XCTAssertFalse(response.truncated)
        client.maximumResponseBytes = head - 1
        XCTAssertThrowsError(try client.send(method: "GET", target: "/", headers: [], body: [], connectTimeout: 2, timeout: 5))
    }

    // MARK: the executors on top

    func testTrinoOverATricklingServerFailsAtTheStatementTimeout() throws {
        let server = try Server(writer: Self.trickle())
        let trino = try makeExecutor(try ConnectionURL.parse("trino://127.0.0.1:\(server.port)?timeout=0.5"), environment: [:])
        let start = Date()
        let outcome = trino.execute("COMMENT ON TABLE t IS 'x'")
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertFalse(outcome.success)
        XCTAssertTrue(outcome.message?.contains("did not finish the statement within 0.5 s") == true, outcome.message ?? "")
    }

    func testTrinoOverAnEndlessErrorBodyQuotesItsStart() throws {
        let server = try Server(writer: Self.endless(status: 500))
        let trino = try makeExecutor(try ConnectionURL.parse("trino://127.0.0.1:\(server.port)?timeout=20"), environment: [:])
        let outcome = trino.execute("COMMENT ON TABLE t IS 'x'")
        XCTAssertFalse(outcome.success)
        let message = try XCTUnwrap(outcome.message)
        XCTAssertTrue(message.contains("HTTP 500") && message.contains("Code: 999."), message)
        XCTAssertLessThan(message.utf8.count, 1000)
    }

    func testClickHouseOverAnEndlessErrorBodyHasABoundedMessage() throws {
        // The executor probes with SELECT 1 when it is made: answer that, then stream forever.
        let endless = Self.endless(status: 500)
        let server = try Server(writer: { request, number, send in
            if number == 0 { _ = send(Server.bytes(of: Server.Response(200, "1\n", contentType: "text/plain"))) } else { endless(request, number, send) }
        })
        let clickhouse = try makeExecutor(try ConnectionURL.parse("http://127.0.0.1:\(server.port)/?timeout=20"), environment: [:])
        let outcome = clickhouse.execute("ALTER TABLE t COMMENT COLUMN c 'x'")
        XCTAssertFalse(outcome.success)
        XCTAssertLessThanOrEqual(outcome.message?.utf8.count ?? 0, HTTPClient.maximumErrorBodyBytes)
        XCTAssertTrue(outcome.message?.hasPrefix("Code: 999.") == true)
    }

    func testCurlTransportBoundsAnEndlessAnswer() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard CurlHTTPTransport.findCurl(path: path) != nil else { throw XCTSkip("curl is not on PATH") }
        let server = try Server(writer: Self.endless(status: 500))
        let curl = CurlHTTPTransport(scheme: "http", host: "127.0.0.1", port: server.port, connectTimeout: 5, environment: ["PATH": path])
        XCTAssertThrowsError(try curl.send(method: "POST", target: "/", headers: [], body: [], timeout: 60)) { error in
            guard case HTTPClient.Failure.protocolError(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("larger than 8 MiB"), message)
        }
    }

    // MARK: connection reuse

    func testAStatementsRequestsAndTheNextStatementsReuseOneConnection() throws {
        let server = try Server(keepsAlive: true) { request, _ in
            request.method == "POST" ? .json(200, ["nextUri": "http://x/v1/statement/executing/q/1"]) : .json(200, ["stats": ["state": "FINISHED"]])
        }
        let trino = try makeExecutor(try ConnectionURL.parse("trino://127.0.0.1:\(server.port)"), environment: [:])
        for i in 0..<20 { XCTAssertEqual(trino.execute("COMMENT ON TABLE t\(i) IS 'x'"), .ok) }
        XCTAssertEqual(server.requests.count, 40)
        XCTAssertEqual(server.connections, 1, "no new connection per request")
    }

    func testAConnectionTheServerClosedWhileIdleIsReplacedOnce() throws {
        // Answers as if keeping the connection, then closes it: the next request finds it dead.
        let server = try Server(writer: { request, _, send in
            let answer = request.method == "POST" ? Server.Response.json(200, ["nextUri": "http://x/v1/statement/executing/q/1"])
                                                  : Server.Response.json(200, ["stats": ["state": "FINISHED"]])
            _ = send(Server.bytes(of: answer, keepAlive: true))
        })
        let trino = try makeExecutor(try ConnectionURL.parse("trino://127.0.0.1:\(server.port)?timeout=5"), environment: [:])
        for i in 0..<5 { XCTAssertEqual(trino.execute("COMMENT ON TABLE t\(i) IS 'x'"), .ok) }
        XCTAssertEqual(server.requests.map(\.method), Array(repeating: ["POST", "GET"], count: 5).flatMap { $0 }, "each request reached the server once")
    }

    func testAnswersEndWhereTheirFramingSays() {
        XCTAssertEqual(HTTPClient.framing("HTTP/1.1 200 OK\r\nContent-Length: 12"), .length(12))
        XCTAssertEqual(HTTPClient.framing("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 12"), .chunked)
        XCTAssertEqual(HTTPClient.framing("HTTP/1.1 204 No Content"), .length(0))
        XCTAssertEqual(HTTPClient.framing("HTTP/1.1 200 OK\r\nContent-Type: text/plain"), .untilClose)
        let chunked = Array("HTTP/1.1 200 OK\r\n\r\n5\r\nhello\r\n0\r\n\r\n".utf8)
        let start = HTTPClient.headEnd(chunked)! + 4
        XCTAssertTrue(HTTPClient.isComplete(chunked, bodyStart: start, .chunked))
        XCTAssertFalse(HTTPClient.isComplete(Array(chunked.dropLast(2)), bodyStart: start, .chunked))
        XCTAssertFalse(HTTPClient.isComplete(Array(chunked.prefix(start + 4)), bodyStart: start, .chunked))
        let trailers = Array("HTTP/1.1 200 OK\r\n\r\n0\r\nX-Checksum: 1\r\n\r\n".utf8)
        XCTAssertTrue(HTTPClient.isComplete(trailers, bodyStart: HTTPClient.headEnd(trailers)! + 4, .chunked))
    }
}
