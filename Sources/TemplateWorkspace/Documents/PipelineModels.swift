import Foundation
import TemplateCompiler

/// OpenMetadata's `reverseIngestionPipeline.json`: what the catalog asks a sync to apply.
/// Reading follows the schema exactly: required keys, enums, and no additional properties.
public struct ReverseIngestionPipeline: Encodable, Sendable {
    public var type: String
    public var service: EntityReference
    public var operations: [PipelineOperation]
    public var ingestionRunner: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case type, service, operations, ingestionRunner }

    /// A pipeline built in code (a `--plan`, the batch sync's operations).
    public init(service: EntityReference, operations: [PipelineOperation], ingestionRunner: String? = nil) {
        self.type = "ReverseIngestion"
        self.service = service
        self.operations = operations
        self.ingestionRunner = ingestionRunner
    }

    init(_ node: Node) throws(PipelineInputError) {
        let f = try node.object(allowed: CodingKeys.allCases.map(\.rawValue))
        let typeNode = try f.required("type")
        type = try typeNode.string()
        guard type == "ReverseIngestion" else { throw typeNode.error("must be \"ReverseIngestion\", not \"\(type)\"") }
        service = try EntityReference(f.required("service"))
        ingestionRunner = try f.optionalString("ingestionRunner")
        guard node.reading.invalidText.isEmpty else { throw node.reading.invalidText[0] }
        operations = []
        for item in try f.required("operations").array() {
            var op = try PipelineOperation(item)
            // A string that is not text fails its own operation only, as a NUL byte does.
            if let bad = node.reading.invalidText.first {
                op.inputProblem = "\(bad.located(in: node.reading.path, index: node.reading.lineIndex)); nothing of this operation was applied"
                node.reading.invalidText.removeAll()
            }
            operations.append(op)
        }
    }
}

/// `entityReference.json`: a user or team as owner, a service.
public struct EntityReference: Encodable, Sendable, Equatable {
    public var id: String
    public var type: String
    public var name: String?
    public var fullyQualifiedName: String?
    public var description: String?
    public var displayName: String?
    public var deleted: Bool?
    public var href: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case id, type, name, fullyQualifiedName, description, displayName, deleted, href }

    public init(id: String, type: String, name: String? = nil) {
        self.id = id
        self.type = type
        self.name = name
    }

    init(_ node: Node) throws(PipelineInputError) {
        let f = try node.object(allowed: CodingKeys.allCases.map(\.rawValue))
        id = try f.string("id")
        type = try f.string("type")
        name = try f.optionalString("name")
        fullyQualifiedName = try f.optionalString("fullyQualifiedName")
        description = try f.optionalString("description")
        displayName = try f.optionalString("displayName")
        deleted = try f.optionalBool("deleted")
        href = try f.optionalString("href")
    }
}

public enum OperationType: String, Codable, Sendable, CaseIterable {
    case updateDescription = "UPDATE_DESCRIPTION"
    case updateOwner = "UPDATE_OWNER"
    case updateTags = "UPDATE_TAGS"

    /// The update kind the operation makes.
    public var update: UpdateKind {
        switch self {
        case .updateDescription: return .description
        case .updateOwner: return .owner
        case .updateTags: return .tags
        }
    }
}

