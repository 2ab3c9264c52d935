/// Databricks (Spark SQL, hive_metastore) and Unity Catalog: docs/dialects.md.
extension Dialects {
    static let sparkReserved: Set<String> = standardReservedWords.union([
        "ANTI", "ARRAY", "AUTHORIZATION", "COLLATE", "CUBE", "CURRENT", "EXTERNAL", "FILTER", "FUNCTION",
        "GLOBAL", "GROUPING", "IF", "INTERVAL", "LATERAL", "MINUS", "OF", "OVER", "PARTITION", "RANGE",
        "ROLLUP", "ROW", "ROWS", "SEMI", "TABLESAMPLE", "TIME", "UNKNOWN", "WINDOW",
    ])

    public static func databricks(_ options: DialectOptions) -> Dialect {
        // `''` is not an escape in Spark: two adjacent literals concatenate. For lexing the effect
        // on context is the same as doubling (still inside text); the escaper never emits it.
        // Spark's variable substitution matches `${…}` in the raw SQL text, before parsing; `\$`
        // and `\{` decode to `$` and `{`, so guarded values keep no `${` in the text.
        let guarded = options.guardVariableSubstitution ? "${" : ""
        let single = StringLiteralKind(name: "standard", escapes: .both, writesQuoteWithBackslash: true,
                                       doubledQuoteConcatenates: true, guardedBytes: guarded)
        let double = StringLiteralKind(name: "double-quoted", quote: UInt8(ascii: "\""), escapes: .both,
                                       writesQuoteWithBackslash: true, doubledQuoteConcatenates: true, guardedBytes: guarded)
        let rawSingle = StringLiteralKind(name: "raw", prefix: "R", escapes: .none, escapable: false)
        let rawDouble = StringLiteralKind(name: "raw-double", prefix: "R", quote: UInt8(ascii: "\""), escapes: .none, escapable: false)
        let lexical = LexicalRules(
            name: "databricks", strings: [rawSingle, rawDouble, .hex, single, double],
            identifierQuotes: [.backtick], comments: .nesting)
        var identifiers = IdentifierRules(
            plainStart: .wordStart, plainContinue: .word, plainAllowsNonASCII: false, folding: .lower,
            maxLength: 255, lengthUnit: .characters, reserved: sparkReserved,
            forbiddenCharacters: [(".", "Unity Catalog names cannot contain a dot, even quoted"),
                                  (" ", "Unity Catalog names cannot contain a space, even quoted"),
                                  ("/", "Unity Catalog names cannot contain a slash, even quoted")],
            allowsControlCharacters: false)
        if options.guardVariableSubstitution {
            identifiers.forbiddenSequences = [("${", "nothing can be escaped inside backticks, so `${` would reach Spark's variable substitution (set variable_substitution=off if the server does not substitute)")]
        }
        // Principals are users (emails: `alice@corp.com`, `john.doe@corp.com`), groups (`data-eng
        // team`) and service principals (application ids): none of the object-name restrictions
        // apply, nothing is plain (a bare name would be read as an identifier), so each is written
        // in backticks, a backtick doubled.
        var principals = IdentifierRules(
            plainStart: ByteSet(), plainContinue: ByteSet(), plainAllowsNonASCII: false, folding: .none,
            maxLength: 255, lengthUnit: .characters, reserved: [], allowsControlCharacters: false)
        principals.forbiddenSequences = identifiers.forbiddenSequences
        var dialect = Dialect(
            id: .databricks, displayName: "Databricks / Unity Catalog", options: options, lexical: lexical,
            identifiers: identifiers,
            tagsListForm: .databricksTags,
            statementForms: [
                .init("COMMENT ON CATALOG <target> IS NULL", .removeDescription, .database),
                .init("COMMENT ON CATALOG <target> IS <value>", .setDescription, .database),
                .init("COMMENT ON SCHEMA|DATABASE <target> IS NULL", .removeDescription, .schema),
                .init("COMMENT ON SCHEMA|DATABASE <target> IS <value>", .setDescription, .schema),
                .init("COMMENT ON TABLE <target> IS NULL", .removeDescription, .table),
                .init("COMMENT ON TABLE <target> IS <value>", .setDescription, .table),
                .init("COMMENT ON COLUMN <target> IS NULL", .removeDescription, .column, note: "DBR 16.1 and later"),
                .init("COMMENT ON COLUMN <target> IS <value>", .setDescription, .column, note: "DBR 16.1 and later"),
                .init("ALTER TABLE <target> ALTER|CHANGE [ COLUMN ] <name> COMMENT <value>", .setDescription, .column),
                .init("ALTER TABLE <target> SET TBLPROPERTIES ( 'comment' = <value> ...", .setDescription, .table),
                .init("ALTER CATALOG <target> [ SET ] OWNER TO <name>", .setOwner, .database),
                .init("ALTER SCHEMA|DATABASE <target> [ SET ] OWNER TO <name>", .setOwner, .schema),
                .init("ALTER TABLE|VIEW <target> [ SET ] OWNER TO <name>", .setOwner, .table),
                .init("ALTER TABLE <target> ALTER [ COLUMN ] <name> SET TAGS <list>", .setTagList, .column),
                .init("ALTER TABLE <target> ALTER [ COLUMN ] <name> UNSET TAGS <list>", .unsetTagList, .column),
                .init("ALTER CATALOG <target> SET TAGS <list>", .setTagList, .database),
                .init("ALTER SCHEMA|DATABASE <target> SET TAGS <list>", .setTagList, .schema),
                .init("ALTER TABLE <target> SET TAGS <list>", .setTagList, .table),
                .init("ALTER CATALOG <target> UNSET TAGS <list>", .unsetTagList, .database),
                .init("ALTER SCHEMA|DATABASE <target> UNSET TAGS <list>", .unsetTagList, .schema),
                .init("ALTER TABLE <target> UNSET TAGS <list>", .unsetTagList, .table),
                .init("SET TAG ON CATALOG <target> ...", .setTag, .database, note: "DBR 16.1 and later; key and value are identifiers"),
                .init("SET TAG ON SCHEMA|DATABASE <target> ...", .setTag, .schema, note: "DBR 16.1 and later"),
                .init("SET TAG ON TABLE|VIEW <target> ...", .setTag, .table, note: "DBR 16.1 and later"),
                .init("SET TAG ON COLUMN <target> ...", .setTag, .column, note: "DBR 16.1 and later"),
                .init("UNSET TAG ON CATALOG <target> ...", .unsetTag, .database),
                .init("UNSET TAG ON SCHEMA|DATABASE <target> ...", .unsetTag, .schema),
                .init("UNSET TAG ON TABLE|VIEW <target> ...", .unsetTag, .table),
                .init("UNSET TAG ON COLUMN <target> ...", .unsetTag, .column),
            ] + UnsupportedForms.otherOwnerSyntax("Databricks transfers ownership with `ALTER CATALOG|SCHEMA|TABLE … OWNER TO {owner}`")
              + [.unsupported("ALTER * SET|UNSET TAG <any> ...", .setTag, .table,
                              "Databricks takes a list: `SET TAGS ('k' = 'v')` (or, on DBR 16.1 and later, `SET TAG ON TABLE … key = value`)")],
            batching: .one(why: "the Databricks SQL Statement Execution API runs one statement per request"),
            // https://docs.databricks.com/database-objects/tags.html
            textLimits: [
                TextLimit([.tagValue], updates: [.tags], maximum: 1000, unit: .characters, what: "a Databricks tag value"),
            ],
            tagRules: TagRules(maxCount: 50, keyMinLength: 1, keyMaxLength: 255, valueMaxLength: 1000, charset: .any,
                               keyStartsWithLetter: false, forbiddenKeyCharacters: ".,-=/:", allowsEmpty: false,
                               what: "Databricks tags"))
        dialect.principals = principals
        return dialect
    }
}
