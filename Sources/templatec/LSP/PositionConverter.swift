/// How the client counts a line's characters (LSP 3.17 `positionEncoding`).
enum PositionEncoding: String, Sendable {
    /// UTF-16 code units: the protocol's default; a scalar above U+FFFF counts 2.
    case utf16 = "utf-16"
    /// Bytes of UTF-8.
    case utf8 = "utf-8"

    /// The first of the client's `general.positionEncodings` that we speak, else UTF-16 (which a
    /// server must support).
    static func negotiate(_ offered: [String]) -> PositionEncoding {
        for name in offered { if let e = PositionEncoding(rawValue: name) { return e } }
        return .utf16
    }
}

/// An LSP position: 0-based line, 0-based character in the negotiated encoding.
struct LSPPosition: Hashable, Sendable {
    var line: Int
    var character: Int
}

/// Converts between byte offsets of a document's UTF-8 text and LSP positions. Lines end at
/// `\n` (a `\r` before it stays on its line), as `templatec check` counts them, so a diagnostic
/// is on the line `check` names. Positions past a line's end land at its end; lines past the
/// document's end land at its end; a character inside a surrogate pair lands on the scalar's start.
struct PositionConverter {
    let text: [UInt8]
    let encoding: PositionEncoding
    /// Byte offset at which each line starts.
    let lineStarts: [Int]

    init(_ text: [UInt8], encoding: PositionEncoding) {
        self.text = text
        self.encoding = encoding
        var starts = [0]
        starts.reserveCapacity(text.count / 40 + 1)
        text.withUnsafeBufferPointer { b in
            for i in 0..<b.count where b[i] == 0x0A { starts.append(i + 1) }
        }
        lineStarts = starts
    }

    /// The 0-based line holding `offset`.
    func line(ofByte offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Where the line's text ends (before its `\n`).
    func lineEnd(_ line: Int) -> Int {
        line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : text.count
    }

    func position(ofByte rawOffset: Int) -> LSPPosition {
        let offset = max(0, min(rawOffset, text.count))
        let line = line(ofByte: offset)
        var i = lineStarts[line]
        var units = 0
        while i < offset {
            let (width, count) = scalar(at: i)
            i += width
            units += count
        }
        return LSPPosition(line: line, character: units)
    }

    func byteOffset(of p: LSPPosition) -> Int {
        if p.line < 0 { return 0 }
        if p.line >= lineStarts.count { return text.count }
        var i = lineStarts[p.line]
        let end = lineEnd(p.line)
        var units = 0
        while i < end {
            let (width, count) = scalar(at: i)
            if units + count > p.character { break }
            units += count
            i += width
        }
        return i
    }

    /// The byte offset of `check`'s 1-based line and scalar column.
    func byteOffset(checkLine line: Int, column: Int) -> Int {
        guard line >= 1, line <= lineStarts.count else { return text.count }
        var i = lineStarts[line - 1]
        let end = lineEnd(line - 1)
        var scalars = 1
        while i < end, scalars < column {
            i += scalar(at: i).width
            scalars += 1
        }
        return i
    }

    /// The byte width of the scalar starting at `i` and how many units it counts in the encoding.
    /// Bytes that do not start a valid sequence count as one scalar of one byte each (U+FFFD).
    private func scalar(at i: Int) -> (width: Int, units: Int) {
        let b = text[i]
        let width: Int
        switch b {
        case 0..<0x80: width = 1
        case 0xC2..<0xE0: width = 2
        case 0xE0..<0xF0: width = 3
        case 0xF0..<0xF5: width = 4
        default: width = 1
        }
        if width > 1 {
            if i + width > text.count { return (1, 1) }
            for k in 1..<width where text[i + k] & 0xC0 != 0x80 { return (1, 1) }
        }
        switch encoding {
        case .utf8: return (width, width)
        case .utf16: return (width, width == 4 ? 2 : 1)
        }
    }
}