/// One operation: an entity, what to change, and optionally the SQL template to do it with.
public struct PipelineOperation: Encodable, Sendable {
    public var id: String
    public var entityLink: String
    public var type: OperationType
    public var sqlTemplate: String?
    /// The template with the file positions of its bytes, so its diagnostics point into the file.
    public var sqlTemplateSource: TemplateSource?
    public var parameters: OperationParameters
    /// Why the operation cannot be applied although the document is valid (a value that is not
    /// text): the planner fails it with this message and runs the others.
    public var inputProblem: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, entityLink, type
        case sqlTemplate = "SQLTemplate"
        case parameters
    }

    public init(id: String, entityLink: String, type: OperationType, sqlTemplate: String? = nil, parameters: OperationParameters) {
        self.id = id
        self.entityLink = entityLink
        self.type = type
        self.sqlTemplate = sqlTemplate
        self.parameters = parameters
    }

    init(_ node: Node) throws(PipelineInputError) {
        let f = try node.object(allowed: CodingKeys.allCases.map(\.rawValue))
        id = try f.string("id")
        entityLink = try f.string("entityLink")
        let typeNode = try f.required("type")
        let rawType = try typeNode.string()
        guard let t = OperationType(rawValue: rawType) else {
            throw typeNode.error("unknown operation type \"\(rawType)\": use UPDATE_DESCRIPTION, UPDATE_OWNER or UPDATE_TAGS")
        }
        type = t
        if let templateNode = f.optional("SQLTemplate") {
            let (text, positioned) = try templateNode.positionedString()
            sqlTemplate = text
            sqlTemplateSource = EmbeddedTemplates.source(positioned, in: node.reading, label: templateNode.path)
        }
        // `parameters` is a oneOf of three closed objects: the operation's type says which one,
        // so a key of another config (e.g. addedTags on a description) is named as unknown.
        let p = try f.required("parameters")
        switch t {
        case .updateDescription: parameters = .description(try DescriptionConfig(p))
        case .updateOwner: parameters = .owner(try OwnerConfig(p))
        case .updateTags: parameters = .tags(try TagsConfig(p))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(entityLink, forKey: .entityLink)
        try c.encode(type, forKey: .type)
        try c.encodeIfPresent(sqlTemplate, forKey: .sqlTemplate)
        switch parameters {
        case .description(let d): try c.encode(d, forKey: .parameters)
        case .owner(let o): try c.encode(o, forKey: .parameters)
        case .tags(let t): try c.encode(t, forKey: .parameters)
        }
    }
}

public enum OperationParameters: Sendable {
    case description(DescriptionConfig)
    case owner(OwnerConfig)
    case tags(TagsConfig)
}

public struct DescriptionConfig: Encodable, Sendable {
    public var previousDescription: String?
    public var newDescription: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case previousDescription, newDescription }

    public init(previousDescription: String? = nil, newDescription: String?) {
        self.previousDescription = previousDescription
        self.newDescription = newDescription
    }

    init(_ node: Node) throws(PipelineInputError) {
        let f = try node.object(allowed: CodingKeys.allCases.map(\.rawValue))
        previousDescription = try f.optionalString("previousDescription")
        newDescription = try f.optionalString("newDescription")
    }
}

public struct OwnerConfig: Encodable, Sendable {
    public var removedOwners: [EntityReference]?
    public var addedOwners: [EntityReference]?
    enum CodingKeys: String, CodingKey, CaseIterable { case removedOwners, addedOwners }

    public init(removedOwners: [EntityReference]? = nil, addedOwners: [EntityReference]? = nil) {
        self.removedOwners = removedOwners
        self.addedOwners = addedOwners
    }

    init(_ node: Node) throws(PipelineInputError) {
        let f = try node.object(allowed: CodingKeys.allCases.map(\.rawValue))
        removedOwners = try f.optional("removedOwners").map { (n) throws(PipelineInputError) in try n.array().map(EntityReference.init) }
        addedOwners = try f.optional("addedOwners").map { (n) throws(PipelineInputError) in try n.array().map(EntityReference.init) }
    }
}

public struct TagsConfig: Encodable, Sendable {
    public var removedTags: [TagLabel]?
    public var addedTags: [TagLabel]?
    enum CodingKeys: String, CodingKey, CaseIterable { case removedTags, addedTags }

    public init(removedTags: [TagLabel]? = nil, addedTags: [TagLabel]? = nil) {
        self.removedTags = removedTags
        self.addedTags = addedTags
    }

    init(_ node: Node) throws(PipelineInputError) {
        let f = try node.object(allowed: CodingKeys.allCases.map(\.rawValue))
        removedTags = try f.optional("removedTags").map { (n) throws(PipelineInputError) in try n.array().map(TagLabel.init) }
        addedTags = try f.optional("addedTags").map { (n) throws(PipelineInputError) in try n.array().map(TagLabel.init) }
    }
}

