/// PostgreSQL (and TimescaleDB) and Redshift: docs/dialects.md.
extension Dialects {
    static let postgresReserved: Set<String> = standardReservedWords.union([
        "ANALYSE", "ANALYZE", "ARRAY", "ASYMMETRIC", "AUTHORIZATION", "BINARY", "COLLATE", "COLLATION",
        "CONCURRENTLY", "CURRENT_CATALOG", "CURRENT_ROLE", "CURRENT_SCHEMA", "DEFERRABLE", "DO", "FREEZE",
        "ILIKE", "INITIALLY", "ISNULL", "LATERAL", "LOCALTIME", "LOCALTIMESTAMP", "NOTNULL", "OFFSET", "ONLY",
        "OVERLAPS", "PLACING", "RETURNING", "SIMILAR", "SYMMETRIC", "TABLESAMPLE", "VARIADIC", "VERBOSE", "WINDOW",
    ])

    static func postgresForms(schemaComments: Bool) -> [StatementForm] {
        var forms: [StatementForm] = [
            .init("COMMENT ON DATABASE <target> IS NULL", .removeDescription, .database),
            .init("COMMENT ON DATABASE <target> IS <value>", .setDescription, .database),
            .init("COMMENT ON TABLE <target> IS NULL", .removeDescription, .table),
            .init("COMMENT ON TABLE <target> IS <value>", .setDescription, .table),
            .init("COMMENT ON [ MATERIALIZED|FOREIGN ] VIEW|TABLE <target> IS NULL", .removeDescription, .table),
            .init("COMMENT ON [ MATERIALIZED|FOREIGN ] VIEW|TABLE <target> IS <value>", .setDescription, .table),
            .init("COMMENT ON COLUMN <target> IS NULL", .removeDescription, .column),
            .init("COMMENT ON COLUMN <target> IS <value>", .setDescription, .column),
            .init("ALTER DATABASE <target> OWNER TO <name>", .setOwner, .database),
            .init("ALTER SCHEMA <target> OWNER TO <name>", .setOwner, .schema),
            .init("ALTER TABLE [ IF EXISTS ] [ ONLY ] <target> OWNER TO <name>", .setOwner, .table),
            .init("ALTER [ MATERIALIZED|FOREIGN ] VIEW|TABLE [ IF EXISTS ] <target> OWNER TO <name>", .setOwner, .table),
        ]
        if schemaComments {
            forms += [
                .init("COMMENT ON SCHEMA <target> IS NULL", .removeDescription, .schema),
                .init("COMMENT ON SCHEMA <target> IS <value>", .setDescription, .schema),
            ]
        } else {
            forms.append(.unsupported("COMMENT ON SCHEMA ...", .setDescription, .schema,
                                      "Redshift has no COMMENT ON SCHEMA (its COMMENT takes TABLE, COLUMN, CONSTRAINT, DATABASE and VIEW)"))
        }
        let name = schemaComments ? "PostgreSQL" : "Redshift"
        forms += UnsupportedForms.otherOwnerSyntax("\(name) transfers ownership with `ALTER DATABASE|SCHEMA|TABLE … OWNER TO {owner}`")
        forms += UnsupportedForms.tags("\(name) has no tags in SQL: a tags template has nothing to run")
        return forms
    }

    public static func postgres(_ options: DialectOptions) -> Dialect {
        // With standard_conforming_strings off, backslash escapes apply to plain '…' too.
        let plain = StringLiteralKind(name: "standard", escapes: options.standardConformingStrings ? .doubling : .both)
        let lexical = LexicalRules(
            name: "postgres",
            strings: [
                StringLiteralKind(name: "escape", prefix: "E", escapes: .both),
                StringLiteralKind.unicodeEscape,
                StringLiteralKind(name: "national", prefix: "N", escapes: plain.escapes),
                .bits, .hex, plain,
            ],
            identifierQuotes: [.doubleQuote],
            comments: .nesting,
            dollarQuoting: .tagged)
        var dialect = Dialect(
            id: .postgres, displayName: "PostgreSQL", options: options, lexical: lexical,
            identifiers: IdentifierRules(
                plainStart: .wordStart, plainContinue: ByteSet.word.union(ByteSet("$")), plainAllowsNonASCII: true,
                folding: .lower, maxLength: 63, lengthUnit: .bytes, reserved: postgresReserved),
            tagsListForm: nil,
            statementForms: postgresForms(schemaComments: true))
        dialect.pinnedSessionSettings = .postgres
        return dialect
    }

    public static func redshift(_ options: DialectOptions) -> Dialect {
        // Redshift treats backslash as an escape in plain literals and has no E'' strings.
        let plain = StringLiteralKind.backslashSingle
        let lexical = LexicalRules(
            name: "redshift", strings: [.national, .hex, plain], identifierQuotes: [.doubleQuote],
            comments: .nesting, dollarQuoting: .tagged)
        var dialect = Dialect(
            id: .redshift, displayName: "Amazon Redshift", options: options, lexical: lexical,
            identifiers: IdentifierRules(
                plainStart: .wordStart, plainContinue: ByteSet.word.union(ByteSet("$")), plainAllowsNonASCII: true,
                folding: .lower, maxLength: 127, lengthUnit: .bytes, reserved: postgresReserved,
                allowsControlCharacters: false),
            tagsListForm: nil,
            statementForms: postgresForms(schemaComments: false))
        dialect.pinnedSessionSettings = .postgres
        return dialect
    }
}
