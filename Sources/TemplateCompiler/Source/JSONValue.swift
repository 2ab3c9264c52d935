/// A JSON document that keeps positions: objects keep their members in order, and every string
/// remembers, for each byte of its decoded UTF-8 value, the file offset of the encoded character
/// it came from. Templates embedded in pipeline and channel documents are checked in place with
/// it, so a diagnostic points at the exact line and column in the JSON file, escapes (`\n`, `\"`,
/// `\uXXXX`, surrogate pairs) accounted for.
public indirect enum JSONValue: Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(JSONString)
    /// The number's text as written.
    case number(String)
    case bool(Bool)
    case null

    /// The value of `key` in an object (the last one when it is repeated).
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
    /// The decoded value, UTF-8 (invalid UTF-8 of the file is kept as it is, for the reader of
    /// the text to report where it is).
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
    static func object(members: [(key: String, value: JSONValue)]) -> JSONValue { .object(members) }
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

    mutating func finish(closingQuoteAt offset: Int, loneSurrogate: Bool) -> JSONString {
        offsets.append(offset)
        return self
    }
}
