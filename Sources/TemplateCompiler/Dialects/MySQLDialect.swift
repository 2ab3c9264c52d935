/// MySQL and MariaDB: docs/dialects.md.
extension Dialects {
    static let mysqlReserved: Set<String> = standardReservedWords.union([
        "ACCESSIBLE", "ADD", "ANALYZE", "BEFORE", "BIGINT", "BINARY", "BLOB", "CALL", "CASCADE", "CHANGE", "CHAR",
        "CHARACTER", "COLLATE", "CONDITION", "CONTINUE", "CONVERT", "CURSOR", "DATABASE", "DATABASES", "DAY_HOUR",
        "DECIMAL", "DECLARE", "DELAYED", "DESCRIBE", "DETERMINISTIC", "DISTINCTROW", "DIV", "DOUBLE", "DUAL", "EACH",
        "ELSEIF", "ENCLOSED", "ESCAPED", "EXIT", "EXPLAIN", "FLOAT", "FORCE", "FULLTEXT", "GENERATED", "GET",
        "GROUPS", "HIGH_PRIORITY", "IF", "IGNORE", "INDEX", "INFILE", "INOUT", "INT", "INTEGER", "INTERVAL",
        "ITERATE", "KEY", "KEYS", "KILL", "LEAVE", "LINEAR", "LINES", "LOAD", "LOCK", "LONG", "LOOP", "MATCH",
        "MODIFIES", "NO_WRITE_TO_BINLOG", "NUMERIC", "OPTIMIZE", "OPTION", "OPTIONALLY", "OUT", "OUTFILE",
        "PARTITION", "PRECISION", "PROCEDURE", "PURGE", "RANGE", "READ", "READS", "REAL", "REGEXP", "RELEASE",
        "RENAME", "REPEAT", "REPLACE", "REQUIRE", "RESIGNAL", "RESTRICT", "RETURN", "REVOKE", "RLIKE", "SCHEMA",
        "SCHEMAS", "SENSITIVE", "SEPARATOR", "SHOW", "SIGNAL", "SMALLINT", "SPATIAL", "SPECIFIC", "SQL",
        "SQLEXCEPTION", "SQLSTATE", "SQLWARNING", "SSL", "STARTING", "STORED", "STRAIGHT_JOIN", "TERMINATED",
        "TINYINT", "TRIGGER", "UNDO", "UNLOCK", "UNSIGNED", "USAGE", "USE", "UTC_DATE", "UTC_TIME",
        "UTC_TIMESTAMP", "VARBINARY", "VARCHAR", "VARYING", "VIRTUAL", "WHILE", "WINDOW", "WRITE", "XOR",
        "YEAR_MONTH", "ZEROFILL", "FUNCTION", "RANK", "ROW", "ROWS",
    ])

