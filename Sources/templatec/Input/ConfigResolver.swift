#if canImport(Glibc)
import Glibc
#endif
import ReverseSync
import TemplateCompiler

/// Finds the `.templatec.json` that applies to each file: the one given by `--config`, or the
/// nearest one in the file's folder or above. Lookups are cached per folder, so checking
/// thousands of files costs one `stat` per folder.
final class ConfigResolver {
    private let explicit: LintConfig?
    private var cache: [String: LintConfig?] = [:]
    private let cwd: String

    init(explicitPath: String?) throws(UsageError) {
        cwd = Paths.currentDirectory()
        if let path = explicitPath {
            let absolute = Paths.absolute(path, cwd: cwd)
            explicit = try ConfigResolver.load(absolute)
        } else {
            explicit = nil
        }
    }

    /// The configured settings for a file ("-" gets the settings of the current folder).
    func settings(for path: String) throws(UsageError) -> ContextSettings {
        let absolute = path == "-" ? cwd + "/-" : Paths.absolute(path, cwd: cwd)
        let config: LintConfig?
        if let e = explicit {
            config = e
        } else {
            config = try nearest(Paths.directory(of: absolute))
        }
        guard let c = config else { return ContextSettings() }
        return c.settings(forRelativePath: Paths.relative(absolute, to: c.directory))
    }

    private func nearest(_ directory: String) throws(UsageError) -> LintConfig? {
        if let cached = cache[directory] { return cached }
        let candidate = (directory == "/" ? "" : directory) + "/" + LintConfig.fileName
        let found: LintConfig?
        if FileSystem.exists(candidate) {
            found = try ConfigResolver.load(candidate)
        } else if directory == "/" || directory.isEmpty {
            found = nil
        } else {
            found = try nearest(Paths.directory(of: directory))
        }
        cache[directory] = found
        return found
    }

    static func load(_ path: String) throws(UsageError) -> LintConfig {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch {
            throw UsageError("cannot read the configuration \(path)")
        }
        do {
            return try LintConfig.parse(bytes, directory: Paths.directory(of: path))
        } catch {
            let at = LineIndex(bytes).location(ofByte: error.offset)
            throw UsageError("\(path):\(at.line):\(at.column): \(error.message)")
        }
    }
}

/// Path arithmetic on `/`-separated strings (no Foundation).
enum Paths {
    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `path` made absolute and normalised (`.` and `..` resolved textually).
    static func absolute(_ path: String, cwd: String) -> String {
        let joined = path.hasPrefix("/") ? path : cwd + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `path` relative to `base` when it is inside it, else `path` unchanged.
    static func relative(_ path: String, to base: String) -> String {
        let prefix = base == "/" ? "/" : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
