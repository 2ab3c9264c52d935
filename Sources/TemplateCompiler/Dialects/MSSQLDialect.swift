/// Microsoft SQL Server (T-SQL): docs/dialects.md.
extension Dialects {
    static let mssqlReserved: Set<String> = standardReservedWords.union([
        "ADD", "AUTHORIZATION", "BACKUP", "BEGIN", "BREAK", "BROWSE", "BULK", "CASCADE", "CHECKPOINT", "CLOSE",
        "CLUSTERED", "COALESCE", "COLLATE", "COMMIT", "COMPUTE", "CONTAINS", "CONTAINSTABLE", "CONTINUE", "CONVERT",
        "CURSOR", "DATABASE", "DBCC", "DEALLOCATE", "DECLARE", "DENY", "DISK", "DISTRIBUTED", "DOUBLE", "DUMP",
        "ERRLVL", "ESCAPE", "EXEC", "EXECUTE", "EXIT", "EXTERNAL", "FILE", "FILLFACTOR", "FREETEXT", "FUNCTION",
        "GOTO", "HOLDLOCK", "IDENTITY", "IDENTITY_INSERT", "IDENTITYCOL", "IF", "INDEX", "KEY", "KILL", "LINENO",
        "LOAD", "MERGE", "NATIONAL", "NOCHECK", "NONCLUSTERED", "NULLIF", "OF", "OFF", "OFFSETS", "OPEN",
        "OPENDATASOURCE", "OPENQUERY", "OPENROWSET", "OPENXML", "OPTION", "OVER", "PERCENT", "PIVOT", "PLAN",
        "PRINT", "PROC", "PROCEDURE", "PUBLIC", "RAISERROR", "READ", "READTEXT", "RECONFIGURE", "REPLICATION",
        "RESTORE", "RESTRICT", "RETURN", "REVERT", "REVOKE", "ROLLBACK", "ROWCOUNT", "ROWGUIDCOL", "RULE", "SAVE",
        "SCHEMA", "SECURITYAUDIT", "SEMANTICKEYPHRASETABLE", "SETUSER", "SHUTDOWN", "STATISTICS", "SYSTEM_USER",
        "TEXTSIZE", "TOP", "TRAN", "TRANSACTION", "TRIGGER", "TRUNCATE", "TRY_CONVERT", "TSEQUAL", "UNPIVOT",
        "UPDATETEXT", "USE", "VARYING", "VIEW", "WAITFOR", "WHILE", "WITHIN", "WRITETEXT",
    ])

    public static func mssql(_ options: DialectOptions) -> Dialect {
        // A backslash followed by a newline inside a literal is deleted (line continuation).
        let national = StringLiteralKind(name: "national", prefix: "N", prefixCaseSensitive: true, escapes: .doubling,
                                         backslashNewlineContinuation: true)
        let plain = StringLiteralKind(name: "standard", escapes: .doubling, backslashNewlineContinuation: true)
        let lexical = LexicalRules(
            name: "mssql",
            strings: [national, plain],
            // QUOTED_IDENTIFIER is ON in every driver: "…" is a name, like […].
            identifierQuotes: [.bracket, .doubleQuote],
            comments: .nesting,
            compoundBlock: CompoundBlockSyntax(openers: ["BEGIN", "CASE"], closer: "END",
                                               notBlockWhenFollowedBy: ["TRAN", "TRANSACTION", "DISTRIBUTED", "DIALOG", "CONVERSATION"]),
            valueLiteral: national)
        let property = "EXEC|EXECUTE * SP_ADDEXTENDEDPROPERTY|SP_UPDATEEXTENDEDPROPERTY ..."
        // `IF NOT EXISTS (…) BEGIN EXEC …sp_addextendedproperty … END ELSE BEGIN EXEC
        // …sp_updateextendedproperty … END`: the block is one statement, its level is in the
        // `@levelNtype` arguments.
        let block = "IF|BEGIN|DECLARE * EXEC|EXECUTE * SP_ADDEXTENDEDPROPERTY|SP_UPDATEEXTENDEDPROPERTY ..."
        let dropBlock = "IF|BEGIN|DECLARE * EXEC|EXECUTE * SP_DROPEXTENDEDPROPERTY ..."
        // A leading `@` names a variable and `#` a temporary table, so a name with either is written
        // quoted and means the object of that name (T-SQL would also accept `@#` later in an
        // unquoted name; quoting them is as correct and simpler to read).
        var identifiers = IdentifierRules(
            plainStart: .wordStart, plainContinue: ByteSet.word.union(ByteSet("$")),
            plainAllowsNonASCII: true, folding: .none, maxLength: 128, lengthUnit: .characters,
            reserved: mssqlReserved)
        // A regular identifier's non-ASCII characters are letters of Unicode 3.2 (and digits after
        // the first): `café` stands bare, `’` and `😀` are bracketed (found by sqlfluff's lexer in
        // GrammarOracleTests; SQL Server's documentation says the same).
        identifiers.plainNonASCIIOnlyLetters = true
        var dialect = Dialect(
            id: .mssql, displayName: "Microsoft SQL Server", options: options, lexical: lexical,
            identifiers: identifiers,
            tagsListForm: nil,
            statementForms: [
                StatementForm(pattern: "EXEC|EXECUTE * SP_DROPEXTENDEDPROPERTY ...", kind: .removeDescription,
                              level: .extendedPropertyArguments),
                StatementForm(pattern: property, kind: .setDescription, level: .extendedPropertyArguments,
                              note: "MS_Description extended property; add fails when it exists, update when it does not"),
                StatementForm(pattern: block, kind: .setDescription, level: .extendedPropertyArguments,
                              note: "add or update, chosen by the IF"),
                StatementForm(pattern: dropBlock, kind: .removeDescription, level: .extendedPropertyArguments),
                .init("ALTER AUTHORIZATION ON DATABASE :: <target> TO <name>", .setOwner, .database),
                .init("ALTER AUTHORIZATION ON SCHEMA :: <target> TO <name>", .setOwner, .schema),
                .init("ALTER AUTHORIZATION ON [ OBJECT :: ] <target> TO SCHEMA OWNER", .removeOwner, .table),
                .init("ALTER AUTHORIZATION ON [ OBJECT :: ] <target> TO <name>", .setOwner, .table),
            ] + UnsupportedForms.commentOn("SQL Server has no COMMENT ON: set the MS_Description extended property with `EXEC sys.sp_addextendedproperty` / `sp_updateextendedproperty`")
              + UnsupportedForms.ownerTo("SQL Server transfers ownership with `ALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner}`")
              + UnsupportedForms.otherOwnerSyntax("SQL Server transfers ownership with `ALTER AUTHORIZATION ON … TO {owner}`", authorization: false)
              + UnsupportedForms.tags("SQL Server has no tags in SQL: a tags template has nothing to run"),
            // sql_variant holds at most 8016 bytes, of which an extended property value may use
            // 7,500; an N'…' value is nvarchar, two bytes per UTF-16 unit.
            textLimits: [TextLimit([.description], maximum: 7500, unit: .utf16Bytes, what: "an MS_Description extended property")])
        // sqlcmd and SSMS end a batch at a `GO` line; the server never sees it.
        dialect.clientBatchSeparator = "GO"
        return dialect
    }
}
