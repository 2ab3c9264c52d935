import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny threaded HTTP/1.1 server on 127.0.0.1 (ephemeral port) for testing the remote executors
/// against a scripted stand-in of Trino, Databricks or Snowflake: each request is recorded and
/// answered by `handler`, one connection per request (`Connection: close`), over POSIX sockets.
/// It follows the services' documented protocols only as far as each test scripts them.
final class StandInHTTPServer: @unchecked Sendable {
    struct Request {
        var method: String
        var target: String
        /// Header names lower-cased.
        var headers: [String: String]
        var body: String

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    struct Response {
        var status: Int
        var body: String
        var contentType = "application/json"
        /// More header lines (`Retry-After: 1`).
        var extraHeaders: [String] = []

        init(_ status: Int, _ body: String, contentType: String = "application/json") {
            self.status = status
            self.body = body
            self.contentType = contentType
        }

        static func json(_ status: Int, _ object: Any) -> Response {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return Response(status, String(decoding: data, as: UTF8.self))
        }
    }

    private(set) var port: Int = 0
    private let listener: Int32
    private let lock = NSLock()
    private var recorded: [Request] = []
    private var stopped = false
    /// Writes the answer to a request: gets the request, its 0-based number and a function that
    /// sends bytes (false once the client has gone).
    typealias Writer = @Sendable (Request, Int, _ send: ([UInt8]) -> Bool) -> Void
    private let writer: Writer?
    private let handler: (@Sendable (Request, Int) -> Response)?
    /// Keep connections open between requests (HTTP/1.1 keep-alive) instead of one per request.
    /// Only for servers made with a `handler`.
    let keepsAlive: Bool
    private var accepted = 0

    /// `handler` gets each request and its 0-based number and says what to answer.
    convenience init(keepsAlive: Bool = false, handler: @escaping @Sendable (Request, Int) -> Response) throws {
        try self.init(writer: nil, handler: handler, keepsAlive: keepsAlive)
    }

    /// A server that writes each answer itself, byte by byte if it likes: for clients that must
    /// survive servers that trickle, stream forever or send garbage.
    convenience init(writer: @escaping Writer) throws {
        try self.init(writer: writer, handler: nil, keepsAlive: false)
    }

    private init(writer: Writer?, handler: (@Sendable (Request, Int) -> Response)?, keepsAlive: Bool) throws {
        self.writer = writer
        self.handler = handler
        self.keepsAlive = keepsAlive
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw NSError(domain: "StandIn", code: 1) }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { Glibc.close(listener); throw NSError(domain: "StandIn", code: 2) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let server = self
        Thread.detachNewThread { server.acceptLoop() }
    }

    deinit { stop() }

    var origin: String { "http://127.0.0.1:\(port)" }

    /// The requests received so far, in order.
    var requests: [Request] {
        lock.lock(); defer { lock.unlock() }
        return recorded
    }

    func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        lock.unlock()
        if !wasStopped { shutdown(listener, Int32(SHUT_RDWR)); Glibc.close(listener) }
    }

    /// A port nothing listens on (bound, then released): connecting to it is refused.
    static func unusedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private func acceptLoop() {
        while true {
            var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, 100)
            lock.lock(); let done = stopped; lock.unlock()
            if done { return }
            if ready <= 0 { continue }
            let connection = accept(listener, nil, nil)
            if connection < 0 { continue }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    /// The connections accepted so far.
    var connections: Int {
        lock.lock(); defer { lock.unlock() }
        return accepted
    }

    private func serve(_ fd: Int32) {
        defer { Glibc.close(fd) }
        lock.lock(); accepted += 1; lock.unlock()
        repeat {
            guard let request = read(fd) else { return }
            lock.lock()
            let number = recorded.count
            recorded.append(request)
            lock.unlock()
            answer(fd, request, number)
        } while keepsAlive
    }

    private func answer(_ fd: Int32, _ request: Request, _ number: Int) {
        let writer = self.writer ?? { [handler, keepsAlive] request, number, send in
            _ = send(StandInHTTPServer.bytes(of: handler!(request, number), keepAlive: keepsAlive))
        }
        writer(request, number) { bytes in
            // No bytes: only ask whether the client is still connected (it has closed when its
            // end reads as end-of-file).
            if bytes.isEmpty {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 0) > 0 else { return true }
                var byte: UInt8 = 0
                return recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) != 0
            }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// A writer that never answers: it holds the connection until the client gives up (or 60 s).
    static let blackHole: Writer = { _, _, send in
        let end = Date().addingTimeInterval(60)
        while Date() < end, send([]) { Thread.sleep(forTimeInterval: 0.02) }
    }

    /// A scripted response as the bytes of an HTTP/1.1 answer.
    static func bytes(of response: Response, keepAlive: Bool = false) -> [UInt8] {
        let reason = [200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
                      422: "Unprocessable Entity", 429: "Too Many Requests", 503: "Service Unavailable"][response.status] ?? "Status"
        let body = Array(response.body.utf8)
        let extra = response.extraHeaders.map { $0 + "\r\n" }.joined()
        let head = "HTTP/1.1 \(response.status) \(reason)\r\nContent-Type: \(response.contentType)\r\nContent-Length: \(body.count)\r\n\(extra)\(keepAlive ? "" : "Connection: close\r\n")\r\n"
        return Array(head.utf8) + body
    }

    private func read(_ fd: Int32) -> Request? {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var headEnd: Int?
        var contentLength = 0
        var parsed: Request?
        while true {
            if headEnd == nil, let end = data.indices.first(where: { data[$0...].starts(with: [13, 10, 13, 10]) }) {
                headEnd = end
                let lines = String(decoding: data[..<end], as: UTF8.self).components(separatedBy: "\r\n")
                let first = lines[0].split(separator: " ")
                guard first.count >= 2 else { return nil }
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                contentLength = Int(headers["content-length"] ?? "0") ?? 0
                parsed = Request(method: String(first[0]), target: String(first[1]), headers: headers, body: "")
            }
            if let headEnd, data.count >= headEnd + 4 + contentLength {
                parsed?.body = String(decoding: data[(headEnd + 4)..<(headEnd + 4 + contentLength)], as: UTF8.self)
                return parsed
            }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 5_000) > 0 else { return nil }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            data.append(contentsOf: chunk[0..<n])
        }
    }
}
