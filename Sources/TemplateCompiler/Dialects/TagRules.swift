/// How a dialect writes a list of (key, value) tags.
public enum TagsListForm: String, Sendable, Hashable, Codable {
    /// BigQuery `labels = [("k", "v"), …]`: keys and values are strings under BigQuery's label rules.
    case bigQueryLabels
    /// Databricks `SET TAGS ('k' = 'v', …)`.
    case databricksTags
}

/// What the keys and values of a `{tags}` list must be.
public struct TagRules: Hashable, Sendable {
    public enum Charset: String, Hashable, Sendable, Codable {
        /// Any text (escaped as a string literal).
        case any
        /// BigQuery labels: lowercase letters, digits, `_`, `-`, and international (non-ASCII) letters.
        case bigQueryLabel = "bigquery-label"
    }

    public var maxCount: Int
    public var keyMinLength: Int
    public var keyMaxLength: Int
    public var valueMaxLength: Int
    public var charset: Charset
    /// A key must start with a lowercase letter or an international character (BigQuery).
    public var keyStartsWithLetter: Bool
    /// Characters a key may not contain (Databricks `. , - = / :`).
    public var forbiddenKeyCharacters: String
    /// Whether an empty list can be written (BigQuery `[]` clears labels; Databricks `()` is a
    /// syntax error).
    public var allowsEmpty: Bool
    public var what: String

    public init(maxCount: Int, keyMinLength: Int, keyMaxLength: Int, valueMaxLength: Int, charset: Charset,
                keyStartsWithLetter: Bool, forbiddenKeyCharacters: String, allowsEmpty: Bool, what: String) {
        self.maxCount = maxCount
        self.keyMinLength = keyMinLength
        self.keyMaxLength = keyMaxLength
        self.valueMaxLength = valueMaxLength
        self.charset = charset
        self.keyStartsWithLetter = keyStartsWithLetter
        self.forbiddenKeyCharacters = forbiddenKeyCharacters
        self.allowsEmpty = allowsEmpty
        self.what = what
    }
}
