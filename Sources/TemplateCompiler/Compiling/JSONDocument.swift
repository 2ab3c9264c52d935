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

    // MARK: parsing

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let offset: Int
        public let message: String
        public var description: String { "invalid JSON at byte \(offset + 1): \(message)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> JSONDocument {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONDocument {
        try bytes.withUnsafeBufferPointer { (b) throws(ParseError) -> JSONDocument in
            var p = JSONParser(b)
            let v = try p.value(depth: 0)
            p.skipSpace()
            guard p.i == b.count else { throw p.error("unexpected text after the value") }
            return v
        }
    }

    public static func parse(_ b: UnsafeBufferPointer<UInt8>) throws(ParseError) -> JSONDocument {
        var p = JSONParser(b)
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == b.count else { throw p.error("unexpected text after the value") }
        return v
    }
}

/// A recursive-descent parser with a depth bound (no input can overflow the stack).
struct JSONParser {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    static let maximumDepth = 256

    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    func error(_ message: String) -> JSONDocument.ParseError { JSONDocument.ParseError(offset: i, message: message) }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    mutating func value(depth: Int) throws(JSONDocument.ParseError) -> JSONDocument {
        skipSpace()
        guard i < b.count else { throw error("unexpected end of input") }
        guard depth < JSONParser.maximumDepth else { throw error("nested more than \(JSONParser.maximumDepth) levels deep") }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            // Pairs first, then one dictionary of the right size.
            var pairs: [(String, JSONDocument)] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object([:]) }
            while true {
                skipSpace()
                guard i < b.count, b[i] == 0x22 else { throw error("expected a string key") }
                let (key, _) = try string()
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw error("expected `:` after a key") }
                i += 1
                pairs.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard i < b.count else { throw error("unexpected end of input in an object") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") {
                    i += 1
                    // A repeated key: the last one wins, as in most parsers.
                    return .object(Dictionary(pairs, uniquingKeysWith: { _, last in last }))
                }
                throw error("expected `,` or `}`")
            }
        case UInt8(ascii: "["):
            i += 1
            var a: [JSONDocument] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
            while true {
                a.append(try value(depth: depth + 1))
                skipSpace()
                guard i < b.count else { throw error("unexpected end of input in an array") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                throw error("expected `,` or `]`")
            }
        case 0x22:
            let (s, valid) = try string()
            return valid ? .string(s) : .invalidString(s)
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return try number()
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONDocument.ParseError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw error("unexpected end of input") }
        let p = word.utf8Start
        for k in 0..<n where b[i + k] != p[k] { throw error("unexpected text") }
        i += n
    }

    mutating func number() throws(JSONDocument.ParseError) -> JSONDocument {
        let start = i
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        while i < b.count, (b[i] >= 0x30 && b[i] <= 0x39) || b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "e")
                || b[i] == UInt8(ascii: "E") || b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        guard i > start, let d = Double(text) else { i = start; throw error("expected a value") }
        return .number(d)
    }

    /// A string at `i` (which holds `"`); returns the text and whether it was valid (no lone
    /// surrogate, valid UTF-8).
    mutating func string() throws(JSONDocument.ParseError) -> (String, Bool) {
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < b.count, b[i] != 0x22, b[i] != 0x5C, b[i] >= 0x20 { i += 1 }
        if i < b.count, b[i] == 0x22 {
            let raw = UnsafeBufferPointer(rebasing: b[start..<i])
            i += 1
            return decodeUTF8(raw)
        }
        var out: [UInt8] = Array(UnsafeBufferPointer(rebasing: b[start..<i]))
        var valid = true
        while true {
            guard i < b.count else { throw error("unterminated string") }
            let c = b[i]
            if c == 0x22 { i += 1; break }
            if c < 0x20 { throw error("a control character must be escaped in a JSON string") }
            if c != 0x5C { out.append(c); i += 1; continue }
            i += 1
            guard i < b.count else { throw error("unterminated escape") }
            let e = b[i]
            i += 1
            switch e {
            case 0x22, 0x5C, 0x2F: out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    // A high surrogate must be followed by `\uDC00`–`\uDFFF`.
                    if i + 1 < b.count, b[i] == 0x5C, b[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low <= 0xDFFF {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                            valid = false
                            scalar = 0xFFFD
                        }
                    } else {
                        valid = false
                        scalar = 0xFFFD
                    }
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    valid = false
                    scalar = 0xFFFD
                }
                appendUTF8(UnicodeScalar(scalar)!, to: &out)
            default:
                i -= 1
                throw error("unknown escape `\\\(String(UnicodeScalar(e)))`")
            }
        }
        let (s, utf8Valid) = out.withUnsafeBufferPointer { decodeUTF8($0) }
        return (s, valid && utf8Valid)
    }

    mutating func hex4() throws(JSONDocument.ParseError) -> UInt32 {
        guard i + 4 <= b.count else { throw error("`\\u` needs four hex digits") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("`\\u` needs four hex digits")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    func decodeUTF8(_ raw: UnsafeBufferPointer<UInt8>) -> (String, Bool) {
        var valid = true
        var k = 0
        while k < raw.count {
            if raw[k] < 0x80 { k += 1; continue }
            let n = utf8Length(raw, k)
            if n == 0 { valid = false; break }
            k += n
        }
        return (String(decoding: raw, as: UTF8.self), valid)
    }

    func utf8Length(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let n = t.count
        func cont(_ k: Int) -> Bool { k < n && t[k] & 0xC0 == 0x80 }
        switch t[i] {
        case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
        case 0xE0: return i + 1 < n && t[i + 1] >= 0xA0 && t[i + 1] <= 0xBF && cont(i + 2) ? 3 : 0
        case 0xED: return i + 1 < n && t[i + 1] >= 0x80 && t[i + 1] <= 0x9F && cont(i + 2) ? 3 : 0
        case 0xE1...0xEC, 0xEE, 0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xF0: return i + 1 < n && t[i + 1] >= 0x90 && t[i + 1] <= 0xBF && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4: return i + 1 < n && t[i + 1] >= 0x80 && t[i + 1] <= 0x8F && cont(i + 2) && cont(i + 3) ? 4 : 0
        default: return 0
        }
    }

    func appendUTF8(_ s: UnicodeScalar, to out: inout [UInt8]) {
        for u in UTF8.encode(s)! { out.append(u) }
    }
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
