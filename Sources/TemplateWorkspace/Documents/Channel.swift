import Foundation
import TemplateCompiler

/// A channel routes operations to a configuration: which entities (by name, level, owner, tags),
/// which updates it pushes, and optionally its own SQL template.
///
///     {"channels": [{"name": "pii", "filter": {"schema": "sales*", "level": ["table", "column"]},
///                    "updateDescriptions": true, "updateOwners": false, "updateTags": true,
///                    "sqlTemplate": "…", "includeGlossary": false}]}
public struct Channel: Encodable, Sendable {
    public var name: String
    public var filter: ChannelFilter
    public var updateDescriptions: Bool
    public var updateOwners: Bool
    public var updateTags: Bool
    public var sqlTemplate: String?
    /// The template with the file positions of its bytes, so its diagnostics point into the file.
    public var sqlTemplateSource: TemplateSource?
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

    init(_ node: Node) throws(PipelineInputError) {
        let f = try node.object(allowed: CodingKeys.allCases.map(\.rawValue))
        name = try f.string("name")
        filter = try f.optional("filter").map(ChannelFilter.init) ?? ChannelFilter()
        // Every update is pushed unless the channel says otherwise.
        updateDescriptions = try f.optionalBool("updateDescriptions") ?? true
        updateOwners = try f.optionalBool("updateOwners") ?? true
        updateTags = try f.optionalBool("updateTags") ?? true
        if let templateNode = f.optional("sqlTemplate") {
            let (text, positioned) = try templateNode.positionedString()
            sqlTemplate = text
            sqlTemplateSource = EmbeddedTemplates.source(positioned, in: node.reading, label: templateNode.path)
        }
        includeGlossary = try f.optionalBool("includeGlossary") ?? false
        if let bad = node.reading.invalidText.first { throw bad }
    }

    public func updates(_ kind: UpdateKind) -> Bool {
        switch kind {
        case .description: return updateDescriptions
        case .owner: return updateOwners
        case .tags: return updateTags
        }
    }

    /// The updates that can reach the channel's template: those its flags enable, narrowed by a
    /// filter that only owner (`owner`) or tag (`tags`) operations can match. `check` checks the
    /// template against exactly these, as `sync` would use it.
    public var updatesServed: Set<UpdateKind> {
        var kinds = Set(UpdateKind.allCases.filter(updates))
        if filter.owner != nil { kinds.formIntersection([.owner]) }
        if filter.tags != nil { kinds.formIntersection([.tags]) }
        return kinds
    }

    /// The levels the filter lets through (all of them when it names none).
    public var levelsServed: Set<Level> {
        Set(filter.level ?? Level.allCases)
    }

    /// The implicit channel when no channel file is given: everything, every update.
    public static let everything = Channel(name: "default")
}

/// Which operations a channel takes. Every field given must match; an absent field matches all.
/// Name fields are globs against the entity's names as the catalog has them.
public struct ChannelFilter: Encodable, Sendable {
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

    init(_ node: Node) throws(PipelineInputError) {
        let f = try node.object(allowed: CodingKeys.allCases.map(\.rawValue))
        service = try f.optionalString("service")
        database = try f.optionalString("database")
        schema = try f.optionalString("schema")
        table = try f.optionalString("table")
        column = try f.optionalString("column")
        if let levelNode = f.optional("level") {
            var levels: [Level] = []
            for s in try levelNode.strings() {
                guard let l = Level(rawValue: s.lowercased()) else {
                    throw levelNode.error("unknown level \"\(s)\": use database, schema, table or column")
                }
                levels.append(l)
            }
            guard !levels.isEmpty else { throw levelNode.error("an empty list matches no operation: name a level, or remove `level` to match them all") }
            level = levels
        }
        owner = try f.optionalString("owner")
        tags = try f.optional("tags").map { (n) throws(PipelineInputError) in try n.strings() }
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
public struct ChannelFile: Encodable, Sendable {
    public var channels: [Channel]
    enum CodingKeys: String, CodingKey, CaseIterable { case channels }

    public init(channels: [Channel]) { self.channels = channels }

    init(_ node: Node) throws(PipelineInputError) {
        let f = try node.object(allowed: CodingKeys.allCases.map(\.rawValue))
        channels = []
        var seen = Set<String>()
        for item in try f.required("channels").array() {
            let ch = try Channel(item)
            guard seen.insert(ch.name).inserted else {
                throw PipelineInputError(path: item.path + ".name", message: "channel name \"\(ch.name)\" is used twice", offset: item.offset)
            }
            channels.append(ch)
        }
    }

    public static func read(_ data: Data, path: String = "-") throws(PipelineInputError) -> ChannelFile {
        try read(Array(data), path: path)
    }

    public static func read(_ bytes: [UInt8], path: String) throws(PipelineInputError) -> ChannelFile {
        try ChannelFile(DocumentReading.root(path: path, bytes: bytes))
    }
}
