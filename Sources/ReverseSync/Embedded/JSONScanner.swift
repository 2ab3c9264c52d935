import TemplateCompiler
/// A JSON parser that keeps positions: every string remembers, for each byte of its decoded
/// UTF-8 value, the file offset of the encoded character it came from. Templates embedded in
/// pipeline and channel documents are checked in place with it, so a diagnostic points at the
/// exact line and column in the JSON file, escapes (`\n`, `\"`, `\uXXXX`, surrogate pairs)
/// accounted for. No Foundation: `check` reads thousands of files.
public indirect enum JSONValue: Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(JSONString)
    case number(String)
    case bool(Bool)
    case null

    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.last { $0.key == key }?.value
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s.value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}

/// A decoded JSON string and where its bytes came from.
public struct JSONString: Sendable {
    /// The decoded value, UTF-8.
    public var bytes: [UInt8]
    /// `offsets[i]` is the file offset of the encoded form of `bytes[i]`; the last element is the
    /// offset of the closing quote.
    public var offsets: [Int]
    /// The file offset of the opening quote.
    public var start: Int

    public var value: String { String(decoding: bytes, as: UTF8.self) }
    /// The file offsets of the string's contents (between the quotes).
    public var contentRange: Range<Int> { (start + 1)..<(offsets.last ?? start + 1) }
}

/// A syntax error at a file offset.
public struct JSONSyntaxError: Error, Sendable {
    public var offset: Int
    public var message: String
}

public enum JSONScanner {
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        var p = Parser(bytes: bytes)
        p.skipSpace()
        let value = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == bytes.count else { throw p.error("unexpected text after the JSON document") }
        return value
    }

    /// Encodes `text` as the contents of a JSON string (no surrounding quotes): what an edit to
    /// an embedded template writes into the file.
    public static func encodeContents(_ text: String) -> String {
        var out: [UInt8] = []
        JSONDocument.writeString(text, into: &out)
        return String(decoding: out.dropFirst().dropLast(), as: UTF8.self)
    }

    struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
            JSONSyntaxError(offset: min(offset ?? i, bytes.count), message: message)
        }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
            guard depth < 256 else { throw error("the document nests deeper than 256 levels") }
            guard i < bytes.count else { throw error("the document ends where a value is expected") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var pairs: [(key: String, value: JSONValue)] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
                    let key = try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected `:` after the key") }
                    i += 1
                    skipSpace()
                    pairs.append((key.value, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < bytes.count else { throw error("the object is not closed: expected `,` or `}`") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                    throw error("expected `,` or `}` in the object")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONValue] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw error("the array is not closed: expected `,` or `]`") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw error("expected `,` or `]` in the array")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = i
                i += 1
                while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) || bytes[i] == UInt8(ascii: ".")
                    || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                    i += 1
                }
                return .number(String(decoding: bytes[start..<i], as: UTF8.self))
            default:
                throw error("unexpected character: expected a value")
            }
        }

        mutating func literal(_ word: String, _ v: JSONValue) throws(JSONSyntaxError) -> JSONValue {
            for c in word.utf8 {
                guard i < bytes.count, bytes[i] == c else { throw error("unexpected character: expected `\(word)`") }
                i += 1
            }
            return v
        }

        mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
            guard i + 4 <= bytes.count else { throw error("`\\u` needs four hex digits") }
            var v: UInt32 = 0
            for k in 0..<4 {
                let b = bytes[i + k]
                let d: UInt32
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
                default: throw error("`\\u` needs four hex digits", at: i + k)
                }
                v = v << 4 | d
            }
            i += 4
            return v
        }

        /// A string at `i` (on its opening quote).
        mutating func string() throws(JSONSyntaxError) -> JSONString {
            let start = i
            i += 1
            var out: [UInt8] = []
            var offsets: [Int] = []
            while true {
                guard i < bytes.count else { throw error("the string is not closed", at: start) }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    offsets.append(i)
                    i += 1
                    return JSONString(bytes: out, offsets: offsets, start: start)
                }
                if b < 0x20 { throw error("a raw control character (a newline?) in a string: write it as `\\n`") }
                if b != UInt8(ascii: "\\") {
                    out.append(b)
                    offsets.append(i)
                    i += 1
                    continue
                }
                let escapeStart = i
                guard i + 1 < bytes.count else { throw error("the string is not closed", at: start) }
                let e = bytes[i + 1]
                i += 2
                var scalar: UInt32
                switch e {
                case UInt8(ascii: "\""): scalar = 0x22
                case UInt8(ascii: "\\"): scalar = 0x5C
                case UInt8(ascii: "/"): scalar = 0x2F
                case UInt8(ascii: "b"): scalar = 0x08
                case UInt8(ascii: "f"): scalar = 0x0C
                case UInt8(ascii: "n"): scalar = 0x0A
                case UInt8(ascii: "r"): scalar = 0x0D
                case UInt8(ascii: "t"): scalar = 0x09
                case UInt8(ascii: "u"):
                    scalar = try hex4()
                    if scalar >= 0xD800 && scalar <= 0xDBFF, i + 1 < bytes.count,
                       bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low <= 0xDFFF {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    // A lone surrogate is not a character: decoded as U+FFFD, as JSON readers do.
                    if scalar >= 0xD800 && scalar <= 0xDFFF { scalar = 0xFFFD }
                default:
                    throw error("unknown escape `\\\(String(UnicodeScalar(e)))` in a string", at: escapeStart)
                }
                for byte in String(UnicodeScalar(scalar)!).utf8 {
                    out.append(byte)
                    offsets.append(escapeStart)
                }
            }
        }
    }
}
