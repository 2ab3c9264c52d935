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
    /// The session settings templatec's executor pins for this dialect, by the words that change
    /// them (STM412); nil where none are pinned.
    public internal(set) var pinnedSessionSettings: PinnedSessionSettings? = nil
    /// Why the engine's drivers refuse a single statement that ends with `;` (Oracle's), or nil
    /// where a trailing `;` is accepted.
    public let trailingSemicolonRefusal: String?

    public init(id: DialectID, displayName: String, options: DialectOptions, lexical: LexicalRules,
                ddlLexical: LexicalRules? = nil, ddlKeywords: Set<String> = [], identifiers: IdentifierRules,
                tagsListForm: TagsListForm?,
                statementForms: [StatementForm], batching: StatementBatching = .many,
                tagValueRestriction: String? = nil, textLimits: [TextLimit] = [], tagRules: TagRules? = nil,
                trailingSemicolonRefusal: String? = nil) {
        self.trailingSemicolonRefusal = trailingSemicolonRefusal
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

/// Namespace for the dialect definitions (one file per family).
public enum Dialects {}

extension Dialect {
    /// The literal kind for a bare text placeholder in statements lexed with the default rules.
    public var valueLiteral: StringLiteralKind { lexical.valueLiteral }
    /// The identifier quote templatec writes.
    public var identifierQuote: IdentifierQuoteKind { lexical.identifierQuote }
}
