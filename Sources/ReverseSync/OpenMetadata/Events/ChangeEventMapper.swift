// Pure Swift (see ChangeEvent.swift): fuzzed by Tests/Fuzz/EventMapperFuzz.swift.
#if canImport(TemplateCompiler)
import TemplateCompiler
#endif

/// One change to apply, named as `sync` names it: the entity link, and what to set.
public struct EventChange: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case description(previous: String?, new: String)
        /// EntityReference objects, keys limited to those of `entityReference.json`.
        case owners(added: [JSONDocument], removed: [JSONDocument])
        /// TagLabel objects, keys limited to those of `tagLabel.json`.
        case tags(added: [JSONDocument], removed: [JSONDocument])
    }
    public var entityLink: String
    public var kind: Kind
}

/// What one event becomes: changes to apply, notes on what was skipped (with the reason), and
/// problems (the event says something that cannot be applied as sent: recorded as failed).
public struct EventMapping: Sendable, Equatable {
    public var service: String?
    public var changes: [EventChange] = []
    public var skipped: [String] = []
    public var problems: [String] = []
}

/// ChangeEvent → the operations `sync` runs, as OpenMetadata's own reverse ingestion would have
/// asked for them: entity types `table`, `databaseSchema` and `database`; event types
/// `entityUpdated` and `entityFieldsChanged`; fields `description`, `owners` (and the older
/// `owner`), `tags`, `columns.<name>.description` and `columns.<name>.tags`.
public struct ChangeEventMapper: Sendable {
    /// `--service`: events of other services are skipped.
    public var service: String?

    public static let entityTypes = ["table", "databaseSchema", "database"]
    public static let eventTypes = ["entityUpdated", "entityFieldsChanged"]
    static let ownerKeys: Set<String> = ["id", "type", "name", "fullyQualifiedName", "description", "displayName", "deleted", "href"]
    static let tagKeys: Set<String> = ["tagFQN", "name", "displayName", "description", "source", "labelType", "state", "href", "style",
                                       "reason", "appliedAt", "appliedBy", "metadata"]

    public init(service: String?) { self.service = service }

