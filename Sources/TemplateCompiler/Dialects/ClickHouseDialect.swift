/// ClickHouse: docs/dialects.md (rules read from its lexer, src/Parsers/Lexer.cpp).
extension Dialects {
    public static func clickhouse(_ options: DialectOptions) -> Dialect {
        // Quoted identifiers are lexed by the same routine as strings: doubling or backslash.
        let dq = IdentifierQuoteKind(name: "double-quoted", open: UInt8(ascii: "\""), close: UInt8(ascii: "\""), escapes: .both)
        let bt = IdentifierQuoteKind(name: "backtick", open: UInt8(ascii: "`"), close: UInt8(ascii: "`"), escapes: .both)
        let lexical = LexicalRules(
            name: "clickhouse", strings: [.backslashSingle], identifierQuotes: [bt, dq],
            comments: CommentSyntax(
                lineMarkers: [.init("--"), .init("#!"), .init("#", needsFollowingSpace: true), .init("//")],
                blockCommentsNest: true),
            dollarQuoting: .tagged)
        var dialect = Dialect(
            id: .clickhouse, displayName: "ClickHouse", options: options, lexical: lexical,
            identifiers: IdentifierRules(
                plainStart: .wordStart, plainContinue: .word, plainAllowsNonASCII: false, folding: .none,
                maxLength: 255, lengthUnit: .bytes, reserved: standardReservedWords),
            tagsListForm: nil,
            statementForms: [
                // For the ClickHouse connector the catalog's schema is the ClickHouse database:
                // `ALTER DATABASE {schema}` is a schema-level statement.
                StatementForm(pattern: "ALTER DATABASE <target> [ ON CLUSTER <name> ] MODIFY COMMENT <value>", kind: .setDescription,
                              level: .namedByTarget(.database), note: "ClickHouse 23.x and later"),
                .init("ALTER TABLE <target> [ ON CLUSTER <name> ] MODIFY COMMENT <value>", .setDescription, .table,
                      note: "ClickHouse 23.9 and later"),
                .init("ALTER TABLE <target> [ ON CLUSTER <name> ] COMMENT COLUMN [ IF EXISTS ] <name> <value>", .setDescription, .column),
                .init("ALTER TABLE <target> [ ON CLUSTER <name> ] MODIFY COLUMN [ IF EXISTS ] <name> REMOVE COMMENT", .removeDescription, .column),
                .init("ALTER TABLE <target> [ ON CLUSTER <name> ] MODIFY COLUMN [ IF EXISTS ] <name> * COMMENT <value>", .setDescription, .column),
            ] + UnsupportedForms.commentOn("ClickHouse has no COMMENT ON: use `ALTER TABLE … MODIFY COMMENT {description}` or `COMMENT COLUMN {column} {description}`")
              + UnsupportedForms.owners("ClickHouse has no object owners: an owner template has nothing to run")
              + UnsupportedForms.tags("ClickHouse has no tags: a tags template has nothing to run"),
            batching: .one(why: "ClickHouse's HTTP interface runs one statement per request"))
        // Every request carries max_execution_time.
        dialect.pinnedSessionSettings = PinnedSessionSettings(names: ["MAX_EXECUTION_TIME"], phrases: [])
        return dialect
    }
}
