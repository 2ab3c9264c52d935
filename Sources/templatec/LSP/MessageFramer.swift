/// The base protocol of LSP: `Content-Length: N\r\n` headers, a blank line, then N bytes of
/// JSON. Pure Swift on bytes (no Foundation, no I/O) so the fuzz target can compile it alone.
///
/// Bytes arrive in pieces of any size (`append`); `next()` hands out whole bodies. Nothing the
/// client sends can make it crash, grow without bound or stop reading: a header block without a
/// usable `Content-Length`, a header block that never ends and a body over the limit are each
/// reported as `.dropped` with a reason (the server logs it on stderr) and skipped. A header line
/// with junk before `Content-Length:` (what is left when a previous message claimed too few
/// bytes) is still read, so the stream resynchronises on the next real header.
struct MessageFramer {
    struct Limits: Equatable {
        /// Longest header block before the blank line.
        var headerBytes = 8 * 1024
        /// Largest body accepted; larger ones are skipped without being kept in memory.
        var bodyBytes = 64 * 1024 * 1024
    }

    enum Event: Equatable {
        case message([UInt8])
        case dropped(String)
    }

    let limits: Limits
    private var buffer: [UInt8] = []
    private var start = 0
    /// Bytes of a refused body still to be discarded as they arrive.
    private var skipping = 0

    init(limits: Limits = Limits()) { self.limits = limits }

    /// Bytes received and not yet handed out: non-zero at end of input means a message cut short.
    var pendingBytes: Int { buffer.count - start + skipping }

    /// Bytes held in memory: once `next()` has returned nil, at most a header block and a body.
    var keptBytes: Int { buffer.count - start }

    mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// The next whole message or refusal; nil when more bytes are needed.
    mutating func next() -> Event? {
        defer { compact() }
        if skipping > 0 {
            let n = min(skipping, buffer.count - start)
            start += n
            skipping -= n
            if skipping > 0 { return nil }
        }
        guard let headerEnd = findBlankLine() else {
            // Decided on the first `headerBytes + 2` bytes alone, however they arrived.
            if buffer.count - start >= limits.headerBytes + 2 {
                start += limits.headerBytes
                return .dropped("a header block longer than \(limits.headerBytes) bytes without a blank line; skipped")
            }
            return nil
        }
        let header = buffer[start..<headerEnd.headerEnd]
        let bodyStart = headerEnd.bodyStart
        guard let length = MessageFramer.contentLength(header) else {
            start = bodyStart
            return .dropped("a header block without a valid Content-Length; skipped")
        }
        if length > limits.bodyBytes {
            start = bodyStart
            skipping = length
            let n = min(skipping, buffer.count - start)
            start += n
            skipping -= n
            return .dropped("a message of \(length) bytes, over the limit of \(limits.bodyBytes); skipped")
        }
        guard buffer.count - bodyStart >= length else { return nil }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        start = bodyStart + length
        return .message(body)
    }

    /// The end of the header block: `\r\n\r\n` (or a bare `\n\n`, which some clients write).
    private func findBlankLine() -> (headerEnd: Int, bodyStart: Int)? {
        let n = buffer.count
        var i = start
        let limit = min(n, start + limits.headerBytes)
        while i < limit {
            if buffer[i] == 0x0A {
                if i + 1 < n, buffer[i + 1] == 0x0A { return (i, i + 2) }
                if i + 2 < n, buffer[i + 1] == 0x0D, buffer[i + 2] == 0x0A { return (i, i + 3) }
            }
            i += 1
        }
        return nil
    }

    /// The value of the last `Content-Length:` field (case-insensitive, found anywhere on its
    /// line), or nil when none is a plain decimal number.
    static func contentLength(_ header: ArraySlice<UInt8>) -> Int? {
        let name = Array("content-length:".utf8)
        var found: Int? = nil
        var i = header.startIndex
        while i + name.count <= header.endIndex {
            var matches = true
            for k in 0..<name.count where lower(header[i + k]) != name[k] { matches = false; break }
            if !matches { i += 1; continue }
            var j = i + name.count
            while j < header.endIndex, header[j] == 0x20 || header[j] == 0x09 { j += 1 }
            var value = 0
            var digits = 0
            while j < header.endIndex, header[j] >= 0x30, header[j] <= 0x39, digits < 12 {
                value = value * 10 + Int(header[j] - 0x30)
                digits += 1
                j += 1
            }
            while j < header.endIndex, header[j] == 0x20 || header[j] == 0x09 || header[j] == 0x0D { j += 1 }
            let endsLine = j == header.endIndex || header[j] == 0x0A
            found = digits > 0 && endsLine ? value : nil
            i = j
        }
        return found
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    private mutating func compact() {
        if start > 0 && (start >= buffer.count || start > 1 << 16 && start * 2 > buffer.count) {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    /// The framing of one outgoing body.
    static func frame(_ body: [UInt8]) -> [UInt8] {
        Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
}
