/// The documents the client has open: their text as the client has it, and its version.
struct OpenDocument {
    let uri: String
    /// The file path the URI names (used for `.templatec.json` and the file's kind).
    let path: String
    var version: Int
    var text: [UInt8]
}

/// A change the client sent: the whole text, or a range replaced.
struct ContentChange {
    var range: (start: LSPPosition, end: LSPPosition)?
    var text: String
}

enum TextDocuments {
    /// Applies changes in order, each to the text the previous one left (LSP 3.17).
    static func apply(_ changes: [ContentChange], to text: inout [UInt8], encoding: PositionEncoding) {
        for change in changes {
            guard let range = change.range else {
                text = Array(change.text.utf8)
                continue
            }
            let converter = PositionConverter(text, encoding: encoding)
            let start = converter.byteOffset(of: range.start)
            let end = max(start, converter.byteOffset(of: range.end))
            text.replaceSubrange(start..<end, with: Array(change.text.utf8))
        }
    }

    /// The path of a `file://` URI, percent-decoded; other schemes (`untitled:`) give their
    /// text after the scheme, which names no configuration.
    static func path(ofURI uri: String) -> String {
        var rest = Substring(uri)
        if rest.hasPrefix("file://") {
            rest = rest.dropFirst(7)
            // `file://host/path`: only the local host is meaningful.
            if !rest.hasPrefix("/"), let slash = rest.firstIndex(of: "/") { rest = rest[slash...] }
        } else if let colon = rest.firstIndex(of: ":") {
            rest = rest[rest.index(after: colon)...]
        }
        var bytes: [UInt8] = []
        let u = Array(rest.utf8)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else {
                bytes.append(u[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}
