// Pure Swift (no Foundation, no imports): the fuzz target Tests/Fuzz/HTTPRequestFuzz.swift compiles
// this file on its own with the core.

/// One HTTP/1.1 request as the receiver needs it.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The request target as sent (`/events`, `/metrics?x=1`).
    public var target: String
    /// The path of the target, without the query.
    public var path: String { String(target.prefix(while: { $0 != "?" })) }
    /// Header names lowercased, values with surrounding blanks removed, in arrival order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// False for HTTP/1.0 without keep-alive, or `Connection: close`.
    public var keepAlive: Bool

    /// The value of the first header called `name` (lowercase).
    public func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.target == b.target && a.body == b.body && a.keepAlive == b.keepAlive
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }
}

/// Why a request cannot be read: the status to answer and a message that says what to do. After
/// an error the connection is closed (the reader cannot know where the next request starts).
public struct HTTPRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public var description: String { "\(status): \(message)" }
    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// Reads HTTP/1.1 requests from the bytes of one connection, as they arrive: `append` what the
/// socket gave, then `next()` until it answers nil (more bytes needed). Bodies by `Content-Length`
/// or `Transfer-Encoding: chunked`; the limits are checked before the bytes are kept, so a client
/// announcing 1 GB is refused at once with 413.
public struct HTTPRequestReader: Sendable {
    public struct Limits: Sendable {
        /// Request line and headers together.
        public var headBytes = 32 * 1024
        public var headerCount = 100
        public var bodyBytes = 10 * 1024 * 1024
        public init(headBytes: Int = 32 * 1024, headerCount: Int = 100, bodyBytes: Int = 10 * 1024 * 1024) {
            self.headBytes = headBytes
            self.headerCount = headerCount
            self.bodyBytes = bodyBytes
        }
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    /// Where unread bytes start in `buffer` (consumed bytes are dropped in `compact`).
    private var start = 0
    /// The head of the request being read, once complete.
    private var head: Head?
    /// Bytes after `start` already searched for the end of a head, without finding it.
    private var headSearched = 0
    /// True once for a request whose head asked `Expect: 100-continue` and whose body has not come.
    public private(set) var wantsContinue = false

    private struct Head {
        var method: String
        var target: String
        var headers: [(name: String, value: String)]
        var keepAlive: Bool
        var body: BodyKind
    }

    private enum BodyKind {
        case length(Int)
        case chunked(ChunkState)
    }

    private struct ChunkState {
        var body: [UInt8] = []
        /// Bytes left of the current chunk's data, or nil while a size line is expected.
        var remaining: Int? = nil
        /// The CRLF after a chunk's data is still to come.
        var needsCRLF = false
        /// After the last (zero) chunk: trailer lines until an empty line.
        var inTrailer = false
    }

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Bytes received and not yet part of a returned request.
    public var bufferedCount: Int { buffer.count - start }

    /// True while no byte of a next request has arrived (the connection is idle between requests).
    public var isIdle: Bool { head == nil && bufferedCount == 0 }

    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request, nil when more bytes are needed, or an error.
    public mutating func next() throws(HTTPRequestError) -> HTTPRequest? {
        if head == nil {
            guard let parsed = try readHead() else { return nil }
            head = parsed
            if case .length(let n) = parsed.body, n > 0,
               parsed.headers.contains(where: { $0.name == "expect" && lowercased($0.value) == "100-continue" }) {
                wantsContinue = bufferedCount < n
            }
        }
        guard var h = head else { return nil }
        let body: [UInt8]
        switch h.body {
        case .length(let n):
            guard bufferedCount >= n else { return nil }
            body = Array(buffer[start..<start + n])
            start += n
        case .chunked(var state):
            let done = try readChunks(&state)
            h.body = .chunked(state)
            head = h
            guard done else { return nil }
            body = state.body
        }
        head = nil
        wantsContinue = false
        compact()
        return HTTPRequest(method: h.method, target: h.target, headers: h.headers, body: body, keepAlive: h.keepAlive)
    }

    /// Clears `wantsContinue` once the server has answered `100 Continue`.
    public mutating func continueSent() { wantsContinue = false }

    private mutating func compact() {
        if start > 0 && (start == buffer.count || start > 64 * 1024) {
            buffer.removeFirst(start)
            start = 0
        }
    }

    // MARK: head

