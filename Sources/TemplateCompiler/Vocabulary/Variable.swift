/// The variables a template may use (docs/guide.md), their types and when they exist.
public enum Variable: String, CaseIterable, Sendable, Codable {
    case database, schema, table, column, description, owner
    case tagKey = "tag_key"
    case tagValue = "tag_value"
    case tags

    public enum ValueType: String, Sendable, Codable {
        /// A name: quoted as an identifier when bare.
        case identifier
        /// Free text: a complete string literal when bare.
        case text
        /// A list of (key, value) pairs.
        case list
    }

    public var type: ValueType {
        switch self {
        case .database, .schema, .table, .column, .owner, .tagKey: return .identifier
        case .description, .tagValue: return .text
        case .tags: return .list
        }
    }

    /// The update kind that provides this variable, or nil when every update does.
    public var update: UpdateKind? {
        switch self {
        case .description: return .description
        case .owner: return .owner
        case .tagKey, .tagValue, .tags: return .tags
        case .database, .schema, .table, .column: return nil
        }
    }

    /// The shallowest level at which this variable exists, or nil for every level.
    public var minimumLevel: Level? {
        switch self {
        case .schema: return .schema
        case .table: return .table
        case .column: return .column
        default: return nil
        }
    }

    public init?(name: String) {
        self.init(rawValue: name)
    }

    /// Names people write that are not variables, with the variable they mean and why.
    public static let knownConfusions: [String: (Variable, String)] = [
        "catalog": (.database, "a catalog (Databricks, Trino) is the {database} variable"),
        "project": (.database, "a BigQuery project is the {database} variable"),
        "dataset": (.schema, "a BigQuery dataset is the {schema} variable"),
        "comment": (.description, "the comment text is the {description} variable"),
        "tag": (.tagValue, "a single tag is {tag_key} (its classification) and {tag_value} (its name)"),
        "tag_name": (.tagValue, "the tag name is the {tag_value} variable"),
        "classification": (.tagKey, "the classification is the {tag_key} variable"),
        "labels": (.tags, "the list of tags is the {tags} variable"),
        "user": (.owner, "the owner's name is the {owner} variable"),
        "owner_name": (.owner, "the owner's name is the {owner} variable"),
        "column_name": (.column, "the column name is the {column} variable"),
        "table_name": (.table, "the table name is the {table} variable"),
        "schema_name": (.schema, "the schema name is the {schema} variable"),
        "database_name": (.database, "the database name is the {database} variable"),
    ]

    /// The closest variable to an unknown name, if one is close enough to be a typo.
    public static func suggestion(for name: String) -> (Variable, String?)? {
        let lower = name.lowercased()
        if let v = Variable(rawValue: lower) { return (v, "variable names are lowercase") }
        if let (v, why) = knownConfusions[lower] { return (v, why) }
        return closest(lower, among: Variable.allCases.map(\.rawValue)).flatMap(Variable.init(rawValue:)).map { ($0, nil) }
    }
}
