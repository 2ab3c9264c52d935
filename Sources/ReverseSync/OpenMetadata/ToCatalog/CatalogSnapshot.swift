import TemplateCompiler
import TemplateWorkspace

/// The catalog's side of `sync --to-openmetadata`: every database, schema, table and column of
/// one service, as `CatalogWalk` reads them, with what a JSON Patch needs (the entity's id and
/// kind, a column's index in its table's `columns`, whether a member exists), keyed by
/// `SyncLedger.key`. Held in memory for the run: the changes, from whatever source, are looked up
/// in it by name.
public struct CatalogSnapshot {
    /// The entity kinds a patch goes to, as the REST API names their collections.
    public enum Kind: String, Sendable {
        case database = "databases"
        case databaseSchema = "databaseSchemas"
        case table = "tables"
    }

    public struct Entry: Sendable {
        public var names: EntityNames
        public var kind: Kind
        /// The entity's id; a column's is its table's (its patch is the table's).
        public var id: String
        /// The table's key, for a column.
        public var table: String?
        /// A column's index in its table's `columns` (the JSON Patch path `/columns/{index}`).
        public var columnIndex: Int?
        /// The description as the catalog answered it; nil when the member is absent (or null).
        public var description: String?
        /// The user owner (`CatalogEntity.userOwner`); columns have none.
        public var owner: CatalogReference?
        /// The entity has owners, and the first is not a user (a team): no database owner maps to it.
        public var ownedByTeam: Bool
        public var ownersPresent: Bool

        /// The catalog's value of a field ("" for none).
        public func value(_ field: DatabaseChange.Field) -> String {
            switch field {
            case .description: return description ?? ""
            case .owner: return owner?.syncName ?? ""
            }
        }

        public var href: String { "/api/v1/\(kind.rawValue)/\(id)" }
    }

    public let service: String
    public var serviceID: String
    public private(set) var entries: [String: Entry] = [:]
    /// Keys in the order the catalog listed them, parents before children.
    public private(set) var order: [String] = []

    public init(service: String, serviceID: String) {
        self.service = service
        self.serviceID = serviceID
    }

    public subscript(key: String) -> Entry? { entries[key] }

    /// Reads the service page by page.
    public static func read(client: CatalogClient, service: String, pageSize: Int) throws -> CatalogSnapshot {
        var snapshot = CatalogSnapshot(service: service, serviceID: try client.serviceID(service))
        try CatalogWalk(client: client, service: service, pageSize: pageSize).run(.init(
            database: { snapshot.add(EntityNames(service: service, database: $0.name, level: .database), .database, $0) },
            schema: { snapshot.add(EntityNames(service: service, database: $0.name, schema: $1.name, level: .schema), .databaseSchema, $1) },
            tables: { database, schema, page in
                for table in page {
                    snapshot.add(EntityNames(service: service, database: database.name, schema: schema.name, table: table.name, level: .table), .table, table)
                }
            }))
        return snapshot
    }

    /// Adds an entity (and a table's columns).
    public mutating func add(_ names: EntityNames, _ kind: Kind, _ e: CatalogEntity) {
        let key = SyncLedger.key(names)
        insert(key, Entry(names: names, kind: kind, id: e.id, table: nil, columnIndex: nil, description: e.description,
                          owner: e.userOwner, ownedByTeam: !e.owners.isEmpty && e.userOwner == nil, ownersPresent: e.ownersPresent))
        for (index, column) in e.columns.enumerated() {
            var columnNames = names
            columnNames.column = column.name
            columnNames.level = .column
            insert(SyncLedger.key(columnNames), Entry(names: columnNames, kind: kind, id: e.id, table: key, columnIndex: index,
                                                      description: column.description, owner: nil, ownedByTeam: false, ownersPresent: false))
        }
    }

    private mutating func insert(_ key: String, _ entry: Entry) {
        if entries.updateValue(entry, forKey: key) == nil { order.append(key) }
    }
}
