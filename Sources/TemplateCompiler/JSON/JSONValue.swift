/// A JSON document that keeps positions: objects keep their members in order, and every string
/// remembers, for each byte of its decoded UTF-8 value, the file offset of the encoded character
/// it came from. Templates embedded in pipeline and channel documents are checked in place with
/// it, so a diagnostic points at the exact line and column in the JSON file, escapes (`\n`, `\"`,
/// `\uXXXX`, surrogate pairs) accounted for.
public indirect enum JSONValue: Sendable {
    /// Members in document order; keys are unique (the scanner refuses a repeated key).
    case object([JSONMember])
    case array([JSONValue])
    case string(JSONString)
    /// The number's text as written.
    case number(String)
    case bool(Bool)
    case null

    /// The value of `key` in an object.
    public subscript(key: String) -> JSONValue? { member(key)?.value }

    /// The member `key` of an object, with the position of its key.
    public func member(_ key: String) -> JSONMember? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }
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

/// One member of an object: its key, where the key's opening quote is, and its value.
public struct JSONMember: Sendable {
    public var key: String
    public var keyOffset: Int
    public var value: JSONValue
}

/// A decoded JSON string and where its bytes came from.
public struct JSONString: Sendable {
    /// The decoded value, UTF-8 (invalid UTF-8 of the file is kept as it is, for the reader of
    /// the text to report where it is).
    public var bytes: [UInt8]
    /// `offsets[i]` is the file offset of the encoded form of `bytes[i]`; the last element is the
    /// offset of the closing quote.
    public var offsets: [Int]
    /// The file offset of the opening quote.
    public var start: Int
    /// An escape was half a surrogate pair (`\ud83d` alone): no character, U+FFFD stands in its
    /// place in `bytes`, and a reader must refuse the value rather than store the stand-in.
    public var hasLoneSurrogate = false

    /// Whether the value is text as written: valid UTF-8 and no lone surrogate.
    public var isValidText: Bool {
        !hasLoneSurrogate && bytes.withUnsafeBufferPointer { JSONScanner.isValidUTF8($0) }
    }

    public var value: String { String(decoding: bytes, as: UTF8.self) }
    /// The file offsets of the string's contents (between the quotes).
    public var contentRange: Range<Int> { (start + 1)..<(offsets.last ?? start + 1) }
}

extension JSONScanner {
    /// Parses a whole document, keeping positions.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (b) throws(JSONSyntaxError) -> JSONValue in try parse(b, as: JSONValue.self) }
    }

    /// Encodes `text` as the contents of a JSON string (no surrounding quotes): what an edit to
    /// an embedded template writes into the file.
    public static func encodeContents(_ text: String) -> String {
        var out: [UInt8] = []
        JSONDocument.writeString(text, into: &out)
        return String(decoding: out.dropFirst().dropLast(), as: UTF8.self)
    }
}

extension JSONValue: JSONTree {
    typealias Text = JSONString
    static func number(_ value: Double, text: UnsafeBufferPointer<UInt8>) -> JSONValue { .number(String(decoding: text, as: UTF8.self)) }
    static func string(decoded s: JSONString) -> JSONValue { .string(s) }
    static func object(members: [(key: String, value: JSONValue)]) -> JSONValue {
        .object(members.map { JSONMember(key: $0.key, keyOffset: 0, value: $0.value) })
    }
    static func object(members: [(key: String, value: JSONValue)], keyOffsets: [Int]) -> JSONValue {
        .object(zip(members, keyOffsets).map { JSONMember(key: $0.key, keyOffset: $1, value: $0.value) })
    }
}

extension JSONString: JSONStringDecoding {
    static func plain(_ raw: UnsafeBufferPointer<UInt8>, at offset: Int) -> JSONString {
        var offsets = Array(offset..<(offset + raw.count))
        offsets.append(offset + raw.count)
        return JSONString(bytes: Array(raw), offsets: offsets, start: offset - 1)
    }

    init(prefix raw: UnsafeBufferPointer<UInt8>, at offset: Int) {
        bytes = Array(raw)
        offsets = Array(offset..<(offset + raw.count))
        start = offset - 1
    }

    mutating func append(_ byte: UInt8, at offset: Int) {
        bytes.append(byte)
        offsets.append(offset)
    }

    mutating func append(escaped scalar: Unicode.Scalar, at offset: Int) {
        for u in UTF8.encode(scalar)! {
            bytes.append(u)
            offsets.append(offset)
        }
    }

    /// The surrogate's three bytes, as CESU-8 would write them: not UTF-8, so a template that
    /// holds one is reported (LEX106) at the escape, where `sync` refuses its operation.
    mutating func append(loneSurrogate value: UInt32, at offset: Int) {
        for u in [UInt8(0xE0 | (value >> 12)), UInt8(0x80 | ((value >> 6) & 0x3F)), UInt8(0x80 | (value & 0x3F))] {
            bytes.append(u)
            offsets.append(offset)
        }
    }

    mutating func finish(closingQuoteAt offset: Int, loneSurrogate: Bool) -> JSONString {
        offsets.append(offset)
        hasLoneSurrogate = loneSurrogate
        return self
    }
}