    public static func mysql(_ options: DialectOptions) -> Dialect {
        // NO_BACKSLASH_ESCAPES makes backslash an ordinary character; only '' escapes a quote.
        let escapes: EscapeSyntax = options.noBackslashEscapes ? .doubling : .both
        // The quote is always doubled, never written `\'`, and nothing else gets a backslash but the
        // backslash itself: `''` means a quote in both modes, so a session whose sql_mode differs from
        // the options can at worst double a backslash, never end the literal early (issue 13).
        func kind(_ name: String, prefix: String = "", quote: UInt8) -> StringLiteralKind {
            StringLiteralKind(name: name, prefix: prefix, quote: quote, escapes: escapes)
        }
        let single = kind("standard", quote: UInt8(ascii: "'"))
        // Without ANSI_QUOTES, "…" is a string too (templatec never emits it: ANSI_QUOTES makes it a name).
        let double = kind("double-quoted", quote: UInt8(ascii: "\""))
        let national = kind("national", prefix: "N", quote: UInt8(ascii: "'"))
        let lexical = LexicalRules(
            name: "mysql",
            strings: [national, .hex, .bits, single, double],
            identifierQuotes: [.backtick],
            comments: CommentSyntax(
                lineMarkers: [.init("#"), .init("--", needsFollowingSpace: true)],
                blockCommentsNest: false, executableComments: true))
        var identifiers = IdentifierRules(
            // MySQL accepts digit- and `$`-leading unquoted names, but `1e5` is a number and a leading
            // `$` is deprecated (8.0.32): such names are written quoted.
            plainStart: .wordStart, plainContinue: ByteSet.word.union(ByteSet("$")),
            plainAllowsNonASCII: true, folding: .none, maxLength: 64, lengthUnit: .characters,
            reserved: mysqlReserved, allowsSupplementaryCharacters: false)
        // "Database, table, and column names cannot end with space characters."
        identifiers.allowsTrailingSpace = false
        var dialect = Dialect(
            id: .mysql, displayName: "MySQL / MariaDB", options: options, lexical: lexical,
            identifiers: identifiers,
            tagsListForm: nil,
            statementForms: [
                .init("ALTER TABLE <target> COMMENT [ = ] <value>", .setDescription, .table),
                .init("ALTER TABLE <target> MODIFY [ COLUMN ] <name> * COMMENT <value> ...", .setDescription, .column,
                      note: "the full column definition must be restated or it is lost",
                      definitionRequired: "MySQL's MODIFY COLUMN replaces the whole column definition: restate the type and attributes before COMMENT (`MODIFY COLUMN {column} VARCHAR(255) NOT NULL COMMENT {description}`), or the statement fails"),
                .init("ALTER TABLE <target> CHANGE [ COLUMN ] <name> COMMENT <value> ...", .setDescription, .column,
                      definitionRequired: "MySQL's CHANGE COLUMN takes the old name, the new name and the whole column definition: `CHANGE COLUMN {column} {column} VARCHAR(255) NOT NULL COMMENT {description}`"),
                .init("ALTER TABLE <target> CHANGE [ COLUMN ] <name> <name> * COMMENT <value> ...", .setDescription, .column,
                      note: "the full column definition must be restated or it is lost",
                      definitionRequired: "MySQL's CHANGE COLUMN replaces the whole column definition: restate the type and attributes after the new name (`CHANGE COLUMN {column} {column} VARCHAR(255) NOT NULL COMMENT {description}`), or the statement fails"),
                .init("ALTER DATABASE|SCHEMA <target> COMMENT [ = ] <value>", .setDescription, .database,
                      note: "MariaDB 10.5 and later; MySQL has no database comment"),
            ] + UnsupportedForms.commentOn("MySQL has no COMMENT ON: use `ALTER TABLE … COMMENT = {description}`, or MODIFY COLUMN with the full definition for a column")
              + UnsupportedForms.owners("MySQL has no object owners (DEFINER applies only to views and routines): an owner template has nothing to run")
              + UnsupportedForms.tags("MySQL has no tags: a tags template has nothing to run"),
            textLimits: [
                TextLimit([.description], levels: [.table], maximum: 2048, unit: .characters, what: "a MySQL table comment", basicMultilingualPlaneOnly: true),
                TextLimit([.description], levels: [.column], maximum: 1024, unit: .characters, what: "a MySQL column comment", basicMultilingualPlaneOnly: true),
                TextLimit([.description], levels: [.database], maximum: 1024, unit: .characters, what: "a MariaDB database comment", basicMultilingualPlaneOnly: true),
            ])
        // The mariadb session's SET NAMES utf8mb4, its sql_mode and its timeouts.
        dialect.pinnedSessionSettings = PinnedSessionSettings(
            names: ["SQL_MODE", "CHARACTER_SET_CLIENT", "CHARACTER_SET_CONNECTION", "CHARACTER_SET_RESULTS", "COLLATION_CONNECTION",
                    "MAX_STATEMENT_TIME", "LOCK_WAIT_TIMEOUT"],
            phrases: [["SET", "NAMES"], ["SET", "CHARACTER", "SET"], ["SET", "CHARSET"], ["SET", "CHAR", "SET"]])
        return dialect
    }
}
