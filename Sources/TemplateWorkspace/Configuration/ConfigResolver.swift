import TemplateCompiler

/// A configuration file that cannot be used: the message names the file, line and column.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// Finds the `.templatec.json` that applies to each file: the one given by `--config`, or the
/// nearest one in the file's folder or above. Lookups are cached per folder, so checking
/// thousands of files costs one `stat` per folder. Every command that reads templates resolves
/// their settings here, so a folder configured for MySQL is checked, compiled, rendered and
/// synced as MySQL.
public final class ConfigResolver {
    private let explicit: WorkspaceConfig?
    private var cache: [String: WorkspaceConfig?] = [:]
    private let cwd: String

    public init(explicitPath: String? = nil) throws(ConfigurationError) {
        cwd = Paths.currentDirectory()
        if let path = explicitPath {
            let absolute = Paths.absolute(path, cwd: cwd)
            explicit = try ConfigResolver.load(absolute)
        } else {
            explicit = nil
        }
    }

    /// The configured settings for a file ("-" gets the settings of the current folder).
    public func settings(for path: String) throws(ConfigurationError) -> ContextSettings {
        let absolute = path == "-" ? cwd + "/-" : Paths.absolute(path, cwd: cwd)
        let config: WorkspaceConfig?
        if let e = explicit {
            config = e
        } else {
            config = try nearest(Paths.directory(of: absolute))
        }
        guard let c = config else { return ContextSettings() }
        return c.settings(forRelativePath: Paths.relative(absolute, to: c.directory))
    }

    private func nearest(_ directory: String) throws(ConfigurationError) -> WorkspaceConfig? {
        if let cached = cache[directory] { return cached }
        let candidate = (directory == "/" ? "" : directory) + "/" + WorkspaceConfig.fileName
        let found: WorkspaceConfig?
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

    static func load(_ path: String) throws(ConfigurationError) -> WorkspaceConfig {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch {
            throw ConfigurationError(message: "cannot read the configuration \(path)")
        }
        do {
            return try WorkspaceConfig.parse(bytes, directory: Paths.directory(of: path))
        } catch {
            let at = LineIndex(bytes).location(ofByte: error.offset)
            throw ConfigurationError(message: "\(path):\(at.line):\(at.column): \(error.message)")
        }
    }
}
