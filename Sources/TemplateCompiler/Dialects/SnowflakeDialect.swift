/// Snowflake: docs/dialects.md.
extension Dialects {
    static let snowflakeReserved: Set<String> = standardReservedWords.union([
        "ACCOUNT", "CONNECT", "CONNECTION", "CURRENT", "DATABASE", "GSCLUSTER", "ILIKE", "INCREMENT", "ISSUE",
        "LATERAL", "LOCALTIME", "LOCALTIMESTAMP", "MINUS", "OF", "ORGANIZATION", "QUALIFY", "REGEXP", "REVOKE",
        "RLIKE", "ROW", "ROWS", "SAMPLE", "SCHEMA", "START", "TABLESAMPLE", "TRIGGER", "TRY_CAST", "VIEW",
    ])

    public static func snowflake(_ options: DialectOptions) -> Dialect {
        let lexical = LexicalRules(
            name: "snowflake", strings: [.hex, .backslashSingle], identifierQuotes: [.doubleQuote],
            comments: CommentSyntax(lineMarkers: [.init("--"), .init("//")], blockCommentsNest: false),
            dollarQuoting: .untaggedOnly)
        return Dialect(
            id: .snowflake, displayName: "Snowflake", options: options, lexical: lexical,
            identifiers: IdentifierRules(
                plainStart: .wordStart, plainContinue: ByteSet.word.union(ByteSet("$")), plainAllowsNonASCII: false,
                folding: .upper, maxLength: 255, lengthUnit: .characters, reserved: snowflakeReserved),
            tagsListForm: nil,
            statementForms: [
                .init("COMMENT [ IF EXISTS ] ON DATABASE <target> IS <value>", .setDescription, .database),
                .init("COMMENT [ IF EXISTS ] ON SCHEMA <target> IS <value>", .setDescription, .schema),
                .init("COMMENT [ IF EXISTS ] ON TABLE|VIEW <target> IS <value>", .setDescription, .table),
                .init("COMMENT [ IF EXISTS ] ON MATERIALIZED|DYNAMIC|EXTERNAL VIEW|TABLE <target> IS <value>", .setDescription, .table),
                .init("COMMENT [ IF EXISTS ] ON COLUMN <target> IS <value>", .setDescription, .column),
                .init("ALTER DATABASE [ IF EXISTS ] <target> SET COMMENT = <value>", .setDescription, .database),
                .init("ALTER SCHEMA [ IF EXISTS ] <target> SET COMMENT = <value>", .setDescription, .schema),
                .init("ALTER TABLE|VIEW [ IF EXISTS ] <target> SET COMMENT = <value>", .setDescription, .table),
                .init("ALTER DATABASE [ IF EXISTS ] <target> UNSET COMMENT", .removeDescription, .database),
                .init("ALTER SCHEMA [ IF EXISTS ] <target> UNSET COMMENT", .removeDescription, .schema),
                .init("ALTER TABLE|VIEW [ IF EXISTS ] <target> UNSET COMMENT", .removeDescription, .table),
                .init("ALTER TABLE [ IF EXISTS ] <target> ALTER|MODIFY [ COLUMN ] <name> UNSET COMMENT", .removeDescription, .column),
                .init("ALTER TABLE [ IF EXISTS ] <target> ALTER|MODIFY [ COLUMN ] <name> COMMENT <value>", .setDescription, .column),
                .init("ALTER TABLE [ IF EXISTS ] <target> ALTER|MODIFY [ COLUMN ] <name> SET TAG ...", .setTag, .column),
                .init("ALTER TABLE [ IF EXISTS ] <target> ALTER|MODIFY [ COLUMN ] <name> UNSET TAG ...", .unsetTag, .column),
                .init("GRANT OWNERSHIP ON DATABASE <target> TO [ DATABASE ] [ ROLE ] <name> ...", .setOwner, .database),
                .init("GRANT OWNERSHIP ON SCHEMA <target> TO [ DATABASE ] [ ROLE ] <name> ...", .setOwner, .schema),
                .init("GRANT OWNERSHIP ON TABLE|VIEW <target> TO [ DATABASE ] [ ROLE ] <name> ...", .setOwner, .table),
                .init("ALTER DATABASE [ IF EXISTS ] <target> SET TAG ...", .setTag, .database),
                .init("ALTER SCHEMA [ IF EXISTS ] <target> SET TAG ...", .setTag, .schema),
                .init("ALTER TABLE [ IF EXISTS ] <target> SET TAG ...", .setTag, .table),
                .init("ALTER DATABASE [ IF EXISTS ] <target> UNSET TAG ...", .unsetTag, .database),
                .init("ALTER SCHEMA [ IF EXISTS ] <target> UNSET TAG ...", .unsetTag, .schema),
                .init("ALTER TABLE [ IF EXISTS ] <target> UNSET TAG ...", .unsetTag, .table),
            ] + UnsupportedForms.ownerTo("Snowflake transfers ownership with `GRANT OWNERSHIP ON DATABASE|SCHEMA|TABLE … TO ROLE {owner} COPY CURRENT GRANTS`")
              + UnsupportedForms.otherOwnerSyntax("Snowflake transfers ownership with `GRANT OWNERSHIP ON … TO ROLE {owner}`", grantOwnership: false)
              + UnsupportedForms.tags("Snowflake sets one tag per clause: `ALTER … SET TAG {tag_key} = {tag_value}` (SET TAGS and SET TAG ON are Databricks syntax)"),
            batching: .one(why: "the Snowflake SQL API runs one statement per request unless MULTI_STATEMENT_COUNT is set for it"),
            textLimits: [TextLimit([.tagValue], updates: [.tags], maximum: 256, unit: .characters, what: "a Snowflake tag value")])
    }
}
