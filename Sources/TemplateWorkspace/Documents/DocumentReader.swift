import TemplateCompiler

// The one reading of pipeline and channel documents, shared by `check` and `sync`: the core's
// positional JSON scanner (duplicate keys refused there, with the key's position), then strict
// typed reading. OpenMetadata's schemas say `additionalProperties: false` everywhere, so an
// unknown key is an error naming its path (`operations[2].parameters.newDescriptio`), never a
// silently ignored field. Every error keeps the file offset it is at, for `file:line:col`.

/// A document that does not follow its schema: the JSON path and, when known, the file offset.
public struct PipelineInputError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    /// The byte offset in the file the problem is at (a key's or a string's opening quote).
    public let offset: Int?

    public init(path: String, message: String, offset: Int? = nil) {
        self.path = path
        self.message = message
        self.offset = offset
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// `path:line:col: path: message` for people.
    public func located(in file: String, bytes: [UInt8]) -> String {
        located(in: file, index: offset == nil ? nil : LineIndex(bytes))
    }

    func located(in file: String, index: LineIndex?) -> String {
        guard let offset, let index else { return "\(file): \(description)" }
        let at = index.location(ofByte: offset)
        return "\(file):\(at.line):\(at.column): \(description)"
    }
}

/// State shared by the nodes of one document: the file, and the strings that are not text (a
/// lone surrogate escape, invalid UTF-8) found so far. Those are collected, not thrown, so the
/// operation that holds one fails alone while the rest of the document is read and run.
final class DocumentReading {
    let path: String
    let bytes: [UInt8]
    var invalidText: [PipelineInputError] = []
    /// Built once, when a problem is first located: a file of many bad operations stays linear.
    lazy var lineIndex = LineIndex(bytes)

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// Parses the file; a syntax error becomes an input error at its offset.
    static func root(path: String, bytes: [UInt8]) throws(PipelineInputError) -> Node {
        let value: JSONValue
        do {
            value = try JSONScanner.parse(bytes)
        } catch {
            throw PipelineInputError(path: "", message: "not valid JSON: \(error.message)", offset: error.offset)
        }
        return Node(value: value, path: "", offset: 0, reading: DocumentReading(path: path, bytes: bytes))
    }
}

/// One value of the document being read, with its JSON path and the offset errors point at.
struct Node {
    let value: JSONValue
    let path: String
    let offset: Int
    let reading: DocumentReading

    func error(_ message: String) -> PipelineInputError {
        PipelineInputError(path: path, message: message, offset: offset)
    }

    func member(_ m: JSONMember) -> Node {
        Node(value: m.value, path: path.isEmpty ? m.key : path + "." + m.key, offset: m.keyOffset, reading: reading)
    }

    var kind: String {
        switch value {
        case .object: return "an object"
        case .array: return "an array"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    func expected(_ what: String) -> PipelineInputError {
        error("expected \(what), found \(kind)")
    }

    /// An object whose keys are all in `allowed`; an unknown key names the closest allowed one.
    func object(allowed: [String]) throws(PipelineInputError) -> Fields {
        guard case .object(let members) = value else { throw expected("an object") }
        for m in members where !allowed.contains(m.key) {
            let hint = closest(m.key, among: allowed).map { " (did you mean `\($0)`?)" } ?? ""
            throw member(m).error("unknown property `\(m.key)`\(hint); allowed here: \(allowed.joined(separator: ", "))")
        }
        return Fields(node: self, members: members)
    }

    /// A string. One that is not text is recorded (see `DocumentReading`) and read with U+FFFD
    /// in place, so the reader can go on; its operation is refused.
    func string() throws(PipelineInputError) -> String {
        guard case .string(let s) = value else { throw expected("a string") }
        if !s.isValidText {
            let what = s.hasLoneSurrogate
                ? "a `\\u` escape is half a surrogate pair (no character)"
                : "the string is not valid UTF-8"
            reading.invalidText.append(PipelineInputError(path: path, message: "not text: \(what); nothing was changed in its place", offset: s.start))
        }
        return s.value
    }

    /// A string with the file positions of its bytes (an embedded template).
    func positionedString() throws(PipelineInputError) -> (String, JSONString) {
        let text = try string()
        guard case .string(let s) = value else { throw expected("a string") }
        return (text, s)
    }

    func bool() throws(PipelineInputError) -> Bool {
        guard case .bool(let b) = value else { throw expected("true or false") }
        return b
    }

    func array() throws(PipelineInputError) -> [Node] {
        guard case .array(let items) = value else { throw expected("an array") }
        return items.enumerated().map { k, v in Node(value: v, path: "\(path)[\(k)]", offset: offset, reading: reading) }
    }

    /// One string or a list of strings (`"level": "table"` or `["table", "column"]`).
    func strings() throws(PipelineInputError) -> [String] {
        if case .string = value { return [try string()] }
        guard case .array = value else { throw expected("a string or a list of strings") }
        var out: [String] = []
        for item in try array() { out.append(try item.string()) }
        return out
    }
}

/// The members of an object, read by key.
struct Fields {
    let node: Node
    let members: [JSONMember]

    func optional(_ key: String) -> Node? {
        members.first { $0.key == key }.map(node.member)
    }

    func required(_ key: String) throws(PipelineInputError) -> Node {
        guard let n = optional(key) else { throw node.error("missing required property `\(key)`") }
        return n
    }

    func string(_ key: String) throws(PipelineInputError) -> String { try required(key).string() }

    func optionalString(_ key: String) throws(PipelineInputError) -> String? {
        guard let n = optional(key) else { return nil }
        return try n.string()
    }

    func optionalBool(_ key: String) throws(PipelineInputError) -> Bool? {
        guard let n = optional(key) else { return nil }
        return try n.bool()
    }
}

/// Any JSON value (TagLabel's free-form `style` and `metadata` objects).
public indirect enum FreeformJSON: Encodable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([FreeformJSON]), object([String: FreeformJSON])

    init(_ node: Node) throws(PipelineInputError) {
        switch node.value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let text): self = .number(Double(text) ?? .nan)
        case .string: self = .string(try node.string())
        case .array:
            var items: [FreeformJSON] = []
            for item in try node.array() { items.append(try FreeformJSON(item)) }
            self = .array(items)
        case .object(let members):
            var o: [String: FreeformJSON] = [:]
            for m in members { o[m.key] = try FreeformJSON(node.member(m)) }
            self = .object(o)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    var isObject: Bool { if case .object = self { return true } else { return false } }
}
