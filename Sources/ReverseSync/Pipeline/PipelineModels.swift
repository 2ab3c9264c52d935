import Foundation

/// OpenMetadata's `reverseIngestionPipeline.json`: what the catalog asks a sync to apply.
/// Decoding follows the schema exactly: required keys, enums, and no additional properties.
public struct ReverseIngestionPipeline: Codable, Sendable {
    public var type: String
    public var service: EntityReference
    public var operations: [PipelineOperation]
    public var ingestionRunner: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case type, service, operations, ingestionRunner }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        guard type == "ReverseIngestion" else {
            throw PipelineInputError(path: "type", message: "must be \"ReverseIngestion\", not \"\(type)\"")
        }
        service = try c.decode(EntityReference.self, forKey: .service)
        operations = try c.decode([PipelineOperation].self, forKey: .operations)
        ingestionRunner = try c.decodeIfPresent(String.self, forKey: .ingestionRunner)
    }
}

/// `entityReference.json`: a user or team as owner, a service.
public struct EntityReference: Codable, Sendable, Equatable {
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

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        type = try c.decode(String.self, forKey: .type)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        fullyQualifiedName = try c.decodeIfPresent(String.self, forKey: .fullyQualifiedName)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        deleted = try c.decodeIfPresent(Bool.self, forKey: .deleted)
        href = try c.decodeIfPresent(String.self, forKey: .href)
    }
}

public enum OperationType: String, Codable, Sendable, CaseIterable {
    case updateDescription = "UPDATE_DESCRIPTION"
    case updateOwner = "UPDATE_OWNER"
    case updateTags = "UPDATE_TAGS"
}

/// One operation: an entity, what to change, and optionally the SQL template to do it with.
public struct PipelineOperation: Codable, Sendable {
    public var id: String
    public var entityLink: String
    public var type: OperationType
    public var sqlTemplate: String?
    public var parameters: OperationParameters

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, entityLink, type
        case sqlTemplate = "SQLTemplate"
        case parameters
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        entityLink = try c.decode(String.self, forKey: .entityLink)
        let rawType = try c.decode(String.self, forKey: .type)
        guard let t = OperationType(rawValue: rawType) else {
            throw PipelineInputError(path: jsonPath(decoder.codingPath + [CodingKeys.type]),
                                     message: "unknown operation type \"\(rawType)\": use UPDATE_DESCRIPTION, UPDATE_OWNER or UPDATE_TAGS")
        }
        type = t
        sqlTemplate = try c.decodeIfPresent(String.self, forKey: .sqlTemplate)
        // `parameters` is a oneOf of three closed objects: the operation's type says which one,
        // so a key of another config (e.g. addedTags on a description) is named as unknown.
        switch t {
        case .updateDescription: parameters = .description(try c.decode(DescriptionConfig.self, forKey: .parameters))
        case .updateOwner: parameters = .owner(try c.decode(OwnerConfig.self, forKey: .parameters))
        case .updateTags: parameters = .tags(try c.decode(TagsConfig.self, forKey: .parameters))
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

public struct DescriptionConfig: Codable, Sendable {
    public var previousDescription: String?
    public var newDescription: String?
    enum CodingKeys: String, CodingKey, CaseIterable { case previousDescription, newDescription }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        previousDescription = try c.decodeIfPresent(String.self, forKey: .previousDescription)
        newDescription = try c.decodeIfPresent(String.self, forKey: .newDescription)
    }
}

public struct OwnerConfig: Codable, Sendable {
    public var removedOwners: [EntityReference]?
    public var addedOwners: [EntityReference]?
    enum CodingKeys: String, CodingKey, CaseIterable { case removedOwners, addedOwners }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        removedOwners = try c.decodeIfPresent([EntityReference].self, forKey: .removedOwners)
        addedOwners = try c.decodeIfPresent([EntityReference].self, forKey: .addedOwners)
    }
}

