import ReverseSync
import TemplateCompiler

/// One file given to `check`: its templates (a `.sql` file is one; a JSON pipeline or channel file
/// may embed several) or the reason it could not be read.
struct InputFile {
    let path: String
    var templates: [TemplateSource] = []
    /// Settings the embedding document gives its templates (a channel's update flags), by index.
    var embeddedSettings: [ContextSettings] = []
    var readError: String? = nil
}

enum TemplateInputs {
    /// Expands the command line's paths: files as given, folders searched for templates.
    static func expand(_ paths: [String]) -> (files: [String], errors: [String]) {
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

    static func isTemplateFile(_ name: String) -> Bool {
        name.hasSuffix(".sql") || name.hasSuffix(".json")
    }

    /// Reads a file and extracts its templates.
    static func load(_ path: String) -> InputFile {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.read(path)
        } catch {
            switch error {
            case .cannotOpen(let p, let why): return InputFile(path: path, readError: "\(p): cannot read: \(why)")
            case .isDirectory(let p): return InputFile(path: path, readError: "\(p): is a folder")
            }
        }
        if path.hasSuffix(".json") {
            return EmbeddedTemplates.extract(path: path, bytes: bytes)
        }
        return InputFile(path: path, templates: [TemplateSource(path: path, text: bytes)], embeddedSettings: [ContextSettings()])
    }
}

/// Templates embedded in JSON documents (pipelines' `SQLTemplate`, channels' `sqlTemplate`),
/// checked in place: diagnostics point into the JSON file.
enum EmbeddedTemplates {
    static func extract(path: String, bytes: [UInt8]) -> InputFile {
        switch EmbeddedTemplateExtractor.extract(path: path, bytes: bytes) {
        case .none:
            // JSON files that embed no template are skipped silently.
            return InputFile(path: path)
        case .templates(let found):
            return InputFile(path: path, templates: found.map(\.source), embeddedSettings: found.map(\.settings))
        case .malformed(let message, let offset):
            let at = LineIndex(bytes).location(ofByte: offset)
            return InputFile(path: path, readError: "\(path):\(at.line):\(at.column): malformed JSON in a file that embeds templates: \(message)")
        }
    }
}
