import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over POSIX sockets: one request per connection (`send`,
/// `Connection: close`), or one exchange on a kept-alive connection (`exchange`, which
/// `KeptAliveConnection` drives), with a connect timeout and a total deadline per request.
///
/// Why not URLSession: on Linux it lives in FoundationNetworking, which loads libcurl and some thirty
/// libraries at every start of `templatec` — 16 ms instead of 3 ms for a one-file `check`. TLS is
/// the transports' business (Executors/Remote/: an `openssl s_client` tunnel whose socket this
/// client speaks over, or `curl`).
///
/// Two bounds hold whatever the server does:
/// - **Time.** `timeout` is a deadline for the whole exchange (sending the request and reading the
///   whole answer), not an idle timeout: a server that trickles one byte a second is cut off at the
///   deadline, as one that never answers is.
/// - **Size.** At most `maximumResponseBytes` of an answer are kept. A 2xx answer that is larger is
///   a failure (the caller cannot use a cut JSON document); any other answer is returned cut, with
///   `truncated` set, so its status and the start of its message can still be reported. An endless
///   body costs neither memory nor time beyond these bounds.
struct HTTPClient {
    struct Response {
        var status: Int
        var body: [UInt8]
        /// The body is the first `maximumResponseBytes` of a longer answer (only for non-2xx answers).
        var truncated = false
        /// Header fields, names lower-cased, in order.
        var headers: [(name: String, value: String)] = []

        /// The first value of a header (`name` lower-case).
        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    }

    enum Failure: Error {
        case cannotConnect(String)
        /// The TLS handshake refused the server's certificate (unknown authority, wrong name,
        /// expired): nothing was sent, and trying again cannot help.
        case untrustedCertificate(String)
        case timedOut
        case protocolError(String)
    }

    /// The most bytes of one answer (head and body) that are read: 8 MiB. The statements templatec
    /// sends are DDL whose answers are small; a larger answer is a misbehaving server.
    static let defaultMaximumResponseBytes = 8 << 20

    let host: String
    let port: Int
    var maximumResponseBytes = HTTPClient.defaultMaximumResponseBytes

    init(host: String, port: Int, maximumResponseBytes: Int = HTTPClient.defaultMaximumResponseBytes) {
        self.host = host
        self.port = port
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// Sends one request on a connection of its own and reads the whole answer. Connecting takes
    /// at most `connectTimeout`; the whole exchange, connecting included, ends by `timeout` seconds
    /// from now.
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8],
              connectTimeout: Double, timeout: Double) throws(Failure) -> Response {
        let deadline = DispatchTime.now() + max(timeout, 0)
        let fd = try connect(timeout: min(connectTimeout, max(timeout, 0.001)))
        defer { Glibc.close(fd) }
        var received = 0
        return try exchange(fd, method: method, target: target, headers: headers, body: body,
                            keepAlive: false, deadline: deadline, received: &received).response
    }

    /// One request and its answer on an open connection. `reusable`: the answer ended where its
    /// framing says (Content-Length, chunks, no body) and the server did not ask to close, so the
    /// connection can carry the next request. `received` counts the bytes of the answer read so
    /// far, also when this throws (a stale kept-alive connection fails having received none).
    func exchange(_ fd: Int32, method: String, target: String, headers: [(String, String)], body: [UInt8],
                  keepAlive: Bool, deadline: DispatchTime, received: inout Int) throws(Failure) -> (response: Response, reusable: Bool) {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\n\(keepAlive ? "" : "Connection: close\r\n")Content-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try write(fd, Array(head.utf8) + body, deadline: deadline)
        let (raw, cut, framed) = try read(fd, deadline: deadline, received: &received)
        var response = try HTTPClient.parse(raw, truncated: cut)
        if cut {
            guard !(200..<300).contains(response.status) else {
                throw .protocolError("the answer (HTTP \(response.status)) is larger than \(HTTPClient.describeSize(maximumResponseBytes)); stopped reading it")
            }
            response.truncated = true
        }
        let closing = response.header("connection")?.lowercased().contains("close") == true
        return (response, keepAlive && framed && !cut && !closing)
    }

    static func describeSize(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    func connect(timeout: Double) throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .cannotConnect("cannot resolve host \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let a = node {
            node = a.pointee.ai_next
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            // Non-blocking connect, bounded by poll.
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var result = Glibc.connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen)
            if result != 0 && errno == EINPROGRESS {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&p, 1, Int32(max(1, timeout * 1000)))
                if ready == 0 {
                    Glibc.close(fd)
                    throw .timedOut
                }
                var soError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
                result = soError == 0 ? 0 : -1
                if soError != 0 { errno = soError }
            }
            if result == 0 {
                _ = fcntl(fd, F_SETFL, flags)
                return fd
            }
            lastError = String(cString: strerror(errno))
            Glibc.close(fd)
        }
        throw .cannotConnect(lastError)
    }

    /// Milliseconds left until `deadline` for poll(2): rounded up, so poll never returns before it.
    private static func milliseconds(until deadline: DispatchTime) -> Int32 {
        let now = DispatchTime.now()
        guard deadline > now else { return 0 }
        let nanoseconds = deadline.uptimeNanoseconds - now.uptimeNanoseconds
        return Int32(min((nanoseconds + 999_999) / 1_000_000, UInt64(Int32.max)))
    }

    private func wait(_ fd: Int32, for events: Int32, deadline: DispatchTime) throws(Failure) {
        var p = pollfd(fd: fd, events: Int16(events), revents: 0)
        while true {
            let left = HTTPClient.milliseconds(until: deadline)
            guard left > 0 else { throw .timedOut }
            let ready = poll(&p, 1, left)
            if ready > 0 { return }
            if ready == 0 { continue }  // the loop's check ends it when the deadline has passed
            if errno != EINTR { throw .protocolError(String(cString: strerror(errno))) }
        }
    }

    private func write(_ fd: Int32, _ bytes: [UInt8], deadline: DispatchTime) throws(Failure) {
        var off = 0
        while off < bytes.count {
            try wait(fd, for: Int32(POLLOUT), deadline: deadline)
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .protocolError("sending the request failed: \(String(cString: strerror(errno)))")
            }
            off += n
        }
    }

    /// Reads the answer: until its framing says it is complete (`framed`), else until the server
    /// closes the connection; at most until the deadline, and at most the size bound (then `cut`
    /// is true and the rest is never read). The bound is `maximumResponseBytes`, and for an answer
    /// whose status is not 2xx the head plus `maximumErrorBodyBytes`: such a body is only ever
    /// quoted in a message.
    private func read(_ fd: Int32, deadline: DispatchTime, received: inout Int) throws(Failure) -> (bytes: [UInt8], cut: Bool, framed: Bool) {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var limit = maximumResponseBytes
        var bodyStart: Int?
        var framing: Framing = .untilClose
        var scanned = 0
        while true {
            try wait(fd, for: Int32(POLLIN), deadline: deadline)
            // One byte more than there is room for: its arrival says the answer is longer.
            let room = limit - out.count
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, room + 1), Int32(MSG_DONTWAIT)) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .protocolError("reading the answer failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return (out, false, false) }
            received += n
            out.append(contentsOf: chunk[0..<min(n, room)])
            if bodyStart == nil, let headEnd = HTTPClient.headEnd(out, from: scanned) {
                bodyStart = headEnd + 4
                let head = out[..<headEnd]
                if let status = HTTPClient.status(head), !(200..<300).contains(status) {
                    limit = min(limit, headEnd + 4 + HTTPClient.maximumErrorBodyBytes)
                }
                framing = HTTPClient.framing(String(decoding: head, as: UTF8.self))
            }
            scanned = max(0, out.count - 3)
            if n > room || out.count > limit {
                if out.count > limit { out.removeLast(out.count - limit) }
                return (out, true, false)
            }
            if let start = bodyStart, HTTPClient.isComplete(out, bodyStart: start, framing) { return (out, false, true) }
        }
    }

    /// How an answer's end is known (RFC 9112 §6.3).
    enum Framing: Equatable {
        case length(Int)
        case chunked
        case untilClose
    }

    static func framing(_ head: String) -> Framing {
        let lines = head.components(separatedBy: "\r\n")
        if let status = status(Array(head.utf8)), status == 204 || status == 304 || (100..<200).contains(status) { return .length(0) }
        var length: Int?
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "transfer-encoding", value.lowercased().contains("chunked") { return .chunked }
            if name == "content-length" { length = Int(value) }
        }
        return length.map { .length(max($0, 0)) } ?? .untilClose
    }

    /// Whether `raw` holds the whole answer: its body's length, or the last chunk and the trailers.
    static func isComplete(_ raw: [UInt8], bodyStart: Int, _ framing: Framing) -> Bool {
        switch framing {
        case .length(let n): return raw.count >= bodyStart + n
        case .untilClose: return false
        case .chunked:
            var i = bodyStart
            while true {
                guard let lineEnd = raw[i...].firstIndex(of: 13), lineEnd + 1 < raw.count else { return false }
                let sizeText = String(decoding: raw[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
                i = lineEnd + 2
                if size == 0 {
                    // Trailer lines, then an empty line.
                    while true {
                        guard let end = raw[i...].firstIndex(of: 13), end + 1 < raw.count else { return false }
                        if end == i { return true }
                        i = end + 2
                    }
                }
                i += size + 2
                if i > raw.count { return false }
            }
        }
    }

    /// How much of a failed answer's body is kept: enough for any server's error message.
    static let maximumErrorBodyBytes = 64 << 10

    /// The offset of the `\r\n\r\n` that ends the head, if it has arrived.
    static func headEnd(_ raw: [UInt8], from start: Int = 0) -> Int? {
        guard raw.count >= start + 4 else { return nil }
        for i in start...(raw.count - 4) where raw[i] == 13 && raw[i + 1] == 10 && raw[i + 2] == 13 && raw[i + 3] == 10 { return i }
        return nil
    }

    /// The status code of a status line (`HTTP/1.1 200 OK`), or nil.
    static func status<C: Collection>(_ head: C) -> Int? where C.Element == UInt8 {
        let line = String(decoding: head.prefix(while: { $0 != 13 }), as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
        return Int(parts[1])
    }

    /// `truncated`: `raw` is the start of a longer answer; a chunked body is then decoded as far as
    /// it goes.
    static func parse(_ raw: [UInt8], truncated: Bool = false) throws(Failure) -> Response {
        guard let end = HTTPClient.headEnd(raw) else {
            throw .protocolError("the server's answer is not HTTP (no header end)")
        }
        let head = String(decoding: raw[..<end], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw .protocolError("the server's answer is not HTTP: \(lines.first ?? "")")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let chunked = headers.contains { $0.name == "transfer-encoding" && $0.value.lowercased().contains("chunked") }
        var body = Array(raw[(end + 4)...])
        if chunked { body = try dechunk(body, truncated: truncated) }
        return Response(status: status, body: body, headers: headers)
    }

    static func dechunk(_ data: [UInt8], truncated: Bool = false) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            guard let lineEnd = data[i...].firstIndex(of: 13), lineEnd + 1 < data.count else { break }
            let sizeText = String(decoding: data[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw .protocolError("malformed chunked answer")
            }
            i = lineEnd + 2
            if size == 0 { break }
            guard i + size <= data.count else {
                if truncated { out.append(contentsOf: data[i...]); break }
                throw .protocolError("truncated chunked answer")
            }
            out.append(contentsOf: data[i..<(i + size)])
            i += size + 2
        }
        return out
    }

    /// `application/x-www-form-urlencoded`-safe percent encoding of a query component.
    static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if ByteClass.unreserved(b) { out.unicodeScalars.append(UnicodeScalar(b)) } else { out += String(format: "%%%02X", b) }
        }
        return out
    }

    enum ByteClass {
        static func unreserved(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
        }
    }
}
