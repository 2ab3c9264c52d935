/// Server settings that change how text must be escaped. Each has the safe default; none is
/// guessed at run time. Recorded in compiled artifacts, settable by flag, config and directive.
public struct DialectOptions: Hashable, Sendable, Codable {
    /// PostgreSQL `standard_conforming_strings` (on since 9.1). Off: backslash escapes in `'…'`.
    public var standardConformingStrings: Bool
    /// MySQL `sql_mode` contains `NO_BACKSLASH_ESCAPES`. On: backslash is an ordinary character.
    public var noBackslashEscapes: Bool
    /// Databricks/Spark `${…}` variable substitution may run on the SQL text: guard against it.
    public var guardVariableSubstitution: Bool
    /// When a bare identifier placeholder is quoted.
    public var identifierQuoting: IdentifierQuoting
    /// BigQuery labels: lowercase keys and values instead of refusing uppercase letters (opt-in:
    /// it changes the value).
    public var normalizeLabels: Bool

    public init(standardConformingStrings: Bool = true, noBackslashEscapes: Bool = false,
                guardVariableSubstitution: Bool = true, identifierQuoting: IdentifierQuoting = .whenNeeded,
                normalizeLabels: Bool = false) {
        self.normalizeLabels = normalizeLabels
        self.standardConformingStrings = standardConformingStrings
        self.noBackslashEscapes = noBackslashEscapes
        self.guardVariableSubstitution = guardVariableSubstitution
        self.identifierQuoting = identifierQuoting
    }

    public static let `default` = DialectOptions()
}

public enum IdentifierQuoting: String, Hashable, Sendable, Codable, CaseIterable {
    /// Quote only names that are not plain identifiers of the dialect.
    case whenNeeded = "when-needed"
    /// Quote every name.
    case always
}
