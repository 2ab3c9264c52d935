import TemplateCompiler

/// Compares the catalog's entities, as `CatalogWalk` hands them over, with what the database holds
/// now, and generates an operation only where they differ:
///
/// - descriptions at every level the connector (or a channel's own template) syncs, and the owner
///   (the first owner, when it is a user: a team cannot own a database object);
/// - where the current state cannot be read (no reader for the connector, or a field the reader
///   cannot see), the catalog's value is written whatever the database holds; tags are never
///   readable, so a connector that syncs tags gets every tag of the catalog;
/// - an empty description in the catalog never removes a comment from the database (that would lose
///   text no one asked to remove): such objects are counted as `kept`;
/// - objects the database does not have, or this connection does not reach, get no operation: they
///   are counted, and the first few named, in the summary;
/// - operations that no channel takes are not generated (a second run would fail them again).
///
/// Comparison is byte for byte (a decomposed `é` is not the precomposed one): what matters is
/// whether writing would change what the database stores.
public final class CatalogDiff {
    public let connector: Connector
    public let channels: [Channel]
    public let state: CurrentState?
    public let service: String
    public private(set) var operations: [PipelineOperation] = []
    public private(set) var summary = Summary()
    private let readings: StoredValueReading.Cache

    /// What the diff saw, for the line a run prints on standard error.
    public struct Summary: Sendable, Equatable {
        /// Entities (databases, schemas, tables, columns) read from the catalog.
        public var entities = 0
        /// Fields compared and found equal.
        public var unchanged = 0
        /// Fields written without comparing: the state or the template's stored form is unreadable.
        public var unknown = 0
        /// Comments the database has and the catalog has not: left in place.
        public var kept = 0
        /// Owners that are teams (not synced).
        public var teamOwners = 0
        /// Entities skipped because the database does not have them or the connection does not
        /// reach them; `missingExamples` names the first few.
        public var missing = 0
        public var missingExamples: [String] = []
        /// Entities whose names cannot be written as an entity link that reads back the same.
        public var unnameable = 0
    }

    public init(connector: Connector, channels: [Channel]?, state: CurrentState?, service: String) {
        self.connector = connector
        self.channels = channels ?? [Channel.everything]
        self.state = state
        self.service = service
        self.readings = StoredValueReading.Cache(dialect: connector.dialect)
    }

    public func database(_ database: CatalogEntity) {
        let names = EntityNames(service: service, database: database.name, level: .database)
        entity(names, database)
    }

    public func schema(_ database: CatalogEntity, _ schema: CatalogEntity) {
        let names = EntityNames(service: service, database: database.name, schema: schema.name, level: .schema)
        entity(names, schema)
    }

    public func table(_ database: CatalogEntity, _ schema: CatalogEntity, _ table: CatalogEntity) {
        let names = EntityNames(service: service, database: database.name, schema: schema.name, table: table.name, level: .table)
        // A table the database lacks: its columns are not looked at one by one.
        if entity(names, table) == false { return }
        for column in table.columns {
            var columnNames = names
            columnNames.column = column.name
            columnNames.level = .column
            summary.entities += 1
            consider(columnNames, .description, desired: column.description, stored: { $0.description }) { link, previous in
                GeneratedOperations.description(link, previous: previous, new: column.description ?? "")
            }
            considerTags(columnNames, column.tags)
        }
    }

    /// The entity's own fields; false when the database does not have it.
    @discardableResult
    private func entity(_ names: EntityNames, _ e: CatalogEntity) -> Bool {
        summary.entities += 1
        if let state, case .missing(let why) = state.lookup(level: names.level, names.variables(connector.namespace)) {
            noteMissing(names, why)
            return false
        }
        consider(names, .description, desired: e.description, stored: { $0.description }) { link, previous in
            GeneratedOperations.description(link, previous: previous, new: e.description ?? "")
        }
        if let owner = e.userOwner {
            consider(names, .owner, desired: owner.syncName, ownerNames: [owner.syncName ?? ""], stored: { $0.owner }) { link, _ in
                GeneratedOperations.owner(link, owner)
            }
        } else if !e.owners.isEmpty, wants(.owner, names.level) {
            summary.teamOwners += 1
        }
        considerTags(names, e.tags)
        return true
    }

