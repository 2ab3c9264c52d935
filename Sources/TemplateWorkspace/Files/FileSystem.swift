#if canImport(Glibc)
import Glibc
#endif

/// File reading and directory walking with the C library: `check` over thousands of small files
/// spends its time here, so no Foundation.
public enum FileSystem {
    public enum ReadError: Error {
        case cannotOpen(String, String)
        case isDirectory(String)
    }

    /// Reads a whole file, or standard input for "-".
    public static func read(_ path: String) throws(ReadError) -> [UInt8] {
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path, String(cString: strerror(errno))) }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path) }
        var result: [UInt8] = []
        let size = (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : 0
        result.reserveCapacity(size > 0 ? size + 1 : 4096)
        var chunk = [UInt8](repeating: 0, count: max(4096, min(size + 1, 1 << 20)))
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotOpen(path, String(cString: strerror(errno)))
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    public static func write(_ path: String, _ bytes: [UInt8]) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n <= 0 { return String(cString: strerror(errno)) }
            off += n
        }
        return nil
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Files under `root` (recursively, skipping hidden folders and build output) whose name
    /// `accept`s, sorted for deterministic output.
    public static func walk(_ root: String, accept: (String) -> Bool) -> [String] {
        var out: [String] = []
        var stack = [root]
        while let dir = stack.popLast() {
            guard let d = opendir(dir) else { continue }
            while let entry = readdir(d) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." || name.hasPrefix(".") { continue }
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                    type = isDirectory(path) ? UInt8(DT_DIR) : UInt8(DT_REG)
                }
                if type == UInt8(DT_DIR) {
                    stack.append(path)
                } else if accept(name) {
                    out.append(path)
                }
            }
            closedir(d)
        }
        return out.sorted()
    }
}
