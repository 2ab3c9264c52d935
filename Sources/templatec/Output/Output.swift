#if canImport(Glibc)
import Glibc
#endif

/// Buffered writes to standard output and error (no Foundation on the hot path of `check`).
enum Output {
    nonisolated(unsafe) private static var buffer: [UInt8] = []

    static func stdout(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count > 1 << 16 { flush() }
    }

    static func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBufferPointer { p in
            var off = 0
            while off < p.count {
                let n = write(1, p.baseAddress! + off, p.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    static func stderr(_ s: String) {
        flush()
        var bytes = Array(s.utf8)
        bytes.withUnsafeMutableBufferPointer { p in
            var off = 0
            while off < p.count {
                let n = write(2, p.baseAddress! + off, p.count - off)
                if n <= 0 { break }
                off += n
            }
        }
    }

    /// Colour only on a terminal, and never with NO_COLOR set (https://no-color.org).
    static func useColor(fd: Int32) -> Bool {
        if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
        if getenv("NO_COLOR") != nil { return false }
        return isatty(fd) == 1
    }
}
