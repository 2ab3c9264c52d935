/// BigQuery (GoogleSQL): docs/dialects.md.
extension Dialects {
    static let bigqueryReserved: Set<String> = standardReservedWords.union([
        "ARRAY", "ASSERT_ROWS_MODIFIED", "AT", "COLLATE", "CONTAINS", "CUBE", "CURRENT", "DEFINE", "ENUM",
        "ESCAPE", "EXCLUDE", "EXTRACT", "FOLLOWING", "GROUPING", "GROUPS", "HASH", "IF", "IGNORE", "INTERVAL",
        "LATERAL", "LOOKUP", "MERGE", "NEW", "NO", "NULLS", "OF", "OVER", "PARTITION", "PRECEDING", "PROTO",
        "QUALIFY", "RANGE", "RECURSIVE", "RESPECT", "ROLLUP", "ROWS", "STRUCT", "TABLESAMPLE", "TREAT",
        "UNBOUNDED", "WINDOW", "WITHIN",
    ])

    public static func bigquery(_ options: DialectOptions) -> Dialect {
        // Every prefix combination, longest first so `rb'` is not read as `r` + `b'`.
        var strings: [StringLiteralKind] = []
        for (prefix, raw, bytes) in [("RB", true, true), ("BR", true, true), ("R", true, false), ("B", false, true), ("", false, false)] {
            for quote in [UInt8(ascii: "'"), UInt8(ascii: "\"")] {
                for triple in [true, false] {
                    let name = (raw ? "raw" : "") + (bytes ? (raw ? "-bytes" : "bytes") : "") + (raw || bytes ? "-" : "")
                        + (triple ? "triple-" : "") + (quote == UInt8(ascii: "'") ? "single" : "double")
                    strings.append(StringLiteralKind(
                        name: name, prefix: prefix, quote: quote, triple: triple,
                        escapes: raw ? .none : .backslashOnly, newlinesAllowed: triple,
                        escapable: !raw && !bytes, controlEscaping: .cStyle))
                }
            }
        }
        let lexical = LexicalRules(
            name: "bigquery", strings: strings,
            identifierQuotes: [IdentifierQuoteKind(name: "backtick", open: UInt8(ascii: "`"), close: UInt8(ascii: "`"), escapes: .backslashOnly, controlEscaping: .cStyle)],
            comments: CommentSyntax(lineMarkers: [.init("#"), .init("--")], blockCommentsNest: false))
        var identifiers = IdentifierRules(
            plainStart: .wordStart, plainContinue: .word, plainAllowsNonASCII: false, folding: .none,
            maxLength: 1024, lengthUnit: .bytes, reserved: bigqueryReserved)
        // BigQuery reads a `.` inside a backtick-quoted name as a path separator: `a.b` is the two
        // parts `a` and `b` to its resolver (ZetaSQL's parser keeps one name; the engine splits it),
        // so a dataset, table or column named with a dot would address another object. Dataset and
        // table names cannot hold a dot anyway. A project id can: a domain-scoped one,
        // `example.com:my-project`, is one part when quoted (`example.com:my-project`.ds.t).
        identifiers.forbiddenCharactersByVariable = [
            (".", [.schema, .table, .column],
             "BigQuery reads a dot inside a backtick-quoted name as a path separator, so this name would address another object (dataset, table and column names cannot contain dots; only a project id, {database}, may): rename the object or map the name"),
        ]
        return Dialect(
            id: .bigquery, displayName: "BigQuery", options: options, lexical: lexical,
            identifiers: identifiers,
            tagsListForm: .bigQueryLabels,
            statementForms: [
                .init("ALTER SCHEMA [ IF EXISTS ] <target> SET OPTIONS ( description = NULL ...", .removeDescription, .schema),
                .init("ALTER TABLE|VIEW [ IF EXISTS ] <target> ALTER COLUMN [ IF EXISTS ] <name> SET OPTIONS ( description = NULL ...", .removeDescription, .column),
                .init("ALTER TABLE|VIEW [ IF EXISTS ] <target> SET OPTIONS ( description = NULL ...", .removeDescription, .table),
                .init("ALTER SCHEMA [ IF EXISTS ] <target> SET OPTIONS ( description = <value> ...", .setDescription, .schema),
                .init("ALTER SCHEMA [ IF EXISTS ] <target> SET OPTIONS ( labels = <list> ...", .setTagList, .schema),
                .init("ALTER TABLE|VIEW [ IF EXISTS ] <target> ALTER COLUMN [ IF EXISTS ] <name> SET OPTIONS ( description = <value> ...", .setDescription, .column),
                .init("ALTER TABLE|VIEW [ IF EXISTS ] <target> SET OPTIONS ( description = <value> ...", .setDescription, .table),
                .init("ALTER TABLE|VIEW [ IF EXISTS ] <target> SET OPTIONS ( labels = <list> ...", .setTagList, .table),
                .init("ALTER MATERIALIZED VIEW [ IF EXISTS ] <target> SET OPTIONS ( description = <value> ...", .setDescription, .table),
                .unsupported("ALTER TABLE [ IF EXISTS ] <target> ALTER COLUMN [ IF EXISTS ] <name> SET OPTIONS ( labels ...", .setTagList, .column,
                             "BigQuery columns have no labels (policy tags are a separate mechanism)"),
            ] + UnsupportedForms.commentOn("BigQuery has no COMMENT ON: use `ALTER TABLE|SCHEMA … SET OPTIONS (description = {description})`")
              + UnsupportedForms.owners("BigQuery has no owners: access is IAM, outside SQL templates")
              + UnsupportedForms.tags("BigQuery has labels, not tags: use `ALTER TABLE|SCHEMA … SET OPTIONS (labels = {tags})`"),
            batching: .one(why: "the BigQuery connector sends one statement per query job"),
            tagValueRestriction: "BigQuery label keys and values may hold only lowercase letters, digits, `_` and `-` (keys start with a lowercase letter, at most 63 characters): a tag such as `PII.Sensitive` is refused",
            textLimits: [
                TextLimit([.description], levels: [.table], maximum: 16384, unit: .characters, what: "a BigQuery table description"),
                TextLimit([.description], levels: [.column], maximum: 1024, unit: .characters, what: "a BigQuery column description"),
            ],
            // https://cloud.google.com/bigquery/docs/labels-intro#requirements
            tagRules: TagRules(maxCount: 64, keyMinLength: 1, keyMaxLength: 63, valueMaxLength: 63, charset: .bigQueryLabel,
                               keyStartsWithLetter: true, forbiddenKeyCharacters: "", allowsEmpty: true,
                               what: "BigQuery labels"))
    }
}
