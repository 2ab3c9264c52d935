/// The variables a template may use (DESIGN.md), their types and when they exist.
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
        var best: (Variable, Int)? = nil
        for v in Variable.allCases {
            let d = editDistance(Array(lower.utf8), Array(v.rawValue.utf8))
            if d <= max(1, v.rawValue.count / 3), d < (best?.1 ?? Int.max) { best = (v, d) }
        }
        return best.map { ($0.0, nil) }
    }
}

/// Levenshtein distance with adjacent transpositions (optimal string alignment).
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
            cur[j] = v
        }
        (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
}