public struct TagsConfig: Codable, Sendable {
    public var removedTags: [TagLabel]?
    public var addedTags: [TagLabel]?
    enum CodingKeys: String, CodingKey, CaseIterable { case removedTags, addedTags }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        removedTags = try c.decodeIfPresent([TagLabel].self, forKey: .removedTags)
        addedTags = try c.decodeIfPresent([TagLabel].self, forKey: .addedTags)
    }
}

/// `tagLabel.json`.
public struct TagLabel: Codable, Sendable {
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

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func path(_ k: CodingKeys) -> String { jsonPath(decoder.codingPath + [k]) }
        tagFQN = try c.decode(String.self, forKey: .tagFQN)
        guard tagFQN.count <= 128 else { throw PipelineInputError(path: path(.tagFQN), message: "longer than 128 characters") }
        name = try c.decodeIfPresent(String.self, forKey: .name)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        let rawSource = try c.decode(String.self, forKey: .source)
        guard let s = Source(rawValue: rawSource) else {
            throw PipelineInputError(path: path(.source), message: "\"\(rawSource)\" is not a tag source: use Classification or Glossary")
        }
        source = s
        labelType = try c.decode(String.self, forKey: .labelType)
        guard ["Manual", "Propagated", "Automated", "Derived"].contains(labelType) else {
            throw PipelineInputError(path: path(.labelType), message: "\"\(labelType)\" is not a label type: use Manual, Propagated, Automated or Derived")
        }
        state = try c.decode(String.self, forKey: .state)
        guard ["Suggested", "Confirmed"].contains(state) else {
            throw PipelineInputError(path: path(.state), message: "\"\(state)\" is not a tag state: use Suggested or Confirmed")
        }
        href = try c.decodeIfPresent(String.self, forKey: .href)
        style = try c.decodeIfPresent(FreeformJSON.self, forKey: .style)
        if let st = style, !st.isObject { throw PipelineInputError(path: path(.style), message: "must be an object") }
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        appliedAt = try c.decodeIfPresent(String.self, forKey: .appliedAt)
        appliedBy = try c.decodeIfPresent(String.self, forKey: .appliedBy)
        metadata = try c.decodeIfPresent(FreeformJSON.self, forKey: .metadata)
        if let m = metadata, !m.isObject { throw PipelineInputError(path: path(.metadata), message: "must be an object") }
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

/// Reads pipeline documents, turning every decoding problem into a message with its JSON path.
public enum PipelineReader {
    public static func read(_ data: Data) throws(PipelineInputError) -> ReverseIngestionPipeline {
        do {
            return try JSONDecoder().decode(ReverseIngestionPipeline.self, from: data)
        } catch let e as PipelineInputError {
            throw e
        } catch let e as DecodingError {
            throw describe(e)
        } catch {
            throw PipelineInputError(path: "", message: "\(error)")
        }
    }

    static func describe(_ e: DecodingError) -> PipelineInputError {
        switch e {
        case .keyNotFound(let key, let ctx):
            return PipelineInputError(path: jsonPath(ctx.codingPath), message: "missing required property `\(key.stringValue)`")
        case .typeMismatch(let type, let ctx):
            return PipelineInputError(path: jsonPath(ctx.codingPath), message: "expected \(typeName(type))")
        case .valueNotFound(let type, let ctx):
            return PipelineInputError(path: jsonPath(ctx.codingPath), message: "expected \(typeName(type)), found null")
        case .dataCorrupted(let ctx):
            let underlying = (ctx.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
            return PipelineInputError(path: jsonPath(ctx.codingPath), message: "not valid JSON" + (underlying.map { ": \($0)" } ?? ""))
        @unknown default:
            return PipelineInputError(path: "", message: "\(e)")
        }
    }

    static func typeName(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Double.Type, is Int.Type: return "a number"
        default:
            let n = "\(t)"
            return n.hasPrefix("Array") ? "an array" : (n.hasPrefix("Dictionary") ? "an object" : "an object (\(n))")
        }
    }
}
