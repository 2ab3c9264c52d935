/// The SQL dialects templatec knows. Connectors map onto these (Unity Catalog → databricks,
/// TimescaleDB → postgres, …).
public enum DialectID: String, CaseIterable, Sendable, Codable, Comparable {
    case athena, bigquery, clickhouse, databricks, mssql, mysql, oracle, postgres, redshift, snowflake, trino

    /// Accepted spellings besides the canonical names.
    public static let aliases: [String: DialectID] = [
        "unitycatalog": .databricks, "unity-catalog": .databricks, "unity_catalog": .databricks, "spark": .databricks,
        "timescale": .postgres, "timescaledb": .postgres, "postgresql": .postgres, "pg": .postgres,
        "tsql": .mssql, "t-sql": .mssql, "sqlserver": .mssql,
        "mariadb": .mysql,
    ]

    /// Parses a canonical name or an alias, case-insensitively.
    public init?(name: String) {
        let lower = name.lowercased()
        if let id = DialectID(rawValue: lower) { self = id; return }
        if let id = DialectID.aliases[lower] { self = id; return }
        return nil
    }

    public static func < (a: DialectID, b: DialectID) -> Bool { a.rawValue < b.rawValue }

    /// Every accepted name, for help text and errors.
    public static var allNames: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}
