/// A connector of the catalog: which dialect it speaks, what the catalog documents it can sync
/// (the support matrix), how a fully qualified name maps onto template variables, and the
/// built-in default template for every supported (update, level, action).
public struct Connector: Sendable {
    public let id: ConnectorID
    public let displayName: String
    public let dialect: DialectID
    /// The catalog's documented support matrix (docs/connectors.md).
    public let support: [UpdateKind: [Level]]
    /// How the parts of an entity's fully qualified name become `{database}` and `{schema}`.
    public let namespace: NamespaceMapping
    /// One template per supported (update, level, action), except where `missingDefaults` explains why not.
    public let defaults: [DefaultTemplate]
    /// Supported combinations that have no default template, with the reason (shown by `defaults`,
    /// and the message of an operation that needs one).
    public let missingDefaults: [MissingDefault]
    /// What the dialect can do beyond (or short of) the catalog's matrix.
    public let notes: [String]

    public func supports(_ update: UpdateKind, at level: Level) -> Bool {
        support[update]?.contains(level) ?? false
    }

    /// The default template for a combination, if the catalog has one.
    public func defaultTemplate(_ update: UpdateKind, _ level: Level, _ action: TemplateAction) -> DefaultTemplate? {
        defaults.first { $0.update == update && $0.level == level && $0.action == action }
    }

    /// Why a supported combination has no default template.
    public func missingReason(_ update: UpdateKind, _ level: Level, _ action: TemplateAction) -> String? {
        missingDefaults.first { $0.update == update && $0.level == level && $0.action == action }?.reason
    }

    public static func named(_ name: String) -> Connector? {
        ConnectorID(name: name).map(Connectors.connector)
    }
}

/// The connectors the catalog documents (OpenMetadata service types), with accepted spellings.
public enum ConnectorID: String, CaseIterable, Sendable, Codable, Comparable {
    case athena, bigquery, clickhouse, databricks, mssql, mysql, oracle, postgres, redshift, snowflake
    case trino
    case unitycatalog
    case timescaledb

    public static let aliases: [String: ConnectorID] = [
        "postgresql": .postgres, "pg": .postgres, "timescale": .timescaledb,
        "unity-catalog": .unitycatalog, "unity_catalog": .unitycatalog,
        "mariadb": .mysql, "sqlserver": .mssql, "tsql": .mssql, "big-query": .bigquery,
    ]

    public init?(name: String) {
        let lower = name.lowercased()
        if let id = ConnectorID(rawValue: lower) { self = id; return }
        if let id = ConnectorID.aliases[lower] { self = id; return }
        return nil
    }

    public static func < (a: ConnectorID, b: ConnectorID) -> Bool { a.rawValue < b.rawValue }
    public static var allNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

public struct DefaultTemplate: Sendable {
    public let update: UpdateKind
    public let level: Level
    public let action: TemplateAction
    /// The template text, starting with its `-- templatec:` directive line.
    public let text: String
    /// Why this form was chosen, or a caveat (version, overwrite semantics).
    public let note: String?
}

public struct MissingDefault: Sendable {
    public let update: UpdateKind
    public let level: Level
    public let action: TemplateAction
    public let reason: String
}

/// How an OpenMetadata fully qualified name (`service.database.schema.table`) maps onto the
/// template variables for one connector.
public enum NamespaceMapping: String, Sendable, Codable {
    /// `{database}` = the FQN's database part, `{schema}` = its schema part.
    case databaseSchema
    /// MySQL and ClickHouse: the catalog names the database `default` and puts the real database in
    /// the schema part. Both `{database}` and `{schema}` are the real database (the schema part).
    case schemaIsDatabase
    /// BigQuery: database = project, schema = dataset.
    case projectDataset
    /// Databricks and Unity Catalog: database = catalog.
    case catalogSchema

    public var explanation: String {
        switch self {
        case .databaseSchema: return "{database} and {schema} are the FQN's database and schema parts"
        case .schemaIsDatabase: return "the catalog names the database `default` and the real database is the FQN's schema part: {database} and {schema} are both that real database"
        case .projectDataset: return "{database} is the GCP project and {schema} the dataset"
        case .catalogSchema: return "{database} is the catalog and {schema} the schema"
        }
    }
}
