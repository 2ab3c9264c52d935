/// A JSON document, parsed from UTF-8 bytes without Foundation (the core has none), and written
/// deterministically: object keys sorted, no insignificant whitespace. Used for compiled
/// artifacts and for render requests (`--vars`, `render --serve`).
public indirect enum JSONDocument: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    /// A string that held a lone UTF-16 surrogate (`"\ud800"`): kept, with U+FFFD in its place, so
    /// that whoever uses it can refuse it by name (RND302).
    case invalidString(String)
    case array([JSONDocument])
    case object([String: JSONDocument])

    public subscript(key: String) -> JSONDocument? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var intValue: Int? {
        if case .number(let d) = self, d > -9e15, d < 9e15, Double(Int(d)) == d { return Int(d) }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONDocument]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: [String: JSONDocument]? {
        if case .object(let o) = self { return o }
        return nil
    }

    // MARK: writing

    static let hexDigits = Array("0123456789abcdef".utf8)
    static let nullBytes = Array("null".utf8), trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)

    /// Compact JSON with sorted keys: the same value always gives the same bytes.
    public var text: String {
        var out: [UInt8] = []
        write(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public func write(into out: inout [UInt8]) {
        switch self {
        case .null: out += JSONDocument.nullBytes
        case .bool(let b): out += b ? JSONDocument.trueBytes : JSONDocument.falseBytes
        case .number(let d):
            if let i = intValue { out += Array(String(i).utf8) } else { out += Array(String(d).utf8) }
        case .string(let s), .invalidString(let s): JSONDocument.writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                v.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, k) in o.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONDocument.writeString(k, into: &out)
                out.append(UInt8(ascii: ":"))
                o[k]!.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string literal: `"`, `\` and control characters escaped; U+2028/2029 too, so the
    /// text is also valid JavaScript.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { writeString(utf8: $0, into: &out) }
    }

    /// A JSON string literal of valid UTF-8 bytes. Runs of bytes that need no escape are copied
    /// at once (most text is one run).
    public static func writeString(utf8 b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let n = b.count
        var i = 0
        var run = 0
        JSONDocument.mayNeedEscape.withUnsafeBufferPointer { special in
            while i < n {
                let c = b[i]
                if special[Int(c)] == 0 { i += 1; continue }
                var width = 1
                if c == 0xE2 {
                    // Only U+2028 and U+2029 (E2 80 A8/A9) are escaped.
                    guard i + 2 < n, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 else { i += 1; continue }
                    width = 3
                }
                if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i])) }
                appendEscape(b, i, into: &out)
                i += width
                run = i
            }
        }
        if run < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<n])) }
        out.append(UInt8(ascii: "\""))
    }

    /// 1 for the bytes that may need an escape: controls, `"`, `\`, DEL, and E2 (the first
    /// byte of U+2028/U+2029).
    static let mayNeedEscape: [UInt8] = (0..<256).map { c in
        c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F || c == 0xE2 ? 1 : 0
    }

    /// The escape of the character at `i` (one that `mayNeedEscape` marks and that needs one).
    static func appendEscape(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, into out: inout [UInt8]) {
        let c = b[i]
        let hex = JSONDocument.hexDigits
        switch c {
        case 0x22: out.append(0x5C); out.append(0x22)
        case 0x5C: out.append(0x5C); out.append(0x5C)
        case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
        case 0xE2: out += Array((b[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
        default:
            for x in [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]] { out.append(x) }
        }
    }

    // MARK: parsing (by `JSONScanner`)

    public typealias ParseError = JSONSyntaxError

    public static func parse(_ text: String) throws(ParseError) -> JSONDocument {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONDocument {
        try bytes.withUnsafeBufferPointer { (b) throws(ParseError) -> JSONDocument in try parse(b) }
    }

    public static func parse(_ b: UnsafeBufferPointer<UInt8>) throws(ParseError) -> JSONDocument {
        try JSONScanner.parse(b, as: JSONDocument.self)
    }
}

extension JSONDocument: JSONTree {
    typealias Text = DecodedText

    static func number(_ value: Double, text: UnsafeBufferPointer<UInt8>) -> JSONDocument { .number(value) }

    static func string(decoded: (String, Bool)) -> JSONDocument {
        decoded.1 ? .string(decoded.0) : .invalidString(decoded.0)
    }

    /// Keys are unique: the scanner refuses a repeated key.
    static func object(members: [(key: String, value: JSONDocument)]) -> JSONDocument {
        var o = [String: JSONDocument](minimumCapacity: members.count)
        for m in members { o[m.key] = m.value }
        return .object(o)
    }
}

extension JSONScanner {
    /// A `JSONDocument` value at `i`, `depth` containers deep (for readers that take part of a
    /// line themselves).
    mutating func document(depth: Int) throws(JSONSyntaxError) -> JSONDocument { try value(depth: depth) }
}

// MARK: - Codable, so Foundation users can embed JSON values

extension JSONDocument: Codable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .number(let d):
            var c = encoder.singleValueContainer()
            if let i = intValue { try c.encode(i) } else { try c.encode(d) }
        case .string(let s), .invalidString(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for v in items { try c.encode(v) }
        case .object(let o):
            var c = encoder.container(keyedBy: Key.self)
            for (k, v) in o { try c.encode(v, forKey: Key(stringValue: k)) }
        }
    }

    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            var o: [String: JSONDocument] = [:]
            for k in keyed.allKeys { o[k.stringValue] = try keyed.decode(JSONDocument.self, forKey: k) }
            self = .object(o)
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var a: [JSONDocument] = []
            while !unkeyed.isAtEnd { a.append(try unkeyed.decode(JSONDocument.self)) }
            self = .array(a)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .number(Double(i)) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else { self = .string(try c.decode(String.self)) }
    }
}