    /// The index just past the next CRLF (or bare LF) at or after `from`, or nil.
    private func lineEnd(from: Int) -> (contentEnd: Int, next: Int)? {
        var i = from
        while i < buffer.count {
            if buffer[i] == 0x0A { return (i > from && buffer[i - 1] == 0x0D ? i - 1 : i, i + 1) }
            i += 1
        }
        return nil
    }

    /// Whether the head (up to its empty line) has arrived. The search resumes where the last one
    /// stopped, so a head sent a byte at a time costs linear time, not quadratic.
    private mutating func headIsComplete() -> Bool {
        var p = start + max(0, headSearched - 2)
        while p < buffer.count {
            if buffer[p] == 0x0A {
                if p + 1 < buffer.count, buffer[p + 1] == 0x0A { return true }
                if p + 2 < buffer.count, buffer[p + 1] == 0x0D, buffer[p + 2] == 0x0A { return true }
            }
            p += 1
        }
        headSearched = buffer.count - start
        return false
    }

    private mutating func readHead() throws(HTTPRequestError) -> Head? {
        // Blank lines before a request line are ignored (RFC 9112 §2.2).
        while start < buffer.count {
            if buffer[start] == 0x0A { start += 1 } else if buffer[start] == 0x0D, start + 1 < buffer.count, buffer[start + 1] == 0x0A { start += 2 } else { break }
        }
        guard headIsComplete() else {
            if buffer.count - start > limits.headBytes {
                throw HTTPRequestError(431, "request line and headers are larger than \(limits.headBytes) bytes")
            }
            return nil
        }
        headSearched = 0
        var lines: [ArraySlice<UInt8>] = []
        var i = start
        while true {
            guard let (end, next) = lineEnd(from: i) else {
                if buffer.count - start > limits.headBytes {
                    throw HTTPRequestError(431, "request line and headers are larger than \(limits.headBytes) bytes")
                }
                return nil
            }
            if next - start > limits.headBytes {
                throw HTTPRequestError(431, "request line and headers are larger than \(limits.headBytes) bytes")
            }
            if end == i { i = next; break }
            lines.append(buffer[i..<end])
            if lines.count > limits.headerCount + 1 {
                throw HTTPRequestError(431, "more than \(limits.headerCount) header fields")
            }
            i = next
        }
        start = i
        guard let requestLine = lines.first else { throw HTTPRequestError(400, "empty request") }
        let parts = requestLine.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw HTTPRequestError(400, "malformed request line: expected `METHOD /path HTTP/1.1`")
        }
        guard parts[0].allSatisfy({ isTokenByte($0) }) else { throw HTTPRequestError(400, "malformed method in the request line") }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw HTTPRequestError(400, "the request target has a control, blank or non-ASCII byte") }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            if version.hasPrefix("HTTP/") { throw HTTPRequestError(505, "HTTP version `\(printable(parts[2]))` is not supported: use HTTP/1.1") }
            throw HTTPRequestError(400, "malformed request line: expected `METHOD /path HTTP/1.1`")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            if let first = line.first, first == 0x20 || first == 0x09 {
                throw HTTPRequestError(400, "obsolete header line folding is not accepted")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw HTTPRequestError(400, "malformed header line `\(printable(line.prefix(60)))`: expected `Name: value`")
            }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy({ isTokenByte($0) }) else {
                throw HTTPRequestError(400, "malformed header name `\(printable(name.prefix(60)))`")
            }
            var value = line[(colon + 1)...]
            while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
            while let l = value.last, l == 0x20 || l == 0x09 { value = value.dropLast() }
            guard !value.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else {
                throw HTTPRequestError(400, "header `\(printable(name))` has a control character in its value")
            }
            headers.append((lowercased(String(decoding: name, as: UTF8.self)), String(decoding: value, as: UTF8.self)))
        }
        let connection = headers.filter { $0.name == "connection" }.map { lowercased($0.value) }
        let keepAlive = version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")

        let encodings = headers.filter { $0.name == "transfer-encoding" }.map { lowercased($0.value) }
        let lengths = headers.filter { $0.name == "content-length" }.map(\.value)
        let body: BodyKind
        if !encodings.isEmpty {
            // A length beside an encoding is how requests are smuggled: refused (RFC 9112 §6.1).
            guard lengths.isEmpty else { throw HTTPRequestError(400, "both Content-Length and Transfer-Encoding given") }
            guard encodings == ["chunked"] else {
                throw HTTPRequestError(501, "transfer encoding `\(encodings.joined(separator: ", "))` is not supported: send the body with Content-Length or chunked")
            }
            body = .chunked(ChunkState())
        } else if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), let n = decimal(first) else {
                throw HTTPRequestError(400, "invalid Content-Length `\(printable(Array(first.utf8).prefix(40)))`")
            }
            guard n <= limits.bodyBytes else {
                throw HTTPRequestError(413, "the body (\(n) bytes) is larger than the limit of \(limits.bodyBytes) bytes")
            }
            body = .length(n)
        } else {
            body = .length(0)
        }
        return Head(method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self),
                    headers: headers, keepAlive: keepAlive, body: body)
    }

    // MARK: chunked bodies

    /// Reads chunks from the buffer into `state`; true once the last chunk and trailer are read.
    private mutating func readChunks(_ state: inout ChunkState) throws(HTTPRequestError) -> Bool {
        while true {
            if state.inTrailer {
                guard let (end, next) = lineEnd(from: start) else { return try waiting(trailer: true) }
                let empty = end == start
                start = next
                if empty { return true }
                continue
            }
            if state.needsCRLF {
                guard let (end, next) = lineEnd(from: start) else { return try waiting(trailer: false) }
                guard end == start else { throw HTTPRequestError(400, "malformed chunked body: expected CRLF after a chunk's data") }
                start = next
                state.needsCRLF = false
                continue
            }
            if let remaining = state.remaining {
                let take = min(remaining, bufferedCount)
                state.body += buffer[start..<start + take]
                start += take
                if take < remaining {
                    state.remaining = remaining - take
                    return false
                }
                state.remaining = nil
                state.needsCRLF = true
                continue
            }
            guard let (end, next) = lineEnd(from: start) else { return try waiting(trailer: false) }
            var sizeText = buffer[start..<end]
            if let semicolon = sizeText.firstIndex(of: UInt8(ascii: ";")) { sizeText = sizeText[..<semicolon] }
            while let l = sizeText.last, l == 0x20 || l == 0x09 { sizeText = sizeText.dropLast() }
            guard let size = hexadecimal(sizeText) else {
                throw HTTPRequestError(400, "malformed chunked body: chunk size `\(printable(sizeText.prefix(20)))` is not hexadecimal")
            }
            start = next
            guard state.body.count + size <= limits.bodyBytes else {
                throw HTTPRequestError(413, "the body is larger than the limit of \(limits.bodyBytes) bytes")
            }
            if size == 0 { state.inTrailer = true } else { state.remaining = size }
        }
    }

    /// More bytes are needed inside a chunked body: refuses a size line or trailer that never ends
    /// (a size line is short; bounding it keeps re-reading it cheap while it arrives).
    private func waiting(trailer: Bool) throws(HTTPRequestError) -> Bool {
        if bufferedCount > (trailer ? limits.headBytes : 1024) {
            throw HTTPRequestError(trailer ? 431 : 400, trailer ? "chunked trailer larger than \(limits.headBytes) bytes" : "malformed chunked body: a size line without end")
        }
        return false
    }
}

