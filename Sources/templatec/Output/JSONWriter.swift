import TemplateCompiler

/// A minimal JSON writer: deterministic key order (as written), exact string escaping. Used for
/// machine output where Foundation's encoder would cost startup time and reorder keys.
enum JSONWriter {
    /// A JSON string literal: the core's encoder, the one `render --serve` uses.
    static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        JSONDocument.writeString(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// A JSON value, for building documents to print.
indirect enum JSON {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSON])
    /// Keys in the order given.
    case object([(String, JSON)])

    func render(indent: Int? = nil, level: Int = 0) -> String {
        let nl = indent == nil ? "" : "\n"
        let pad = { (l: Int) in indent.map { String(repeating: " ", count: $0 * l) } ?? "" }
        let sep = indent == nil ? ":" : ": "
        switch self {
        case .string(let s): return JSONWriter.quote(s)
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[" + nl + items.map { pad(level + 1) + $0.render(indent: indent, level: level + 1) }.joined(separator: "," + nl) + nl + pad(level) + "]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            return "{" + nl + pairs.map { pad(level + 1) + JSONWriter.quote($0.0) + sep + $0.1.render(indent: indent, level: level + 1) }
                .joined(separator: "," + nl) + nl + pad(level) + "}"
        }
    }
}
