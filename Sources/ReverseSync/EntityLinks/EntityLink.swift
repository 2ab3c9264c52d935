import TemplateCompiler

/// An OpenMetadata entity link: `<#E::table::svc.db.schema.tbl>` or
/// `<#E::table::svc.db.schema.tbl::columns::col>` (and `<#E::database::svc.db>`,
/// `<#E::databaseSchema::svc.db.schema>`). Parts are separated by `::`; the entity's FQN and a
/// column name may contain quoted parts.
public struct EntityLink: Sendable, Equatable {
    public var entityType: String
    /// The entity's FQN, split into unquoted parts (service first).
    public var fqn: [String]
    /// `columns` for a column link.
    public var field: String?
    /// The column name (unquoted), for a column link.
    public var column: String?

    public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
        public let message: String
        public var description: String { message }
    }

    /// The level the link targets.
    public var level: Level? {
        switch entityType {
        case "database": return .database
        case "databaseSchema": return .schema
        case "table": return column == nil ? .table : .column
        default: return nil
        }
    }

    public static func parse(_ link: String) throws(ParseError) -> EntityLink {
        guard link.hasPrefix("<#E::"), link.hasSuffix(">") else {
            throw ParseError(message: "`\(link)` is not an entity link: expected `<#E::type::fully.qualified.name>`")
        }
        let body = String(link.dropFirst(5).dropLast())
        let segments = splitSegments(body)
        guard segments.count >= 2, !segments.contains(where: \.isEmpty) else {
            throw ParseError(message: "`\(link)`: expected `<#E::type::fully.qualified.name[::columns::column]>`")
        }
        let type = segments[0]
        guard type.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" }) else {
            throw ParseError(message: "`\(link)`: entity type `\(type)` is not a word")
        }
        let fqn: [String]
        do { fqn = try FullyQualifiedName.split(segments[1]) } catch { throw ParseError(message: "`\(link)`: \(error.message)") }
        var result = EntityLink(entityType: type, fqn: fqn, field: nil, column: nil)
        if segments.count >= 3 {
            result.field = segments[2]
            guard segments[2] == "columns" else {
                throw ParseError(message: "`\(link)`: field `\(segments[2])` cannot be synced; only `columns` links are supported")
            }
            guard segments.count >= 4 else { throw ParseError(message: "`\(link)`: `::columns` needs a column name") }
            guard segments.count == 4 || (segments.count == 5 && ["description", "tags"].contains(segments[4])) else {
                throw ParseError(message: "`\(link)`: unexpected `::\(segments[4...].joined(separator: "::"))` after the column name")
            }
            let colParts: [String]
            do { colParts = try FullyQualifiedName.split(segments[3]) } catch { throw ParseError(message: "`\(link)`: column: \(error.message)") }
            // A column name with a dot comes quoted; unquoted dots would be ambiguous, keep them whole.
            result.column = colParts.count == 1 ? colParts[0] : segments[3]
        }
        return result
    }

    /// Splits on `::` outside double quotes.
    static func splitSegments(_ body: String) -> [String] {
        var out: [String] = []
        var cur = ""
        let s = Array(body)
        var i = 0
        var quoted = false
        while i < s.count {
            let c = s[i]
            if c == "\\", quoted, i + 1 < s.count { cur.append(c); cur.append(s[i + 1]); i += 2; continue }
            if c == "\"" { quoted.toggle() }
            if !quoted, c == ":", i + 1 < s.count, s[i + 1] == ":" {
                out.append(cur)
                cur = ""
                i += 2
                continue
            }
            cur.append(c)
            i += 1
        }
        out.append(cur)
        return out
    }
}

/// The names of an entity: service, database, schema, table, column as the catalog has them.
public struct EntityNames: Sendable, Equatable {
    public var service: String
    public var database: String
    public var schema: String?
    public var table: String?
    public var column: String?
    public var level: Level

    public init(service: String, database: String, schema: String? = nil, table: String? = nil, column: String? = nil, level: Level) {
        self.service = service
        self.database = database
        self.schema = schema
        self.table = table
        self.column = column
        self.level = level
    }

    /// Reads the names of a link, checking that its FQN has the parts its entity type needs.
    public init(_ link: EntityLink) throws(EntityLink.ParseError) {
        guard let level = link.level else {
            throw EntityLink.ParseError(message: "entity type `\(link.entityType)` cannot be synced: use database, databaseSchema or table (with ::columns::name for a column)")
        }
        let expected = ["database": 2, "databaseSchema": 3, "table": 4][link.entityType]!
        guard link.fqn.count == expected else {
            let shape = ["database": "service.database", "databaseSchema": "service.database.schema", "table": "service.database.schema.table"][link.entityType]!
            throw EntityLink.ParseError(message: "a \(link.entityType) name has \(expected) parts (\(shape)); `\(FullyQualifiedName.join(link.fqn))` has \(link.fqn.count) (quote a part that contains a dot)")
        }
        self.init(service: link.fqn[0], database: link.fqn[1],
                  schema: link.fqn.count > 2 ? link.fqn[2] : nil,
                  table: link.fqn.count > 3 ? link.fqn[3] : nil,
                  column: link.column, level: level)
    }

    /// The template variables for a connector's namespace.
    public func variables(_ mapping: NamespaceMapping) -> [Variable: String] {
        var v: [Variable: String] = [:]
        switch mapping {
        case .databaseSchema, .projectDataset, .catalogSchema:
            v[.database] = database
            if let s = schema { v[.schema] = s }
        case .schemaIsDatabase:
            // The catalog's database part is `default`: the real database is the schema part.
            if let s = schema { v[.database] = s; v[.schema] = s } else { v[.database] = database }
        }
        if let t = table { v[.table] = t }
        if let c = column { v[.column] = c }
        return v
    }

    public var displayName: String {
        FullyQualifiedName.join([service, database] + [schema, table, column].compactMap { $0 })
    }
}
