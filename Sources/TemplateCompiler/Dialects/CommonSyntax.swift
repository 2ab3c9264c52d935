/// Lexical building blocks shared by several dialects. Each dialect file composes its rules from
/// these and states its own differences next to them.
extension StringLiteralKind {
    /// `'…'` where only `''` escapes a quote (SQL standard).
    static let standard = StringLiteralKind(name: "standard", escapes: .doubling)
    /// `'…'` where a backslash escapes and `''` also works (MySQL, Snowflake, ClickHouse, Redshift).
    static let backslashSingle = StringLiteralKind(name: "standard", escapes: .both)
    /// `N'…'` national character literal, standard escaping.
    static let national = StringLiteralKind(name: "national", prefix: "N", escapes: .doubling)
    /// `X'…'` hexadecimal / binary literal: not text, no placeholder can be escaped into it.
    static let hex = StringLiteralKind(name: "hex", prefix: "X", escapes: .doubling, escapable: false)
    /// `B'…'` bit string.
    static let bits = StringLiteralKind(name: "bits", prefix: "B", escapes: .doubling, escapable: false)
    /// `U&'…'` Unicode-escape string: templatec never writes into it (DESIGN: do not emit U&).
    static let unicodeEscape = StringLiteralKind(name: "unicode-escape", prefix: "U&", escapes: .doubling, escapable: false)
}

extension CommentSyntax {
    /// `--` and non-nesting `/* */` (SQL standard).
    static let standard = CommentSyntax(lineMarkers: [.init("--")], blockCommentsNest: false)
    /// `--` and nesting `/* */` (PostgreSQL, T-SQL, Spark).
    static let nesting = CommentSyntax(lineMarkers: [.init("--")], blockCommentsNest: true)
}

/// Reserved words common to the SQL standard and most dialects: a name equal to one of these is
/// always quoted when rendered as a bare identifier.
let standardReservedWords: Set<String> = [
    "ALL", "ALTER", "AND", "ANY", "AS", "ASC", "BETWEEN", "BOTH", "BY", "CASE", "CAST", "CHECK", "COLUMN",
    "CONSTRAINT", "CREATE", "CROSS", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER",
    "DEFAULT", "DELETE", "DESC", "DISTINCT", "DROP", "ELSE", "END", "EXCEPT", "EXISTS", "FALSE", "FETCH",
    "FOR", "FOREIGN", "FROM", "FULL", "GRANT", "GROUP", "HAVING", "IN", "INNER", "INSERT", "INTERSECT",
    "INTO", "IS", "JOIN", "LEADING", "LEFT", "LIKE", "LIMIT", "NATURAL", "NOT", "NULL", "ON", "OR", "ORDER",
    "OUTER", "PRIMARY", "REFERENCES", "RIGHT", "SELECT", "SESSION_USER", "SET", "SOME", "TABLE", "THEN",
    "TO", "TRAILING", "TRUE", "UNION", "UNIQUE", "UPDATE", "USER", "USING", "VALUES", "WHEN", "WHERE", "WITH",
]
