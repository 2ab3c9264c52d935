import TemplateCompiler

/// One file given to `check`: its templates (a `.sql` file is one; a JSON pipeline or channel file
/// may embed several) or the reason it could not be read.
public struct InputFile: Sendable {
    public let path: String
    public var templates: [TemplateSource] = []
    /// Settings the embedding document gives its templates (a channel's update flags), by index.
    public var embeddedSettings: [ContextSettings] = []
    public var readError: String? = nil
}

/// Which files hold templates, and reading them: what `check`, `compile`, `render` and a
/// language server share.
public enum TemplateInputs {
    /// Expands the command line's paths: files as given, folders searched for templates.
    public static func expand(_ paths: [String]) -> (files: [String], errors: [String]) {
        var files: [String] = []
        var errors: [String] = []
        for p in paths {
            if p == "-" {
                files.append(p)
            } else if FileSystem.isDirectory(p) {
                files += FileSystem.walk(p) { isTemplateFile($0) }
            } else if FileSystem.exists(p) {
                files.append(p)
            } else {
                errors.append("\(p): no such file or folder")
            }
        }
        return (files, errors)
    }

    public static func isTemplateFile(_ name: String) -> Bool {
        name.hasSuffix(".sql") || name.hasSuffix(".json")
    }

    /// Reads a file and extracts its templates.
    public static func load(_ path: String) -> InputFile {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch {
            switch error {
            case .cannotOpen(let p, let why): return InputFile(path: path, readError: "\(p): cannot read: \(why)")
            case .isDirectory(let p): return InputFile(path: path, readError: "\(p): is a folder")
            }
        }
        return loadBytes(path: path, bytes: bytes)
    }

    /// The templates of a file's bytes: a JSON document's embedded ones, or the file itself.
    public static func loadBytes(path: String, bytes: [UInt8]) -> InputFile {
        if path.hasSuffix(".json") {
            return EmbeddedTemplateFile.extract(path: path, bytes: bytes)
        }
        return InputFile(path: path, templates: [TemplateSource(path: path, text: bytes)], embeddedSettings: [ContextSettings()])
    }
}

/// Templates embedded in JSON documents (pipelines' `SQLTemplate`, channels' `sqlTemplate`),
/// checked in place: diagnostics point into the JSON file. A document `sync` would refuse is
/// refused here too, at its line and column.
enum EmbeddedTemplateFile {
    static func extract(path: String, bytes: [UInt8]) -> InputFile {
        switch EmbeddedTemplates.extract(path: path, bytes: bytes) {
        case .none:
            // JSON files that are neither pipelines nor channel files are skipped silently.
            return InputFile(path: path)
        case .templates(let found):
            return InputFile(path: path, templates: found.map(\.source), embeddedSettings: found.map(\.settings))
        case .invalid(let kind, let error):
            let at = error.offset.map { o -> String in
                let l = LineIndex(bytes).location(ofByte: o)
                return ":\(l.line):\(l.column)"
            } ?? ""
            let what = error.path.isEmpty ? error.message : "\(error.path): \(error.message)"
            return InputFile(path: path, readError: "\(path)\(at): \(kind): \(what)")
        }
    }
}
