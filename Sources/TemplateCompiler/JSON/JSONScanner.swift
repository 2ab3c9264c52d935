/// The one JSON reader of the project: tokens, strings (escapes, `\uXXXX`, surrogate pairs, lone
/// surrogates, invalid UTF-8), numbers, the depth bound and the error messages with their offsets.
/// What it builds is the caller's choice (`JSONTree`): `JSONDocument` for render requests and
/// artifacts (no offsets kept, so `render --serve` pays nothing for them), `JSONValue` for
/// documents that embed templates (every decoded byte keeps its file offset, so diagnostics point
/// at the exact line and column). No Foundation: `check` reads thousands of files.
public struct JSONScanner {
    let b: UnsafeBufferPointer<UInt8>
    /// The offset of the next byte to read.
    var i = 0
    static let maximumDepth = 256

    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// A whole document: one value, nothing but spaces after it.
    static func parse<T: JSONTree>(_ b: UnsafeBufferPointer<UInt8>, as: T.Type) throws(JSONSyntaxError) -> T {
        var p = JSONScanner(b)
        let v: T = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == b.count else { throw p.error("unexpected text after the value") }
        return v
    }

    func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: i, message: message) }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    /// A value at `i` (after optional spaces), `depth` containers deep; the bound keeps any input
    /// from overflowing the stack.
    mutating func value<T: JSONTree>(depth: Int) throws(JSONSyntaxError) -> T {
        skipSpace()
        guard i < b.count else { throw error("unexpected end of input") }
        guard depth < JSONScanner.maximumDepth else { throw error("nested more than \(JSONScanner.maximumDepth) levels deep") }
        switch b[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(key: String, value: T)] = []
            var keyOffsets: [Int] = []
            var keys = KeySet()
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return T.object(members: members, keyOffsets: keyOffsets) }
            while true {
                skipSpace()
                guard i < b.count, b[i] == 0x22 else { throw error("expected a string key") }
                let keyOffset = i
                let (key, _) = try string(as: DecodedText.self)
                guard keys.insert(key, among: members) else {
                    throw JSONSyntaxError(offset: keyOffset, message: "duplicate key `\(key)`: a key may appear only once in an object")
                }
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { throw error("expected `:` after a key") }
                i += 1
                members.append((key, try value(depth: depth + 1)))
                keyOffsets.append(keyOffset)
                skipSpace()
                guard i < b.count else { throw error("unexpected end of input in an object") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return T.object(members: members, keyOffsets: keyOffsets) }
                throw error("expected `,` or `}`")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [T] = []
            skipSpace()
            if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return T.array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < b.count else { throw error("unexpected end of input in an array") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return T.array(items) }
                throw error("expected `,` or `]`")
            }
        case 0x22:
            return T.string(decoded: try string(as: T.Text.self))
        case UInt8(ascii: "t"): try literal("true"); return T.bool(true)
        case UInt8(ascii: "f"): try literal("false"); return T.bool(false)
        case UInt8(ascii: "n"): try literal("null"); return T.null
        default:
            let (d, text) = try number()
            return T.number(d, text: text)
        }
    }

    /// The keys of one object so far. A key that is already in the object is an error, in every
    /// reader: readers that kept the first value and readers that kept the last one disagreed on
    /// what a document says. Most objects have a handful of keys, searched linearly; a set takes
    /// over past that, so a hostile object of 100,000 keys stays linear.
    struct KeySet {
        private var set: Set<String>? = nil
        static let linearLimit = 16

        /// False when `key` is already among `members`' keys.
        mutating func insert<T>(_ key: String, among members: [(key: String, value: T)]) -> Bool {
            if set == nil {
                if members.count < KeySet.linearLimit { return !members.contains { $0.key == key } }
                set = Set(members.map(\.key))
            }
            return set!.insert(key).inserted
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw error("unexpected end of input") }
        let p = word.utf8Start
        for k in 0..<n where b[i + k] != p[k] { throw error("unexpected text") }
        i += n
    }

    /// A number at `i`: its value and its text.
    mutating func number() throws(JSONSyntaxError) -> (Double, UnsafeBufferPointer<UInt8>) {
        let start = i
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        while i < b.count, (b[i] >= 0x30 && b[i] <= 0x39) || b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "e")
                || b[i] == UInt8(ascii: "E") || b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        let text = UnsafeBufferPointer(rebasing: b[start..<i])
        guard i > start, let d = Double(String(decoding: text, as: UTF8.self)) else { i = start; throw error("expected a value") }
        return (d, text)
    }

    /// The text of the string at `i` (which holds `"`) and whether it is valid (no lone
    /// surrogate, valid UTF-8).
    mutating func string() throws(JSONSyntaxError) -> (String, Bool) {
        try string(as: DecodedText.self)
    }

    /// The string at `i` (which holds `"`), decoded into `D`.
    mutating func string<D: JSONStringDecoding>(as: D.Type) throws(JSONSyntaxError) -> D.Decoded {
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < b.count, b[i] != 0x22, b[i] != 0x5C, b[i] >= 0x20 { i += 1 }
        if i < b.count, b[i] == 0x22 {
            let raw = UnsafeBufferPointer(rebasing: b[start..<i])
            i += 1
            return D.plain(raw, at: start)
        }
        var out = D(prefix: UnsafeBufferPointer(rebasing: b[start..<i]), at: start)
        var loneSurrogate = false
        while true {
            // Reported at the opening quote: that is where the string must be closed from.
            guard i < b.count else { throw JSONSyntaxError(offset: start - 1, message: "unterminated string: close it with `\"`") }
            let c = b[i]
            if c == 0x22 { break }
            if c < 0x20 { throw error("a control character must be escaped in a JSON string") }
            if c != 0x5C { out.append(c, at: i); i += 1; continue }
            let escapeStart = i
            i += 1
            guard i < b.count else { throw error("unterminated escape") }
            let e = b[i]
            i += 1
            var scalar: UInt32
            switch e {
            case 0x22, 0x5C, 0x2F: scalar = UInt32(e)
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "u"):
                scalar = try hex4()
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
                        }
                    }
                }
                // A lone surrogate is no character: the string is marked, and the tree decides
                // what stands in its place.
                if scalar >= 0xD800 && scalar <= 0xDFFF {
                    loneSurrogate = true
                    out.append(loneSurrogate: scalar, at: escapeStart)
                    continue
                }
            default:
                i -= 1
                throw error("unknown escape `\\\(String(UnicodeScalar(e)))`")
            }
            out.append(escaped: UnicodeScalar(scalar)!, at: escapeStart)
        }
        let end = i
        i += 1
        return out.finish(closingQuoteAt: end, loneSurrogate: loneSurrogate)
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
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

    /// Whether `raw` is valid UTF-8.
    @inline(__always) static func isValidUTF8(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = 0
        while k < raw.count {
            if raw[k] < 0x80 { k += 1; continue }
            let n = utf8Length(raw, k)
            if n == 0 { return false }
            k += n
        }
        return true
    }

    /// The length of the well-formed UTF-8 sequence at `i`; 0 when it is not one.
    func utf8Length(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int { JSONScanner.utf8Length(t, i) }

    static func utf8Length(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
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
}

/// A syntax error at a byte offset of the input.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    public var description: String { "invalid JSON at byte \(offset + 1): \(message)" }

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
}