    public func map(_ event: ChangeEvent) -> EventMapping {
        var result = EventMapping()
        guard ChangeEventMapper.eventTypes.contains(event.eventType) else {
            result.skipped.append("event type `\(event.eventType)` is not synced (only \(ChangeEventMapper.eventTypes.joined(separator: ", ")))")
            return result
        }
        guard let level = Self.fqnParts(event.entityType) else {
            result.skipped.append("entity type `\(event.entityType)` is not synced (only \(ChangeEventMapper.entityTypes.joined(separator: ", ")))")
            return result
        }
        guard let fqn = event.entityFullyQualifiedName, !fqn.isEmpty else {
            result.problems.append("the event has no `entityFullyQualifiedName`: the \(event.entityType) \(event.entityId) cannot be named")
            return result
        }
        let parts: [String]
        do { parts = try FullyQualifiedName.split(fqn) } catch {
            result.problems.append("entityFullyQualifiedName: \(error.message)")
            return result
        }
        guard parts.count == level else {
            result.problems.append("entityFullyQualifiedName `\(fqn)` has \(parts.count) part\(parts.count == 1 ? "" : "s"); a \(event.entityType) has \(level) (service.database\(level > 2 ? ".schema" : "")\(level > 3 ? ".table" : ""))")
            return result
        }
        result.service = parts[0]
        if let wanted = service, wanted != parts[0] {
            result.skipped.append("the \(event.entityType) `\(fqn)` belongs to service `\(parts[0])`; this receiver syncs service `\(wanted)`")
            return result
        }
        guard let change = event.change else {
            result.skipped.append("the event has no changeDescription")
            return result
        }
        let entityLink = "<#E::\(event.entityType)::\(fqn)>"

        /// Changes being gathered, in the order of their first field: an event may add one tag and
        /// remove another of one entity, which is one operation.
        var order: [String] = []
        var gathered: [String: (link: String, kind: EventChange.Kind)] = [:]
        func merge(_ key: String, _ link: String, _ kind: EventChange.Kind) {
            guard let existing = gathered[key] else {
                order.append(key)
                gathered[key] = (link, kind)
                return
            }
            switch (existing.kind, kind) {
            case (.owners(let a1, let r1), .owners(let a2, let r2)): gathered[key] = (link, .owners(added: a1 + a2, removed: r1 + r2))
            case (.tags(let a1, let r1), .tags(let a2, let r2)): gathered[key] = (link, .tags(added: a1 + a2, removed: r1 + r2))
            default: gathered[key] = (link, kind)
            }
        }

        let all = change.fieldsAdded.map { ($0, Action.added) } + change.fieldsUpdated.map { ($0, Action.updated) } + change.fieldsDeleted.map { ($0, Action.deleted) }
        for (field, action) in all {
            guard let target = Self.target(field.name, entityType: event.entityType) else {
                result.skipped.append("field `\(field.name)` is not reverse-synced")
                continue
            }
            let link: String
            switch target.column {
            case .none: link = entityLink
            case .some(.failure(let why)):
                result.skipped.append("field `\(field.name)`: \(why)")
                continue
            case .some(.success(let column)): link = "<#E::table::\(fqn)::columns::\(FullyQualifiedName.quote(column))>"
            }
            switch target.field {
            case .description:
                switch Self.description(field, action) {
                case .success(let kind): merge(link + " description", link, kind)
                case .failure(let why): result.problems.append("field `\(field.name)`: \(why)")
                }
            case .owners, .owner:
                switch Self.references(field, action, single: target.field == .owner, keys: ChangeEventMapper.ownerKeys, identity: "id", what: "an EntityReference") {
                case .success(let (added, removed)): merge(link + " owners", link, .owners(added: added, removed: removed))
                case .failure(let why): result.problems.append("field `\(field.name)`: \(why)")
                }
            case .tags:
                switch Self.references(field, action, single: false, keys: ChangeEventMapper.tagKeys, identity: "tagFQN", what: "a TagLabel") {
                case .success(let (added, removed)): merge(link + " tags", link, .tags(added: added, removed: removed))
                case .failure(let why): result.problems.append("field `\(field.name)`: \(why)")
                }
            }
        }
        result.changes = order.map { EventChange(entityLink: gathered[$0]!.link, kind: gathered[$0]!.kind) }
        if result.changes.isEmpty, result.problems.isEmpty, result.skipped.isEmpty {
            result.skipped.append("the change description lists no field")
        }
        return result
    }

    // MARK: fields

    enum Action { case added, updated, deleted }
    enum SyncedField { case description, owners, owner, tags }

    /// The number of FQN parts of a synced entity type.
    static func fqnParts(_ entityType: String) -> Int? {
        switch entityType {
        case "database": return 2
        case "databaseSchema": return 3
        case "table": return 4
        default: return nil
        }
    }

    /// The field a change name stands for, and for `columns.<name>.<field>` the column (or why it
    /// cannot be synced). Nil for fields that are not reverse-synced.
    static func target(_ name: String, entityType: String) -> (field: SyncedField, column: Result<String, Reason>?)? {
        switch name {
        case "description": return (.description, nil)
        case "owners": return (.owners, nil)
        case "owner": return (.owner, nil)
        case "tags": return (.tags, nil)
        default: break
        }
        guard entityType == "table", name.hasPrefix("columns.") else { return nil }
        let rest = name.dropFirst("columns.".count)
        let field: SyncedField
        let middle: Substring
        if rest.hasSuffix(".description") {
            field = .description
            middle = rest.dropLast(".description".count)
        } else if rest.hasSuffix(".tags") {
            field = .tags
            middle = rest.dropLast(".tags".count)
        } else {
            return nil
        }
        // `columns."a.b".description`: a name with a dot is quoted; an unquoted dot is a nested column.
        guard let parts = try? FullyQualifiedName.split(String(middle)), !parts.isEmpty else {
            return (field, .failure(Reason("the column name `\(middle)` is malformed")))
        }
        guard parts.count == 1 else {
            return (field, .failure(Reason("nested column `\(middle)` is not reverse-synced (only top-level columns are)")))
        }
        guard !parts[0].isEmpty else { return (field, .failure(Reason("the column name is empty"))) }
        // The link must read back as this one name (entity links refuse names they would read two ways).
        guard (try? FullyQualifiedName.split(FullyQualifiedName.quote(parts[0]))) == [parts[0]] else {
            return (field, .failure(Reason("the column name `\(parts[0])` cannot be written in an entity link")))
        }
        return (field, .success(parts[0]))
    }

