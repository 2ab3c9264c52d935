import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over POSIX sockets: one request per connection
/// (`Connection: close`), with connect and read timeouts.
///
/// Why not URLSession: on Linux it lives in FoundationNetworking, which loads libcurl and some thirty
/// libraries at every start of `templatec` — 16 ms instead of 3 ms for a one-file `check`. Plain
/// HTTP is all ClickHouse's interface needs; for TLS, use the `command:` executor with the
/// engine's own client.
struct HTTPClient {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    enum Failure: Error {
        case cannotConnect(String)
        case timedOut
        case protocolError(String)
    }

    let host: String
    let port: Int

    /// Sends one request and reads the whole answer.
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8],
              connectTimeout: Double, timeout: Double) throws(Failure) -> Response {
        let fd = try connect(timeout: connectTimeout)
        defer { Glibc.close(fd) }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try write(fd, Array(head.utf8) + body, timeout: timeout)
        let raw = try readAll(fd, timeout: timeout)
        return try HTTPClient.parse(raw)
    }

    private func connect(timeout: Double) throws(Failure) -> Int32 {
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

    private func wait(_ fd: Int32, for events: Int32, timeout: Double) throws(Failure) {
        var p = pollfd(fd: fd, events: Int16(events), revents: 0)
        while true {
            let ready = poll(&p, 1, Int32(max(1, timeout * 1000)))
            if ready > 0 { return }
            if ready == 0 { throw .timedOut }
            if errno != EINTR { throw .protocolError(String(cString: strerror(errno))) }
        }
    }

    private func write(_ fd: Int32, _ bytes: [UInt8], timeout: Double) throws(Failure) {
        var off = 0
        while off < bytes.count {
            try wait(fd, for: Int32(POLLOUT), timeout: timeout)
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .protocolError("sending the request failed: \(String(cString: strerror(errno)))")
            }
            off += n
        }
    }

    private func readAll(_ fd: Int32, timeout: Double) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            try wait(fd, for: Int32(POLLIN), timeout: timeout)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .protocolError("reading the answer failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    /// Status line, headers, and a body delimited by Content-Length, chunks, or the connection's end.
    static func parse(_ raw: [UInt8]) throws(Failure) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = raw.indices.first(where: { raw[$0...].starts(with: separator) }) else {
            throw .protocolError("the server's answer is not HTTP (no header end)")
        }
        let head = String(decoding: raw[..<headEnd], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
            throw .protocolError("the server's answer is not HTTP: \(lines.first ?? "")")
        }
        var chunked = false
        for line in lines.dropFirst() {
            let lower = line.lowercased()
            if lower.hasPrefix("transfer-encoding:") && lower.contains("chunked") { chunked = true }
        }
        var body = Array(raw[(headEnd + 4)...])
        if chunked { body = try dechunk(body) }
        return Response(status: status, body: body)
    }

    static func dechunk(_ data: [UInt8]) throws(Failure) -> [UInt8] {
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
            guard i + size <= data.count else { throw .protocolError("truncated chunked answer") }
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