/// A tree the scanner can build: it reads, the tree only assembles.
protocol JSONTree {
    associatedtype Text: JSONStringDecoding
    static var null: Self { get }
    static func bool(_ b: Bool) -> Self
    static func number(_ value: Double, text: UnsafeBufferPointer<UInt8>) -> Self
    static func string(decoded: Text.Decoded) -> Self
    static func array(_ items: [Self]) -> Self
    /// The members in document order (keys are unique: the scanner refuses a repeated one).
    static func object(members: [(key: String, value: Self)]) -> Self
    /// The same, with the file offset of each key's opening quote, for trees that keep positions.
    static func object(members: [(key: String, value: Self)], keyOffsets: [Int]) -> Self
}

extension JSONTree {
    static func object(members: [(key: String, value: Self)], keyOffsets: [Int]) -> Self { object(members: members) }
}

/// How a string's contents are collected: the scanner hands over raw runs and decoded escapes
/// with the offset each came from.
protocol JSONStringDecoding {
    associatedtype Decoded
    /// A string without escapes: its raw contents, which start at `offset` (the closing quote
    /// follows them).
    static func plain(_ raw: UnsafeBufferPointer<UInt8>, at offset: Int) -> Decoded
    /// Starts a string with escapes with the raw bytes before the first one.
    init(prefix raw: UnsafeBufferPointer<UInt8>, at offset: Int)
    mutating func append(_ byte: UInt8, at offset: Int)
    /// The character an escape starting at `offset` stands for.
    mutating func append(escaped scalar: Unicode.Scalar, at offset: Int)
    /// Half a surrogate pair (`\ud83d` alone), escaped at `offset`.
    mutating func append(loneSurrogate value: UInt32, at offset: Int)
    /// The result; `loneSurrogate` when an escape was half a surrogate pair.
    mutating func finish(closingQuoteAt offset: Int, loneSurrogate: Bool) -> Decoded
}

extension JSONStringDecoding {
    /// U+FFFD in its place; the string is marked invalid anyway.
    mutating func append(loneSurrogate value: UInt32, at offset: Int) {
        append(escaped: UnicodeScalar(0xFFFD)!, at: offset)
    }
}

/// A string as text and whether it is valid (valid UTF-8, no lone surrogate); no offsets.
struct DecodedText: JSONStringDecoding {
    var bytes: [UInt8]

    static func plain(_ raw: UnsafeBufferPointer<UInt8>, at offset: Int) -> (String, Bool) {
        (String(decoding: raw, as: UTF8.self), JSONScanner.isValidUTF8(raw))
    }

    init(prefix raw: UnsafeBufferPointer<UInt8>, at offset: Int) { bytes = Array(raw) }

    mutating func append(_ byte: UInt8, at offset: Int) { bytes.append(byte) }

    mutating func append(escaped scalar: Unicode.Scalar, at offset: Int) {
        for u in UTF8.encode(scalar)! { bytes.append(u) }
    }

    mutating func finish(closingQuoteAt offset: Int, loneSurrogate: Bool) -> (String, Bool) {
        bytes.withUnsafeBufferPointer { (String(decoding: $0, as: UTF8.self), !loneSurrogate && JSONScanner.isValidUTF8($0)) }
    }
}