    /// A description or the owner of one entity. `desired` nil or empty: the catalog has nothing
    /// to write. `stored` reads the field from the object's state; `make` builds the operation from
    /// the link and the stored value.
    private func consider(_ names: EntityNames, _ update: UpdateKind, desired: String?, ownerNames: [String] = [],
                          stored: (ObjectState) -> String?, make: (String, String?) -> PipelineOperation) {
        guard wants(update, names.level) else { return }
        let routed = route(names, update, ownerNames: ownerNames, tagFQNs: [])
        guard !routed.isEmpty else { return }
        let wanted = desired ?? ""
        var previous: String? = nil
        if let state {
            switch state.lookup(level: names.level, names.variables(connector.namespace)) {
            case .missing(let why):
                noteMissing(names, why)
                return
            case .found(let object) where state.canRead(update, at: names.level):
                previous = stored(object)
                let variable: Variable = update == .owner ? .owner : .description
                let ways = routed.map { readings.reading(of: $0.sqlTemplate, variable, update, names.level) }
                if ways.allSatisfy(\.isReadable) {
                    // Unchanged only when every channel's template would store what is stored now.
                    let base = names.variables(connector.namespace)
                    let held = ways.map { $0.value(of: variable, in: previous, names: base) }
                    if held.allSatisfy({ $0.map { $0.utf8.elementsEqual(wanted.utf8) } ?? false }) { summary.unchanged += 1; return }
                    if wanted.isEmpty {
                        summary.kept += 1
                        return
                    }
                } else if !wanted.isEmpty {
                    summary.unknown += 1
                }
            case .found:
                if !wanted.isEmpty { summary.unknown += 1 }
            }
        }
        guard !wanted.isEmpty else { return }
        append(names, make, previous: previous)
    }

    /// The tags of one entity: no reader can read tags, so a connector (or channel) that syncs
    /// them gets all of the entity's tags added, every run.
    private func considerTags(_ names: EntityNames, _ tags: [CatalogTag]) {
        guard !tags.isEmpty, wants(.tags, names.level),
              !route(names, .tags, ownerNames: [], tagFQNs: tags.map(\.tagFQN)).isEmpty else { return }
        if state != nil { summary.unknown += 1 }
        append(names) { link, _ in GeneratedOperations.tags(link, tags) }
    }

    /// The channels that take this update of this entity.
    private func route(_ names: EntityNames, _ update: UpdateKind, ownerNames: [String], tagFQNs: [String]) -> [Channel] {
        channels.filter {
            $0.updates(update) && $0.filter.matches(names, ownerNames: ownerNames, tagFQNs: tagFQNs, isOwnerUpdate: update == .owner, isTagUpdate: update == .tags)
        }
    }

    private func append(_ names: EntityNames, _ make: (String, String?) -> PipelineOperation, previous: String? = nil) {
        guard let link = GeneratedOperations.link(names) else {
            summary.unnameable += 1
            return
        }
        operations.append(make(link, previous))
    }

    /// Whether operations of this update are generated at this level: the connector syncs it, or a
    /// channel with its own template names the level.
    private func wants(_ update: UpdateKind, _ level: Level) -> Bool { CatalogDiff.syncs(update, at: level, connector, channels) }

    /// Whether a sync carries this update at this level (both directions ask it).
    static func syncs(_ update: UpdateKind, at level: Level, _ connector: Connector, _ channels: [Channel]) -> Bool {
        connector.supports(update, at: level)
            || channels.contains { $0.sqlTemplate != nil && $0.updates(update) && $0.filter.level?.contains(level) == true }
    }

    private func noteMissing(_ names: EntityNames, _ why: String) {
        summary.missing += 1
        if summary.missingExamples.count < 5 { summary.missingExamples.append("\(names.displayName): \(why)") }
    }
}
