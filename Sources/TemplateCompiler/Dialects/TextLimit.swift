/// A limit on the text a statement stores: the target truncates or rejects longer values, so the
/// renderer refuses them first.
public struct TextLimit: Hashable, Sendable {
    public enum Unit: String, Hashable, Sendable, Codable {
        /// Unicode scalar values.
        case characters
        /// UTF-8 bytes.
        case bytes
        /// Bytes of the UTF-16 form (T-SQL `nvarchar`, `sql_variant`).
        case utf16Bytes = "utf16-bytes"
    }

    /// The variables it applies to (description, tag_value, tag_key).
    public var variables: [Variable]
    /// The levels it applies to; nil for every level.
    public var levels: [Level]?
    /// The statement kinds it applies to (descriptions, tags); nil for every kind.
    public var updates: [UpdateKind]?
    public var maximum: Int
    public var unit: Unit
    /// What is limited, for messages: "a MySQL table comment".
    public var what: String
    /// The target stores only characters of the Basic Multilingual Plane: MariaDB keeps comments
    /// in utf8mb3 and silently replaces anything beyond U+FFFF (emoji) with `?`.
    public var basicMultilingualPlaneOnly: Bool

    public init(_ variables: [Variable], levels: [Level]? = nil, updates: [UpdateKind]? = nil, maximum: Int, unit: Unit, what: String,
                basicMultilingualPlaneOnly: Bool = false) {
        self.variables = variables
        self.levels = levels
        self.updates = updates
        self.maximum = maximum
        self.unit = unit
        self.what = what
        self.basicMultilingualPlaneOnly = basicMultilingualPlaneOnly
    }
}
