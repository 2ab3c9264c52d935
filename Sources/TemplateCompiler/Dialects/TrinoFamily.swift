/// Trino, and Athena, whose DDL follows Hive's lexical rules and DML Trino's:
/// docs/dialects.md.
extension Dialects {
    static let trinoReserved: Set<String> = standardReservedWords.union([
        "CUBE", "CURRENT_CATALOG", "CURRENT_PATH", "CURRENT_ROLE", "CURRENT_SCHEMA", "DEALLOCATE", "DESCRIBE",
        "EXECUTE", "EXTRACT", "GROUPING", "JSON_ARRAY", "JSON_EXISTS", "JSON_OBJECT", "JSON_QUERY", "JSON_TABLE",
        "JSON_VALUE", "LISTAGG", "LOCALTIME", "LOCALTIMESTAMP", "NORMALIZE", "PREPARE", "RECURSIVE", "ROLLUP",
        "SKIP", "TABLE", "TRIM", "UESCAPE", "UNNEST",
    ])

    static let trinoLexical = LexicalRules(
        name: "trino", strings: [.unicodeEscape, .hex, .standard], identifierQuotes: [.doubleQuote], comments: .standard)

    public static func trino(_ options: DialectOptions) -> Dialect {
        Dialect(
            id: .trino, displayName: "Trino", options: options, lexical: trinoLexical,
            identifiers: IdentifierRules(
                plainStart: .wordStart, plainContinue: .word, plainAllowsNonASCII: false, folding: .lower,
                maxLength: 255, lengthUnit: .characters, reserved: trinoReserved),
            tagsListForm: nil,
            statementForms: [
                .init("COMMENT ON TABLE|VIEW <target> IS NULL", .removeDescription, .table),
                .init("COMMENT ON TABLE|VIEW <target> IS <value>", .setDescription, .table),
                .init("COMMENT ON COLUMN <target> IS NULL", .removeDescription, .column),
                .init("COMMENT ON COLUMN <target> IS <value>", .setDescription, .column),
                .init("ALTER SCHEMA <target> SET AUTHORIZATION [ USER|ROLE ] <name>", .setOwner, .schema),
                .init("ALTER TABLE|VIEW <target> SET AUTHORIZATION [ USER|ROLE ] <name>", .setOwner, .table),
                .unsupported("COMMENT ON SCHEMA|CATALOG|DATABASE ...", .setDescription, .schema,
                             "Trino has no schema or catalog comment; COMMENT ON takes TABLE, VIEW and COLUMN"),
            ] + UnsupportedForms.ownerTo("Trino transfers ownership with `ALTER SCHEMA|TABLE … SET AUTHORIZATION {owner}`")
              + UnsupportedForms.otherOwnerSyntax("Trino transfers ownership with `ALTER SCHEMA|TABLE … SET AUTHORIZATION {owner}`", setAuthorization: false)
              + UnsupportedForms.tags("Trino has no tags: a tags template has nothing to run"),
            batching: .one(why: "Trino's client protocol runs one statement per query"))
    }

    public static func athena(_ options: DialectOptions) -> Dialect {
        // Hive: '…' and "…" with C-style backslash escapes, backtick names.
        let hive = LexicalRules(
            name: "athena-ddl",
            strings: [StringLiteralKind(name: "standard", escapes: .backslashOnly),
                      StringLiteralKind(name: "double-quoted", quote: UInt8(ascii: "\""), escapes: .backslashOnly)],
            identifierQuotes: [.backtick], comments: .standard)
        var dml = trinoLexical
        dml.name = "athena-dml"
        return Dialect(
            id: .athena, displayName: "Amazon Athena", options: options, lexical: dml, ddlLexical: hive,
            ddlKeywords: ["ALTER", "CREATE", "DROP", "MSCK", "SHOW", "DESCRIBE", "DESC"],
            identifiers: IdentifierRules(
                plainStart: ByteSet.lowercase.union(.underscore), plainContinue: ByteSet.lowercase.union(.digits).union(.underscore),
                plainAllowsNonASCII: false, folding: .lower, maxLength: 255, lengthUnit: .characters, reserved: trinoReserved,
                strictPatternDescription: "^[a-z_][a-z0-9_]*$"),
            tagsListForm: nil,
            statementForms: [
                .init("ALTER TABLE <target> SET TBLPROPERTIES ( 'comment' = <value> ...", .setDescription, .table),
                .init("ALTER TABLE <target> CHANGE [ COLUMN ] <name> COMMENT <value> ...", .setDescription, .column,
                      definitionRequired: "Athena's CHANGE COLUMN takes the old name, the new name and the column type: `CHANGE COLUMN {column} {column} string COMMENT {description}`"),
                .init("ALTER TABLE <target> CHANGE [ COLUMN ] <name> <name> * COMMENT <value> ...", .setDescription, .column,
                      note: "the column type must be restated",
                      definitionRequired: "Athena's CHANGE COLUMN needs the column type after the new name (`CHANGE COLUMN {column} {column} string COMMENT {description}`), or the statement fails"),
                .init("ALTER DATABASE|SCHEMA <target> SET DBPROPERTIES ( 'comment' = <value> ...", .setDescription, .database),
            ] + UnsupportedForms.commentOn("Athena has no COMMENT ON: use `ALTER TABLE … SET TBLPROPERTIES ('comment' = {description})`")
              + UnsupportedForms.owners("Athena has no owners in SQL (ownership is Glue / Lake Formation)")
              + UnsupportedForms.tags("Athena has no tags in SQL: use TBLPROPERTIES, or Glue resource tags outside SQL"),
            batching: .one(why: "Athena's StartQueryExecution runs one statement per request"))
    }
}
