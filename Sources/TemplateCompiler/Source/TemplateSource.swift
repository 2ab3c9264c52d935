/// A template's text and where it came from.
///
/// A template may be a whole `.sql` file or a string embedded in a JSON document (a pipeline's
/// `SQLTemplate`, a channel's `sqlTemplate`). The compiler works on the template's own bytes;
/// `origin` maps an offset in those bytes back to a line and column in the file the user edits.
public struct TemplateSource: Sendable {
    /// Display path of the file ("-" for standard input).
    public let path: String
    /// The template text, UTF-8.
    public let text: [UInt8]
    /// How offsets in `text` map to the file.
    public let origin: SourceOrigin

    public init(path: String, text: [UInt8], origin: SourceOrigin = .wholeFile) {
        self.path = path
        self.text = text
        self.origin = origin
    }

    public init(path: String = "<template>", _ string: String) {
        self.init(path: path, text: Array(string.utf8))
    }
}

/// Where a template's bytes sit in their file.
public enum SourceOrigin: Sendable {
    /// The template is the whole file: offsets are file offsets.
    case wholeFile
    /// The template is a decoded string inside a larger file (JSON). `fileOffsets[i]` is the file
    /// offset of the encoded form of template byte `i`; `fileOffsets[text.count]` is the offset of
    /// the closing quote. `file` is the whole file's bytes, for line and column computation.
    case embedded(file: [UInt8], fileOffsets: [Int], label: String)
}

/// Turns template spans into file positions, building the line index once.
///
/// Columns are counted from the previous lookup when it is on the same line and earlier, so
/// locating many diagnostics in position order on one long line stays linear.
public final class SourceLocator {
    public let source: TemplateSource
    private let index: LineIndex
    private var last: (offset: Int, location: SourceLocation)? = nil

    public init(_ source: TemplateSource) {
        self.source = source
        switch source.origin {
        case .wholeFile: index = LineIndex(source.text)
        case .embedded(let file, _, _): index = LineIndex(file)
        }
    }

    /// A locator that uses `index`, the line index of the file `source` lives in.
    init(_ source: TemplateSource, index: LineIndex) {
        self.source = source
        self.index = index
    }

    public func fileOffset(_ templateOffset: Int) -> Int {
        switch source.origin {
        case .wholeFile:
            return templateOffset
        case .embedded(_, let map, _):
            return map[max(0, min(templateOffset, map.count - 1))]
        }
    }

    public func location(_ templateOffset: Int) -> SourceLocation {
        let offset = fileOffset(templateOffset)
        if let (o, l) = last, offset >= o, index.lineNumber(ofByte: offset) == l.line - 1 {
            let location = SourceLocation(line: l.line, column: l.column + index.scalarCount(from: o, to: offset))
            last = (offset, location)
            return location
        }
        let location = index.location(ofByte: offset)
        last = (offset, location)
        return location
    }

    /// The file line (1-based) as a String, for the caret display.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= index.lineCount else { return "" }
        return String(decoding: index.lineBytes(line - 1), as: UTF8.self)
    }
}

/// Locators for the templates of one file, built on one line index of that file: a JSON file
/// with thousands of embedded templates is indexed once, not once per template (which made
/// printing its findings quadratic in the file's size).
public final class FileLocators {
    private var shared: LineIndex?
    public init() {}

    public func locator(_ source: TemplateSource) -> SourceLocator {
        guard case .embedded(let file, _, _) = source.origin else { return SourceLocator(source) }
        if shared == nil { shared = LineIndex(file) }
        return SourceLocator(source, index: shared!)
    }
}

