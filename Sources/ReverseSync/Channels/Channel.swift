import Foundation
import TemplateCompiler

/// A channel routes operations to a configuration: which entities (by name, level, owner, tags),
/// which updates it pushes, and optionally its own SQL template.
///
///     {"channels": [{"name": "pii", "filter": {"schema": "sales*", "level": ["table", "column"]},
///                    "updateDescriptions": true, "updateOwners": false, "updateTags": true,
///                    "sqlTemplate": "…", "includeGlossary": false}]}
public struct Channel: Codable, Sendable {
    public var name: String
    public var filter: ChannelFilter
    public var updateDescriptions: Bool
    public var updateOwners: Bool
    public var updateTags: Bool
    public var sqlTemplate: String?
    /// Push Glossary terms too (off by default: they are not classification tags).
    public var includeGlossary: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, filter, updateDescriptions, updateOwners, updateTags, sqlTemplate, includeGlossary
    }

    public init(name: String, filter: ChannelFilter = ChannelFilter(), updateDescriptions: Bool = true, updateOwners: Bool = true,
                updateTags: Bool = true, sqlTemplate: String? = nil, includeGlossary: Bool = false) {
        self.name = name
        self.filter = filter
        self.updateDescriptions = updateDescriptions
        self.updateOwners = updateOwners
        self.updateTags = updateTags
        self.sqlTemplate = sqlTemplate
        self.includeGlossary = includeGlossary
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        filter = try c.decodeIfPresent(ChannelFilter.self, forKey: .filter) ?? ChannelFilter()
        updateDescriptions = try c.decodeIfPresent(Bool.self, forKey: .updateDescriptions) ?? true
        updateOwners = try c.decodeIfPresent(Bool.self, forKey: .updateOwners) ?? true
        updateTags = try c.decodeIfPresent(Bool.self, forKey: .updateTags) ?? true
        sqlTemplate = try c.decodeIfPresent(String.self, forKey: .sqlTemplate)
        includeGlossary = try c.decodeIfPresent(Bool.self, forKey: .includeGlossary) ?? false
    }

    public func updates(_ kind: UpdateKind) -> Bool {
        switch kind {
        case .description: return updateDescriptions
        case .owner: return updateOwners
        case .tags: return updateTags
        }
    }

    /// The implicit channel when no channel file is given: everything, every update.
    public static let everything = Channel(name: "default")
}

/// Which operations a channel takes. Every field given must match; an absent field matches all.
/// Name fields are globs against the entity's names as the catalog has them.
public struct ChannelFilter: Codable, Sendable {
    public var service: String?
    public var database: String?
    public var schema: String?
    public var table: String?
    public var column: String?
    /// One level or a list.
    public var level: [Level]?
    /// Glob against the owner's name; only owner operations can match it.
    public var owner: String?
    /// Globs against tag FQNs; only tag operations with a matching tag can match them.
    public var tags: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case service, database, schema, table, column, level, owner, tags }

    public init() {}

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        service = try c.decodeIfPresent(String.self, forKey: .service)
        database = try c.decodeIfPresent(String.self, forKey: .database)
        schema = try c.decodeIfPresent(String.self, forKey: .schema)
        table = try c.decodeIfPresent(String.self, forKey: .table)
        column = try c.decodeIfPresent(String.self, forKey: .column)
        func level(_ s: String) throws -> Level {
            guard let l = Level(rawValue: s.lowercased()) else {
                throw PipelineInputError(path: jsonPath(decoder.codingPath + [CodingKeys.level]),
                                         message: "unknown level \"\(s)\": use database, schema, table or column")
            }
            return l
        }
        if let one = try? c.decodeIfPresent(String.self, forKey: .level) {
            self.level = [try level(one)]
        } else if let many = try c.decodeIfPresent([String].self, forKey: .level) {
            self.level = try many.map(level)
        }
        owner = try c.decodeIfPresent(String.self, forKey: .owner)
        if let one = try? c.decodeIfPresent(String.self, forKey: .tags) {
            tags = [one]
        } else {
            tags = try c.decodeIfPresent([String].self, forKey: .tags)
        }
    }

    /// Whether an operation on `names` (with its owners and tags) passes the filter.
    public func matches(_ names: EntityNames, ownerNames: [String], tagFQNs: [String], isOwnerUpdate: Bool, isTagUpdate: Bool) -> Bool {
        func glob(_ pattern: String?, _ value: String?) -> Bool {
            guard let p = pattern else { return true }
            guard let v = value else { return false }
            return NameGlob(p).matches(v)
        }
        guard glob(service, names.service), glob(database, names.database), glob(schema, names.schema),
              glob(table, names.table), glob(column, names.column) else { return false }
        if let levels = level, !levels.contains(names.level) { return false }
        if let o = owner {
            guard isOwnerUpdate, ownerNames.contains(where: { NameGlob(o).matches($0) }) else { return false }
        }
        if let ts = tags {
            guard isTagUpdate, tagFQNs.contains(where: { fqn in ts.contains { NameGlob($0).matches(fqn) } }) else { return false }
        }
        return true
    }
}

/// A channels file: `{"channels": [...]}`.
public struct ChannelFile: Codable, Sendable {
    public var channels: [Channel]
    enum CodingKeys: String, CodingKey, CaseIterable { case channels }

    public init(channels: [Channel]) { self.channels = channels }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        channels = try c.decode([Channel].self, forKey: .channels)
    }

    public static func read(_ data: Data) throws(PipelineInputError) -> ChannelFile {
        let file: ChannelFile
        do {
            file = try JSONDecoder().decode(ChannelFile.self, from: data)
        } catch let e as PipelineInputError {
            throw e
        } catch let e as DecodingError {
            throw PipelineReader.describe(e)
        } catch {
            throw PipelineInputError(path: "", message: "\(error)")
        }
        var seen = Set<String>()
        for (i, ch) in file.channels.enumerated() {
            guard seen.insert(ch.name).inserted else {
                throw PipelineInputError(path: "channels[\(i)].name", message: "channel name \"\(ch.name)\" is used twice")
            }
        }
        return file
    }
}
