// Pure Swift on the core's JSON reader (no Foundation): the fuzz target Tests/Fuzz/EventMapperFuzz.swift
// compiles this folder with the core into one module, where there is no TemplateCompiler to import.
#if canImport(TemplateCompiler)
import TemplateCompiler
#endif

/// OpenMetadata's `type/changeEvent.json`, the parts a receiver reads. Required: `id`, `eventType`,
/// `entityType`, `entityId`, `timestamp`; the rest is optional. Unknown keys are allowed: the
/// catalog adds fields between versions, and a receiver must not refuse a newer server's events.
public struct ChangeEvent: Sendable, Equatable {
    public var id: String
    public var eventType: String
    public var entityType: String
    public var entityId: String
    /// Milliseconds since 1970.
    public var timestamp: Double
    public var entityFullyQualifiedName: String?
    public var userName: String?
    public var changeDescription: ChangeDescription?
    public var incrementalChangeDescription: ChangeDescription?

    /// Why a body is not a ChangeEvent: answered 400 with this message.
    public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
        init(_ message: String) { self.message = message }
    }

    /// The change the receiver applies: the incremental one (this edit only) when the server sent
    /// it, else the consolidated one.
    public var change: ChangeDescription? { incrementalChangeDescription ?? changeDescription }

    /// The body of the destination's *Test* button (`GenericPublisher.sendTestMessage`):
    /// `{"message": "This is a test message from OpenMetadata …"}`, an object with one string.
    public static func isTestMessage(_ body: [UInt8]) -> Bool {
        guard case .object(let o)? = try? JSONDocument.parse(body), o.count == 1, case .string? = o["message"] else { return false }
        return true
    }

    public static func parse(_ body: [UInt8]) throws(FormatError) -> ChangeEvent {
        let document: JSONDocument
        do { document = try JSONDocument.parse(body) } catch {
            throw FormatError("the body is not JSON (\(error.description)): send one ChangeEvent object per request")
        }
        guard case .object(let o) = document else {
            throw FormatError("the body is not a JSON object: send one ChangeEvent object per request")
        }
        if o["data"]?.arrayValue != nil, o["eventType"] == nil {
            throw FormatError("the body is a batch of events (`{\"data\": […]}`, servers before OpenMetadata 1.3): send one ChangeEvent per request (Generic Webhook destination of OpenMetadata 1.3 or newer)")
        }
        func string(_ key: String, required: Bool) throws(FormatError) -> String? {
            switch o[key] {
            case .string(let s)?: return s
            case nil, .null?:
                if required { throw FormatError("not a ChangeEvent: the required property `\(key)` is missing") }
                return nil
            case .invalidString?: throw FormatError("not a ChangeEvent: `\(key)` holds a lone UTF-16 surrogate")
            default: throw FormatError("not a ChangeEvent: `\(key)` must be a string")
            }
        }
        guard case .number(let timestamp)? = o["timestamp"] else {
            throw FormatError(o["timestamp"] == nil ? "not a ChangeEvent: the required property `timestamp` is missing" : "not a ChangeEvent: `timestamp` must be a number (milliseconds)")
        }
        return ChangeEvent(
            id: try string("id", required: true)!, eventType: try string("eventType", required: true)!,
            entityType: try string("entityType", required: true)!, entityId: try string("entityId", required: true)!,
            timestamp: timestamp,
            entityFullyQualifiedName: try string("entityFullyQualifiedName", required: false) ?? fullyQualifiedName(ofEntity: o["entity"]),
            userName: try string("userName", required: false),
            changeDescription: try ChangeDescription(o["changeDescription"], "changeDescription"),
            incrementalChangeDescription: try ChangeDescription(o["incrementalChangeDescription"], "incrementalChangeDescription"))
    }
}

/// Servers that leave out `entityFullyQualifiedName` still send `entity`: the entity as JSON text
/// (or, from some senders, an object), whose `fullyQualifiedName` names it.
private func fullyQualifiedName(ofEntity value: JSONDocument?) -> String? {
    var entity = value
    if case .string(let text)? = value { entity = try? JSONDocument.parse(text) }
    guard case .object(let o)? = entity, case .string(let fqn)? = o["fullyQualifiedName"] else { return nil }
    return fqn
}

/// `type/entityHistory.json#/definitions/changeDescription`.
public struct ChangeDescription: Sendable, Equatable {
    public var fieldsAdded: [FieldChange] = []
    public var fieldsUpdated: [FieldChange] = []
    public var fieldsDeleted: [FieldChange] = []

    public init(fieldsAdded: [FieldChange] = [], fieldsUpdated: [FieldChange] = [], fieldsDeleted: [FieldChange] = []) {
        self.fieldsAdded = fieldsAdded
        self.fieldsUpdated = fieldsUpdated
        self.fieldsDeleted = fieldsDeleted
    }

    init?(_ value: JSONDocument?, _ path: String) throws(ChangeEvent.FormatError) {
        guard let value, value != .null else { return nil }
        guard case .object(let o) = value else { throw ChangeEvent.FormatError("not a ChangeEvent: `\(path)` must be an object") }
        func list(_ key: String) throws(ChangeEvent.FormatError) -> [FieldChange] {
            guard let v = o[key], v != .null else { return [] }
            guard case .array(let items) = v else { throw ChangeEvent.FormatError("not a ChangeEvent: `\(path).\(key)` must be an array") }
            var out: [FieldChange] = []
            for (i, item) in items.enumerated() {
                guard case .object(let f) = item, case .string(let name)? = f["name"] else {
                    throw ChangeEvent.FormatError("not a ChangeEvent: `\(path).\(key)[\(i)]` must be an object with a string `name`")
                }
                out.append(FieldChange(name: name, oldValue: f["oldValue"], newValue: f["newValue"]))
            }
            return out
        }
        fieldsAdded = try list("fieldsAdded")
        fieldsUpdated = try list("fieldsUpdated")
        fieldsDeleted = try list("fieldsDeleted")
    }
}

/// `{name, oldValue, newValue}`: for `description` the values are the text; for `owners` and
/// `tags` they are JSON text of the field's type, to be parsed again.
public struct FieldChange: Sendable, Equatable {
    public var name: String
    public var oldValue: JSONDocument?
    public var newValue: JSONDocument?

    public init(name: String, oldValue: JSONDocument? = nil, newValue: JSONDocument? = nil) {
        self.name = name
        self.oldValue = oldValue
        self.newValue = newValue
    }
}
