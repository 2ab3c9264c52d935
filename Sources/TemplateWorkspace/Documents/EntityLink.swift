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
        public init(message: String) { self.message = message }
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

    /// Parses a link exactly: every part must be where the grammar puts it, or the link is
    /// refused. A part the sync cannot apply is never dropped (a column part on a database link
    /// would otherwise update the database).
    public static func parse(_ link: String) throws(ParseError) -> EntityLink {
        func fail(_ why: String) -> ParseError { ParseError(message: "`\(link)`: \(why)") }
        guard link.hasPrefix("<#E::"), link.hasSuffix(">"), link.count > 6 else {
            throw ParseError(message: "`\(link)` is not an entity link: expected `<#E::type::fully.qualified.name>`")
        }
        let body = String(link.dropFirst(5).dropLast())
        let segments: [String]
        do { segments = try splitSegments(body) } catch { throw fail(error.message) }
        guard segments.count >= 2, !segments.contains(where: \.isEmpty) else {
            throw fail("expected `<#E::type::fully.qualified.name[::columns::column]>`")
        }
        let type = segments[0]
        guard type.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" }) else {
            throw fail("entity type `\(type)` is not a word")
        }
        let fqn: [String]
        do { fqn = try FullyQualifiedName.split(segments[1]) } catch { throw fail(error.message) }
        var result = EntityLink(entityType: type, fqn: fqn, field: nil, column: nil)
        guard segments.count > 2 else { return result }
        guard segments[2] == "columns" else {
            throw fail("field `\(segments[2])` cannot be synced; only `columns` links are supported")
        }
        guard type == "table" else {
            throw fail("a \(type) has no columns: `::columns::…` belongs to a table link (`<#E::table::service.database.schema.table::columns::column>`)")
        }
        guard segments.count >= 4 else { throw fail("`::columns` needs a column name") }
        guard segments.count == 4 || (segments.count == 5 && ["description", "tags"].contains(segments[4])) else {
            throw fail("unexpected `::\(segments[4...].joined(separator: "::"))` after the column name")
        }
        let colParts: [String]
        do { colParts = try FullyQualifiedName.split(segments[3]) } catch { throw fail("column: \(error.message)") }
        // A column whose name holds a dot comes quoted (`"a.b"`); unquoted dots name a nested
        // field, which has no column of its own to update.
        guard colParts.count == 1 else {
            throw fail("column `\(segments[3])` is a nested field; quote a column name that contains a dot (`\"\(segments[3])\"`)")
        }
        result.field = segments[2]
        result.column = colParts[0]
        return result
    }

    struct SegmentError: Error { let message: String }

    /// Splits on `::` outside quoted name parts, with the FQN grammar: a quote opens a quoted part
    /// only at the start of a part (after `.`, `::` or the start); inside one, `\"` and `""` are
    /// quotes and `"` closes it; outside, `\"` is a quote character and a bare `"` is refused by
    /// the name parser. OpenMetadata writes a table named `a"` as `a\"`, so
    /// `…a\"::columns::c` is table `a"`, column `c`.
    static func splitSegments(_ body: String) throws(SegmentError) -> [String] {
        var out: [String] = []
        var cur = ""
        let s = Array(body.unicodeScalars)
        var i = 0
        var quoted = false
        var partStart = true
        while i < s.count {
            let c = s[i]
            if c == "\\", i + 1 < s.count, s[i + 1] == "\"" {
                cur.unicodeScalars.append(c); cur.unicodeScalars.append(s[i + 1]); i += 2; partStart = false; continue
            }
            if quoted {
                if c == "\"", i + 1 < s.count, s[i + 1] == "\"" {
                    cur.unicodeScalars.append(c); cur.unicodeScalars.append(s[i + 1]); i += 2; continue
                }
                if c == "\"" { quoted = false }
                cur.unicodeScalars.append(c)
                i += 1
                continue
            }
            if c == "\"", partStart { quoted = true; partStart = false; cur.unicodeScalars.append(c); i += 1; continue }
            if c == ":", i + 1 < s.count, s[i + 1] == ":" {
                out.append(cur)
                cur = ""
                i += 2
                partStart = true
                continue
            }
            partStart = c == "."
            cur.unicodeScalars.append(c)
            i += 1
        }
        if quoted { throw SegmentError(message: "unterminated quoted name") }
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

    /// Why the names cannot be mapped onto the connector's namespace, or nil. MySQL's and
    /// ClickHouse's catalog entries put every database under a database named `default` and the
    /// real database in the schema part; a database-level entity (`<#E::database::svc.default>`)
    /// then names no database of the server, and `default` is never passed to a template.
    public func unmappable(in mapping: NamespaceMapping) -> String? {
        guard mapping == .schemaIsDatabase, schema == nil, database == "default" else { return nil }
        return "`\(displayName)` is the catalog's `default` database, which stands for the whole server: the real databases are its schemas (`<#E::databaseSchema::\(FullyQualifiedName.join([service, database]))."
            + "<name>>`); nothing was applied"
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