/// `tagLabel.json`.
public struct TagLabel: Encodable, Sendable {
    public enum Source: String, Codable, Sendable { case classification = "Classification", glossary = "Glossary" }

    public var tagFQN: String
    public var name: String?
    public var displayName: String?
    public var description: String?
    public var source: Source
    public var labelType: String
    public var state: String
    public var href: String?
    public var style: FreeformJSON?
    public var reason: String?
    public var appliedAt: String?
    public var appliedBy: String?
    public var metadata: FreeformJSON?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tagFQN, name, displayName, description, source, labelType, state, href, style, reason, appliedAt, appliedBy, metadata
    }

    public init(tagFQN: String, source: Source, labelType: String, state: String) {
        self.tagFQN = tagFQN
        self.source = source
        self.labelType = labelType
        self.state = state
    }

    init(_ node: Node) throws(PipelineInputError) {
        let f = try node.object(allowed: CodingKeys.allCases.map(\.rawValue))
        let fqnNode = try f.required("tagFQN")
        tagFQN = try fqnNode.string()
        guard tagFQN.count <= 128 else { throw fqnNode.error("longer than 128 characters") }
        name = try f.optionalString("name")
        displayName = try f.optionalString("displayName")
        description = try f.optionalString("description")
        let sourceNode = try f.required("source")
        let rawSource = try sourceNode.string()
        guard let s = Source(rawValue: rawSource) else {
            throw sourceNode.error("\"\(rawSource)\" is not a tag source: use Classification or Glossary")
        }
        source = s
        let labelNode = try f.required("labelType")
        labelType = try labelNode.string()
        guard ["Manual", "Propagated", "Automated", "Derived"].contains(labelType) else {
            throw labelNode.error("\"\(labelType)\" is not a label type: use Manual, Propagated, Automated or Derived")
        }
        let stateNode = try f.required("state")
        state = try stateNode.string()
        guard ["Suggested", "Confirmed"].contains(state) else {
            throw stateNode.error("\"\(state)\" is not a tag state: use Suggested or Confirmed")
        }
        href = try f.optionalString("href")
        func object(_ key: String) throws(PipelineInputError) -> FreeformJSON? {
            guard let n = f.optional(key) else { return nil }
            let v = try FreeformJSON(n)
            guard v.isObject else { throw n.error("must be an object") }
            return v
        }
        style = try object("style")
        reason = try f.optionalString("reason")
        appliedAt = try f.optionalString("appliedAt")
        appliedBy = try f.optionalString("appliedBy")
        metadata = try object("metadata")
    }
}

/// `reverseIngestionResponse.json`: the answer for one pipeline.
public struct ReverseIngestionResponse: Codable, Sendable, Equatable {
    public var serviceId: String
    /// False only for a critical failure (the connection): per-operation failures go in `results`.
    public var success: Bool?
    public var message: String?
    public var results: [OperationResult]

    public init(serviceId: String, success: Bool? = nil, message: String? = nil, results: [OperationResult]) {
        self.serviceId = serviceId
        self.success = success
        self.message = message
        self.results = results
    }

    public var allSucceeded: Bool { success != false && results.allSatisfy(\.success) }
}

public struct OperationResult: Codable, Sendable, Equatable {
    public var id: String
    public var success: Bool
    public var message: String?

    public init(id: String, success: Bool, message: String? = nil) {
        self.id = id
        self.success = success
        self.message = message
    }
}

/// Reads pipeline documents, turning every problem into a message with its JSON path and offset.
public enum PipelineReader {
    public static func read(_ data: Data, path: String = "-") throws(PipelineInputError) -> ReverseIngestionPipeline {
        try read(Array(data), path: path)
    }

    public static func read(_ bytes: [UInt8], path: String) throws(PipelineInputError) -> ReverseIngestionPipeline {
        try ReverseIngestionPipeline(DocumentReading.root(path: path, bytes: bytes))
    }
}
