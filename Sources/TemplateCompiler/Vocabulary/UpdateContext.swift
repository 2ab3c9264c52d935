/// What a template writes back: the update kinds and levels (docs/guide.md).
public enum UpdateKind: String, CaseIterable, Sendable, Codable, Comparable {
    case description, owner, tags
    public static func < (a: UpdateKind, b: UpdateKind) -> Bool { a.sortIndex < b.sortIndex }
    private var sortIndex: Int { UpdateKind.allCases.firstIndex(of: self)! }
}

public enum Level: String, CaseIterable, Sendable, Codable, Comparable {
    case database, schema, table, column
    public static func < (a: Level, b: Level) -> Bool { a.depth < b.depth }
    /// 0 for database … 3 for column.
    public var depth: Int { Level.allCases.firstIndex(of: self)! }
}
