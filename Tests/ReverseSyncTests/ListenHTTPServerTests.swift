import XCTest
@testable import ReverseSync
#if canImport(Glibc)
import Glibc
#endif

/// The receiver's HTTP server on real sockets: keep-alive, 100-continue, the connection bound and
/// the request deadline.
final class ListenHTTPServerTests: XCTestCase {
    private func server(_ configure: (inout HTTPServer.Configuration) -> Void = { _ in }) throws -> HTTPServer {
        var configuration = HTTPServer.Configuration()
        configure(&configuration)
        let s = HTTPServer(configuration) { request in
            HTTPResponse(status: 200, contentType: "text/plain", body: Array("\(request.method) \(request.path) \(request.body.count)".utf8))
        }
        try s.start()
        addTeardownBlock { s.stop() }
        return s
    }

    private func connect(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    private func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress!, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until `count` answers have arrived (by counting status lines) or the peer closes.
    private func read(_ fd: Int32, answers count: Int) -> String {
        var text = ""
        var chunk = [UInt8](repeating: 0, count: 4096)
        while text.components(separatedBy: "HTTP/1.1 ").count - 1 < count {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            text += String(decoding: chunk[0..<n], as: UTF8.self)
        }
        usleep(20_000)
        return text
    }

    func testKeepAlivePipelinedRequestsAnsweredInOrder() throws {
        let s = try server()
        let fd = connect(s.port)
        defer { close(fd) }
        write(fd, "GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyzGET /c HTTP/1.1\r\n\r\n")
        let text = read(fd, answers: 3)
        let bodies = text.components(separatedBy: "\r\n\r\n").dropFirst().map { $0.prefix { $0 != "H" } }
        XCTAssertEqual(bodies.prefix(3).map(String.init), ["GET /a 0", "POST /b 3", "GET /c 0"], text)
    }

    /// A HEAD answer announces its length but sends no body, so the next answer on the connection
    /// starts right after its head.
    func testHeadHasNoBody() throws {
        let s = try server()
        let fd = connect(s.port)
        defer { close(fd) }
        write(fd, "HEAD /h HTTP/1.1\r\n\r\nGET /g HTTP/1.1\r\nConnection: close\r\n\r\n")
        let text = read(fd, answers: 2)
        XCTAssertTrue(text.contains("Content-Length: 9\r\n\r\nHTTP/1.1 200"), text)
        XCTAssertTrue(text.hasSuffix("GET /g 0"), text)
    }

    func testExpectContinue() throws {
        let s = try server()
        let fd = connect(s.port)
        defer { close(fd) }
        write(fd, "POST /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        XCTAssertTrue(read(fd, answers: 1).hasPrefix("HTTP/1.1 100 Continue"))
        write(fd, "ok")
        XCTAssertTrue(read(fd, answers: 1).contains("POST /e 2"))
    }

    func testConnectionsAreBounded() throws {
        let s = try server { $0.maxConnections = 2 }
        let a = connect(s.port), b = connect(s.port)
        defer { close(a); close(b) }
        usleep(100_000)
        let c = connect(s.port)
        defer { close(c) }
        let refused = read(c, answers: 1)
        XCTAssertTrue(refused.hasPrefix("HTTP/1.1 503"), refused)
        XCTAssertTrue(refused.contains("too many connections"))
        // The admitted ones are served.
        write(a, "GET /x HTTP/1.1\r\nConnection: close\r\n\r\n")
        XCTAssertTrue(read(a, answers: 1).contains("GET /x 0"))
    }

    func testHalfOpenRequestTimesOut() throws {
        let s = try server { $0.requestTimeout = 1 }
        let fd = connect(s.port)
        defer { close(fd) }
        write(fd, "POST /e HTTP/1.1\r\nContent-Length: 10\r\n\r\n12")
        // Answered (before the test's own 5 s read timeout) and closed.
        let text = read(fd, answers: 1)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 408"), text)
    }

    func testBindRefusals() {
        var configuration = HTTPServer.Configuration()
        configuration.host = "not-an-address"
        XCTAssertThrowsError(try HTTPServer(configuration) { _ in .message(200, "") }.start()) { XCTAssertTrue("\($0)".contains("not an IPv4 or IPv6 address")) }
        let first = HTTPServer(HTTPServer.Configuration()) { _ in .message(200, "") }
        XCTAssertNoThrow(try first.start())
        defer { first.stop() }
        configuration.host = "127.0.0.1"
        configuration.port = first.port
        XCTAssertThrowsError(try HTTPServer(configuration) { _ in .message(200, "") }.start()) { XCTAssertTrue("\($0)".contains("another process uses the port"), "\($0)") }
    }
}
