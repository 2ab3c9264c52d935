import TemplateCompiler
/// Strict decoding: the OpenMetadata schemas say `additionalProperties: false` everywhere, so an
/// unknown key is an error that names its path (`operations[2].parameters.newDescriptio`), never
/// a silently ignored field.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
    init(_ s: String) { self.stringValue = s }
}

/// A schema violation with its JSON path.
public struct PipelineInputError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// `operations[2].parameters` from a coding path.
func jsonPath(_ path: [CodingKey]) -> String {
    var s = ""
    for k in path {
        if let i = k.intValue { s += "[\(i)]" } else { s += (s.isEmpty ? "" : ".") + k.stringValue }
    }
    return s
}

extension Decoder {
    /// Throws when the object has a key outside `allowed`, naming the closest allowed key.
    func rejectUnknownKeys(_ allowed: [String]) throws {
        let c = try container(keyedBy: AnyKey.self)
        for key in c.allKeys where !allowed.contains(key.stringValue) {
            let path = jsonPath(codingPath + [key])
            let hint = closest(key.stringValue, among: allowed).map { " (did you mean `\($0)`?)" } ?? ""
            throw PipelineInputError(path: path, message: "unknown property `\(key.stringValue)`\(hint); allowed here: \(allowed.joined(separator: ", "))")
        }
    }
}

/// Any JSON value (TagLabel's free-form `style` and `metadata` objects).
public indirect enum FreeformJSON: Codable, Sendable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([FreeformJSON]), object([String: FreeformJSON])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([FreeformJSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: FreeformJSON].self)) }
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
