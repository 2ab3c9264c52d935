/// How unquoted identifiers are stored.
public enum CaseFolding: String, Sendable, Hashable {
    case lower, upper, none
}

/// What a dialect accepts as a name, and what it does with it.
public struct IdentifierRules: Sendable {
    public enum LengthUnit: String, Sendable { case bytes, characters }

    /// Bytes (ASCII) that may start an unquoted identifier.
    public var plainStart: ByteSet
    /// Bytes (ASCII) that may continue an unquoted identifier.
    public var plainContinue: ByteSet
    /// Non-ASCII letters are allowed in unquoted identifiers.
    public var plainAllowsNonASCII: Bool
    public var folding: CaseFolding
    public var maxLength: Int
    public var lengthUnit: LengthUnit
    /// Words that must be quoted to be used as names (uppercase).
    public var reserved: Set<String>
    /// Characters no identifier may contain, quoted or not (Oracle `"`), with the reason.
    public var forbiddenCharacters: [(scalar: Unicode.Scalar, reason: String)]
    /// When set, every name must match this pattern and is never quoted (Athena:
    /// `^[a-z_][a-z0-9_]*$`): described here for messages.
    public var strictPatternDescription: String?
    /// Whether quoted identifiers may hold characters outside the Basic Multilingual Plane
    /// (MySQL's may not).
    public var allowsSupplementaryCharacters: Bool
    /// Whether quoted identifiers may hold control characters U+0001–U+001F, U+007F.
    public var allowsControlCharacters: Bool
    /// Whether a name may end with a space (MySQL's may not).
    public var allowsTrailingSpace: Bool = true
    /// Sequences no name may contain, with the reason (Databricks `${` under substitution guard:
    /// nothing can be escaped inside backticks).
    public var forbiddenSequences: [(sequence: String, reason: String)] = []
    /// Non-ASCII characters stand unquoted only as letters of Unicode 3.2 (after the first, decimal
    /// digits too): T-SQL's regular identifiers. Elsewhere any non-ASCII character may
    /// (`plainAllowsNonASCII`); a name with `’` or an emoji is bracketed in T-SQL.
    public var plainNonASCIIOnlyLetters = false
    /// Characters some name variables cannot contain, quoted or not, where another may (BigQuery:
    /// a dataset or table name cannot hold `.`, which the engine reads as a path separator even
    /// inside backticks, but a domain-scoped project id, `example.com:my-project`, holds one).
    public var forbiddenCharactersByVariable: [(scalar: Unicode.Scalar, variables: Set<Variable>, reason: String)] = []

    public init(plainStart: ByteSet, plainContinue: ByteSet, plainAllowsNonASCII: Bool, folding: CaseFolding,
                maxLength: Int, lengthUnit: LengthUnit, reserved: Set<String>,
                forbiddenCharacters: [(scalar: Unicode.Scalar, reason: String)] = [],
                strictPatternDescription: String? = nil, allowsSupplementaryCharacters: Bool = true,
                allowsControlCharacters: Bool = true) {
        self.plainStart = plainStart
        self.plainContinue = plainContinue
        self.plainAllowsNonASCII = plainAllowsNonASCII
        self.folding = folding
        self.maxLength = maxLength
        self.lengthUnit = lengthUnit
        self.reserved = reserved
        self.forbiddenCharacters = forbiddenCharacters
        self.strictPatternDescription = strictPatternDescription
        self.allowsSupplementaryCharacters = allowsSupplementaryCharacters
        self.allowsControlCharacters = allowsControlCharacters
    }
}
