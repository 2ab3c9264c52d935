/// Oracle Database: docs/dialects.md.
extension Dialects {
    static let oracleReserved: Set<String> = standardReservedWords.union([
        "ACCESS", "ADD", "AUDIT", "CHAR", "CLUSTER", "COLUMN", "COMMENT", "COMPRESS", "CONNECT", "CURRENT", "DATE",
        "DECIMAL", "EXCLUSIVE", "FILE", "FLOAT", "IDENTIFIED", "IMMEDIATE", "INCREMENT", "INDEX", "INITIAL",
        "INTEGER", "LEVEL", "LOCK", "LONG", "MAXEXTENTS", "MINUS", "MLSLABEL", "MODE", "MODIFY", "NOAUDIT",
        "NOCOMPRESS", "NOWAIT", "NUMBER", "OF", "OFFLINE", "ONLINE", "OPTION", "PCTFREE", "PRIOR", "PUBLIC", "RAW",
        "RENAME", "RESOURCE", "REVOKE", "ROW", "ROWID", "ROWNUM", "ROWS", "SESSION", "SHARE", "SIZE", "SMALLINT",
        "START", "SUCCESSFUL", "SYNONYM", "SYSDATE", "TRIGGER", "UID", "VALIDATE", "VARCHAR", "VARCHAR2", "VIEW",
        "WHENEVER",
    ])

    public static func oracle(_ options: DialectOptions) -> Dialect {
        let lexical = LexicalRules(
            name: "oracle", strings: [.national, .standard], identifierQuotes: [.doubleQuote],
            comments: .standard, alternativeQuoting: true)
        return Dialect(
            id: .oracle, displayName: "Oracle", options: options, lexical: lexical,
            identifiers: IdentifierRules(
                plainStart: .letters, plainContinue: ByteSet.word.union(ByteSet("$#")), plainAllowsNonASCII: false,
                folding: .upper, maxLength: 128, lengthUnit: .bytes, reserved: oracleReserved,
                forbiddenCharacters: [("\"", "Oracle identifiers cannot contain a double quote, quoted or not")]),
            tagsListForm: nil,
            statementForms: [
                .init("COMMENT ON TABLE <target> IS ''", .removeDescription, .table),
                .init("COMMENT ON TABLE <target> IS <value>", .setDescription, .table),
                .init("COMMENT ON MATERIALIZED VIEW <target> IS ''", .removeDescription, .table),
                .init("COMMENT ON MATERIALIZED VIEW <target> IS <value>", .setDescription, .table),
                .init("COMMENT ON COLUMN <target> IS ''", .removeDescription, .column),
                .init("COMMENT ON COLUMN <target> IS <value>", .setDescription, .column),
                .unsupported("COMMENT ON SCHEMA|DATABASE|USER ...", .setDescription, .schema,
                             "Oracle has no schema or database comment; COMMENT ON takes TABLE, COLUMN, MATERIALIZED VIEW and others"),
            ] + UnsupportedForms.owners("Oracle has no ownership transfer: objects belong to the schema that holds them")
              + UnsupportedForms.tags("Oracle has no tags in SQL that templatec knows (23ai annotations are not verified)"),
            textLimits: [TextLimit([.description], maximum: 4000, unit: .bytes, what: "an Oracle comment")],
            trailingSemicolonRefusal: "Oracle's drivers send one statement without its `;` and refuse it with ORA-00933 or ORA-00911 (only a PL/SQL block ends with `END;`)")
    }
}