// MARK: small byte helpers

/// RFC 9110 token characters (method and header names).
private func isTokenByte(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
    default: return Array("!#$%&'*+-.^_`|~".utf8).contains(b)
    }
}

private func lowercased(_ s: String) -> String {
    String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
}

/// A non-negative decimal of at most 15 digits (no sign, no blanks).
private func decimal(_ s: String) -> Int? {
    guard !s.isEmpty, s.utf8.count <= 15, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
    return s.utf8.reduce(0) { $0 * 10 + Int($1 - 0x30) }
}

private func hexadecimal(_ s: ArraySlice<UInt8>) -> Int? {
    guard !s.isEmpty, s.count <= 12 else { return nil }
    var n = 0
    for b in s {
        switch b {
        case 0x30...0x39: n = n * 16 + Int(b - 0x30)
        case 0x41...0x46: n = n * 16 + Int(b - 0x41 + 10)
        case 0x61...0x66: n = n * 16 + Int(b - 0x61 + 10)
        default: return nil
        }
    }
    return n
}

/// Bytes for a message: printable ASCII kept, anything else as `\xNN`.
private func printable<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    var s = ""
    let digits = Array("0123456789abcdef")
    for b in bytes {
        if b >= 0x20 && b < 0x7F { s.unicodeScalars.append(Unicode.Scalar(b)) } else { s += "\\x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)]) }
    }
    return s
}