    struct Reason: Error, Equatable, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    private static func description(_ field: FieldChange, _ action: Action) -> Result<EventChange.Kind, Reason> {
        func text(_ v: JSONDocument?, _ which: String) -> Result<String?, Reason> {
            switch v {
            case nil, .null?: return .success(nil)
            case .string(let s)?: return .success(s)
            case .invalidString?: return .failure(Reason("the \(which) description holds a lone UTF-16 surrogate, which no database can store"))
            default: return .failure(Reason("the \(which) description is not a string"))
            }
        }
        let previous: String?
        switch text(field.oldValue, "old") {
        case .success(let p): previous = p
        case .failure: previous = nil  // only informative
        }
        if action == .deleted { return .success(.description(previous: previous, new: "")) }
        switch text(field.newValue, "new") {
        case .success(let new): return .success(.description(previous: previous, new: new ?? ""))
        case .failure(let why): return .failure(why)
        }
    }

    /// Owners or tags: the values are JSON text (an array, or for the older `owner` one object),
    /// parsed again. Added: the new value's items (for an update, those not in the old value);
    /// removed: the old value's items (for an update, those not in the new value).
    private static func references(_ field: FieldChange, _ action: Action, single: Bool, keys: Set<String>, identity: String,
                                   what: String) -> Result<([JSONDocument], [JSONDocument]), Reason> {
        func items(_ v: JSONDocument?, _ which: String) -> Result<[JSONDocument], Reason> {
            var value: JSONDocument
            switch v {
            case nil, .null?: return .success([])
            case .string(let text)?:
                do { value = try JSONDocument.parse(text) } catch {
                    return .failure(Reason("the \(which) value is not JSON text (\(error.description))"))
                }
            case .some(let other): value = other  // already structured (some senders do not re-encode)
            }
            if value == .null { return .success([]) }
            let list: [JSONDocument]
            if case .array(let a) = value { list = a } else if single || value.objectValue != nil { list = [value] } else {
                return .failure(Reason("the \(which) value is not a list of \(what)"))
            }
            var out: [JSONDocument] = []
            for item in list {
                guard case .object(let o) = item, case .string? = o[identity] else {
                    return .failure(Reason("the \(which) value has an item that is not \(what) (it needs a string `\(identity)`)"))
                }
                out.append(.object(o.filter { keys.contains($0.key) }))
            }
            return .success(out)
        }
        func identities(_ list: [JSONDocument]) -> Set<String> { Set(list.compactMap { $0[identity]?.stringValue }) }
        switch action {
        case .added: return items(field.newValue, "new").map { ($0, []) }
        case .deleted: return items(field.oldValue, "old").map { ([], $0) }
        case .updated:
            let old: [JSONDocument], new: [JSONDocument]
            switch items(field.oldValue, "old") { case .success(let v): old = v; case .failure(let w): return .failure(w) }
            switch items(field.newValue, "new") { case .success(let v): new = v; case .failure(let w): return .failure(w) }
            let oldIDs = identities(old), newIDs = identities(new)
            return .success((new.filter { !oldIDs.contains($0[identity]?.stringValue ?? "") },
                             old.filter { !newIDs.contains($0[identity]?.stringValue ?? "") }))
        }
    }
}
