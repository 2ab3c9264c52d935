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

    /// True when `name` can be written without quotes and means itself: it matches the unquoted
    /// pattern, is not reserved, and case folding leaves it unchanged.
    public func isPlain<S: Collection>(_ name: S) -> Bool where S.Element == UInt8 {
        guard let first = name.first else { return false }
        var sawNonASCII = false
        for (i, b) in name.enumerated() {
            if b >= 0x80 {
                guard plainAllowsNonASCII else { return false }
                sawNonASCII = true
                continue
            }
            if i == 0 ? !plainStart.contains(b) : !plainContinue.contains(b) { return false }
            switch folding {
            case .lower: if b >= 0x41 && b <= 0x5A { return false }
            case .upper: if b >= 0x61 && b <= 0x7A { return false }
            case .none: break
            }
        }
        if first >= 0x80 && !sawNonASCII { return false }
        if !sawNonASCII, name.count <= 32, reserved.contains(String(decoding: name, as: UTF8.self).uppercased()) {
            return false
        }
        return true
    }
}

/// A set of ASCII bytes, as a 128-bit bitmap: the lexer's hot path tests membership in one load.
public struct ByteSet: Hashable, Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    public init() {}

    public init(_ ascii: String) {
        for b in ascii.utf8 { insert(b) }
    }

    public static func ranges(_ rs: ClosedRange<UInt8>...) -> ByteSet {
        var s = ByteSet()
        for r in rs { for b in r { s.insert(b) } }
        return s
    }

    public mutating func insert(_ b: UInt8) {
        if b < 64 { low |= 1 << UInt64(b) } else if b < 128 { high |= 1 << UInt64(b - 64) }
    }

    @inline(__always) public func contains(_ b: UInt8) -> Bool {
        b < 64 ? (low >> UInt64(b)) & 1 == 1 : (b < 128 ? (high >> UInt64(b - 64)) & 1 == 1 : false)
    }

    public func union(_ other: ByteSet) -> ByteSet {
        var s = self
        s.low |= other.low
        s.high |= other.high
        return s
    }

    public static let letters = ByteSet.ranges(0x41...0x5A, 0x61...0x7A)
    public static let lowercase = ByteSet.ranges(0x61...0x7A)
    public static let digits = ByteSet.ranges(0x30...0x39)
    public static let underscore = ByteSet("_")
    public static let wordStart = letters.union(underscore)
    public static let word = letters.union(digits).union(underscore)
}

/// Everything templatec knows about one dialect under one set of options.
public struct Dialect: Sendable {
    public let id: DialectID
    public let displayName: String
    public let options: DialectOptions
    /// Lexical rules for statements in general.
    public let lexical: LexicalRules
    /// Athena: DDL statements follow Hive's lexical rules, DML Trino's. The first keyword of a
    /// statement that selects `ddlLexical` is listed in `ddlKeywords`.
    public let ddlLexical: LexicalRules?
    public let ddlKeywords: Set<String>
    public let identifiers: IdentifierRules
    /// The rules of the target's principals (users, groups, service principals), which `{owner}`
    /// names, where they differ from object names (Unity Catalog: emails, dots and spaces, always
    /// backtick-quoted); nil where owners are names like any other (PostgreSQL roles, MSSQL users).
    public var principals: IdentifierRules? = nil
    /// How `{tags}` is written in this dialect, or nil where it has no list form.
    public let tagsListForm: TagsListForm?
    /// The metadata statements this dialect has, for classification.
    public let statementForms: [StatementForm]
    /// Whether the connector's client sends several statements in one request.
    public let batching: StatementBatching
    /// What the engine accepts as a tag key or value, when it is narrower than free text
    /// (BigQuery labels): shown by the lint rules on tag templates.
    public let tagValueRestriction: String?
    /// Length limits of the text a statement stores (comments, tag values), for validation.
    public let textLimits: [TextLimit]
    /// The rules a `{tags}` list's keys and values must meet, where the dialect has a list form.
    public let tagRules: TagRules?
    /// A word that client tools read, alone on a line, as the end of a batch (T-SQL `GO`): never SQL.
    public internal(set) var clientBatchSeparator: String? = nil

    public init(id: DialectID, displayName: String, options: DialectOptions, lexical: LexicalRules,
                ddlLexical: LexicalRules? = nil, ddlKeywords: Set<String> = [], identifiers: IdentifierRules,
                tagsListForm: TagsListForm?,
                statementForms: [StatementForm], batching: StatementBatching = .many,
                tagValueRestriction: String? = nil, textLimits: [TextLimit] = [], tagRules: TagRules? = nil) {
        self.batching = batching
        self.tagValueRestriction = tagValueRestriction
        self.textLimits = textLimits
        self.tagRules = tagRules
        self.id = id
        self.displayName = displayName
        self.options = options
        self.lexical = lexical
        self.ddlLexical = ddlLexical
        self.ddlKeywords = ddlKeywords
        self.identifiers = identifiers
        self.tagsListForm = tagsListForm
        self.statementForms = statementForms
    }

    /// The lexical rules for a statement whose first keyword is `keyword` (uppercase).
    public func lexicalRules(forFirstKeyword keyword: String) -> LexicalRules {
        if let ddl = ddlLexical, ddlKeywords.contains(keyword) { return ddl }
        return lexical
    }

    /// The dialect with its options. Dialects with default options are built once (their
    /// statement patterns compiled once) and shared.
    public static func named(_ id: DialectID, options: DialectOptions = .default) -> Dialect {
        if options == .default, let d = withDefaultOptions[id] { return d }
        return build(id, options)
    }

    private static let withDefaultOptions: [DialectID: Dialect] = {
        var all: [DialectID: Dialect] = [:]
        for id in DialectID.allCases { all[id] = build(id, .default) }
        return all
    }()

    private static func build(_ id: DialectID, _ options: DialectOptions) -> Dialect {
        switch id {
        case .postgres: return Dialects.postgres(options)
        case .redshift: return Dialects.redshift(options)
        case .mysql: return Dialects.mysql(options)
        case .mssql: return Dialects.mssql(options)
        case .oracle: return Dialects.oracle(options)
        case .snowflake: return Dialects.snowflake(options)
        case .bigquery: return Dialects.bigquery(options)
        case .clickhouse: return Dialects.clickhouse(options)
        case .databricks: return Dialects.databricks(options)
        case .trino: return Dialects.trino(options)
        case .athena: return Dialects.athena(options)
        }
    }
}

/// How many statements the connector's client executes per request.
public enum StatementBatching: Sendable, Hashable {
    /// A script of several statements runs as one request (psql, mysql, sqlcmd, …).
    case many
    /// One statement per request; `why` names the client and what to do instead.
    case one(why: String)
}

/// How a dialect writes a list of (key, value) tags.
public enum TagsListForm: String, Sendable, Hashable, Codable {
    /// BigQuery `labels = [("k", "v"), …]`: keys and values are strings under BigQuery's label rules.
    case bigQueryLabels
    /// Databricks `SET TAGS ('k' = 'v', …)`.
    case databricksTags
}

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

/// Namespace for the dialect definitions (one file per family).
public enum Dialects {}

extension Dialect {
    /// The literal kind for a bare text placeholder in statements lexed with the default rules.
    public var valueLiteral: StringLiteralKind { lexical.valueLiteral }
    /// The identifier quote templatec writes.
    public var identifierQuote: IdentifierQuoteKind { lexical.identifierQuote }
}
