/// Maps byte offsets of a UTF-8 buffer to 1-based lines and scalar columns.
///
/// Built lazily by whoever prints diagnostics: checking a clean file never pays for it.
/// Lines end at `\n`; a `\r\n` pair counts as one line end (the `\r` stays on its line).
public struct LineIndex: Sendable {
    /// Byte offset at which each line starts. `lineStarts[0] == 0`.
    public let lineStarts: [Int]
    private let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        self.lineStarts = starts
        self.bytes = bytes
    }

    public var lineCount: Int { lineStarts.count }

    /// The 0-based line that holds `offset` (an offset equal to the length maps to the last line).
    public func lineNumber(ofByte offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    public func location(ofByte rawOffset: Int) -> SourceLocation {
        let offset = max(0, min(rawOffset, bytes.count))
        let line = lineNumber(ofByte: offset)
        var column = 1
        var i = lineStarts[line]
        while i < offset {
            // Count scalars: every byte that is not a UTF-8 continuation byte starts one.
            // Invalid sequences count byte by byte, which is what a replacement character shows.
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return SourceLocation(line: line + 1, column: column)
    }

    /// Unicode scalars that start in bytes `from..<to`.
    public func scalarCount(from: Int, to: Int) -> Int {
        var count = 0
        var i = max(0, from)
        let end = min(to, bytes.count)
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        return count
    }

    /// The bytes of a 0-based line, without its line end.
    public func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return bytes[start..<max(start, end)]
    }
}
