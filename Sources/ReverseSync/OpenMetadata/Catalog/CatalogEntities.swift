import Foundation

/// The parts of OpenMetadata's `Database`, `DatabaseSchema` and `Table` entities that a batch sync
/// reads: names, description, owners, tags and columns.
///
/// Decoding is lenient, unlike the pipeline models: the catalog's entities have dozens of fields
/// (and gain some with every server release) that a sync does not need, so unknown keys are
/// ignored. Servers before 1.5 send one `owner` instead of the `owners` list; both are read.
public struct CatalogEntity: Decodable, Sendable {
    public var id: String
    public var name: String
    public var fullyQualifiedName: String?
    public var description: String?
    public var owners: [CatalogReference]
    public var tags: [CatalogTag]
    /// Tables only.
    public var columns: [CatalogColumn]
    /// Databases: the service they belong to (its id answers the response's `serviceId`).
    public var service: CatalogReference?
    public var deleted: Bool
    /// Whether the answer had an `owners` member (a JSON Patch must `replace` it then, `add` it else).
    public var ownersPresent: Bool

    enum CodingKeys: String, CodingKey { case id, name, fullyQualifiedName, description, owners, owner, tags, columns, service, deleted }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = ReservedNames.decode(try c.decode(String.self, forKey: .name))
        fullyQualifiedName = try c.decodeIfPresent(String.self, forKey: .fullyQualifiedName)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        ownersPresent = c.contains(.owners)
        if let list = try c.decodeIfPresent([CatalogReference].self, forKey: .owners) {
            owners = list
        } else {
            owners = try c.decodeIfPresent(CatalogReference.self, forKey: .owner).map { [$0] } ?? []
        }
        tags = try c.decodeIfPresent([CatalogTag].self, forKey: .tags) ?? []
        columns = try c.decodeIfPresent([CatalogColumn].self, forKey: .columns) ?? []
        service = try c.decodeIfPresent(CatalogReference.self, forKey: .service)
        deleted = try c.decodeIfPresent(Bool.self, forKey: .deleted) ?? false
    }

    /// The owner a database object can take: the first owner, when it is a user. A team cannot own
    /// a database object, and only one owner is synced (the catalog's documented behaviour).
    public var userOwner: CatalogReference? {
        guard let first = owners.first, first.type.lowercased() == "user", first.syncName != nil else { return nil }
        return first
    }
}

/// An `EntityReference`: an owner or the service.
public struct CatalogReference: Decodable, Sendable, Equatable {
    public var id: String
    public var type: String
    public var name: String?
    public var fullyQualifiedName: String?

    public init(id: String, type: String, name: String?, fullyQualifiedName: String?) {
        self.id = id
        self.type = type
        self.name = name
        self.fullyQualifiedName = fullyQualifiedName
    }

    /// The name a sync gives the database (the Planner's choice too: name, else the FQN).
    public var syncName: String? {
        let n = name ?? fullyQualifiedName
        return n?.isEmpty == false ? n : nil
    }
}

/// A `TagLabel`, as much as a sync needs.
public struct CatalogTag: Decodable, Sendable, Equatable {
    public var tagFQN: String
    public var source: String
    public var labelType: String?
    public var state: String?
}

/// A table's column. Nested columns (`children`, struct fields) are read but not synced: no
/// connector with readable state has them.
public struct CatalogColumn: Decodable, Sendable {
    public var name: String
    public var description: String?
    public var tags: [CatalogTag]

    enum CodingKeys: String, CodingKey { case name, description, tags }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = ReservedNames.decode(try c.decode(String.self, forKey: .name))
        description = try c.decodeIfPresent(String.self, forKey: .description)
        tags = try c.decodeIfPresent([CatalogTag].self, forKey: .tags) ?? []
    }
}

/// A list answer: `{"data": […], "paging": {"total": n, "after": "…", "before": "…"}}`.
struct CatalogPage: Decodable {
    var data: [CatalogEntity]
    var paging: Paging?

    struct Paging: Decodable {
        var after: String?
        var total: Int?
    }
}

/// The catalog's ingestion stores table and column names with the characters its entity links and
/// FQNs cannot carry replaced by reserved words (`::` → `__reserved__colon__`, `>`, `"`, newline,
/// carriage return, tab), and its Python client puts them back when it reads a table
/// (`custom_basemodel_validation.py`, `revert_separators`). The database knows the real names.
enum ReservedNames {
    static let words: [(String, String)] = [
        ("__reserved__colon__", "::"), ("__reserved__arrow__", ">"), ("__reserved__quote__", "\""),
        ("__reserved__newline__", "\n"), ("__reserved__carriage_return__", "\r"), ("__reserved__tab__", "\t"),
    ]

    static func decode(_ name: String) -> String {
        guard name.utf8.count >= 12, name.contains("__reserved__") else { return name }
        var out = name
        for (word, text) in words { out = out.replacingOccurrences(of: word, with: text) }
        return out
    }
}
