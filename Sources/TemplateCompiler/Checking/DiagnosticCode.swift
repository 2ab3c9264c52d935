/// A stable diagnostic code with its documentation and examples. Every code has a page in
/// `docs/rules/<CODE>.md`; its tests are generated from `triggering` and `nonTriggering`.
///
/// An example is a whole template; its context comes from a `-- templatec:` directive in it.
public struct DiagnosticCode: Hashable, Sendable {
    public let id: String
    /// A short kebab-case name (`unknown-variable`), for SARIF and `templatec rules`.
    public let name: String
    public let severity: Severity
    /// One line: what the code reports.
    public let summary: String
    /// Why it matters and what to do.
    public let explanation: String
    public let triggering: [String]
    public let nonTriggering: [String]

    public init(_ id: String, _ name: String, _ severity: Severity, _ summary: String, _ explanation: String,
                triggering: [String], nonTriggering: [String]) {
        self.id = id
        self.name = name
        self.severity = severity
        self.summary = summary
        self.explanation = explanation
        self.triggering = triggering
        self.nonTriggering = nonTriggering
    }

    public static func == (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.id == b.id }
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// Every code templatec can report. Codes are never reused or renumbered.
public enum DiagnosticCatalog {
    /// Codes contributed by other parts of the compiler register here (see `allCodes`).
    public static var all: [DiagnosticCode] {
        templateLanguage + lexical + context + StatementRules.codes + RenderingCodes.all
            + ConnectorRules.codes
    }

    public static func code(_ id: String) -> DiagnosticCode? {
        let upper = id.uppercased()
        return all.first { $0.id == upper || $0.name == id.lowercased() }
    }

    static let templateLanguage: [DiagnosticCode] = [
        .unterminatedPlaceholder, .loneClosingBrace, .conversion, .formatSpec, .positionalField, .attributeAccess,
        .spaceInPlaceholder, .invalidName, .unknownVariable,
    ]
    static let lexical: [DiagnosticCode] = [
        .unterminatedString, .unterminatedIdentifier, .unterminatedComment, .unterminatedDollarQuote, .newlineInString,
        .invalidText,
    ]
    static let context: [DiagnosticCode] = [
        .contextInferred, .variableNotInUpdate, .variableNotAtLevel, .placeholderInComment, .tagsWithoutListForm,
        .gluedPlaceholder, .unescapableContext, .dollarQuotedPlaceholder, .tagsNotInListPosition, .noDialect,
        .invalidDirective, .emptyTemplate,
    ]
}

// MARK: - The template language (Python str.format compatibility)

extension DiagnosticCode {
    public static let unterminatedPlaceholder = DiagnosticCode(
        "TPL001", "unterminated-placeholder", .error,
        "A `{` opens a placeholder that is not closed on its line.",
        "Templates use Python `str.format` syntax: `{` always starts a placeholder. A brace meant literally is written `{{` (and `}}`).",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};",
                        "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS '{{not a placeholder}}';"])

    public static let loneClosingBrace = DiagnosticCode(
        "TPL002", "lone-closing-brace", .error,
        "A single `}` that closes no placeholder.",
        "Python's `str.format` refuses a single `}`. Write `}}` for a literal brace.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS '}}';"])

    public static let conversion = DiagnosticCode(
        "TPL003", "conversion", .error,
        "A conversion such as `{description!r}`.",
        "`!r` and `!s` change how Python prints a value; templatec instead escapes each value for the exact place it stands, so conversions are refused rather than silently ignored. Write the bare placeholder.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description!r};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};"])

    public static let formatSpec = DiagnosticCode(
        "TPL004", "format-spec", .error,
        "A format specification such as `{description:>20}`.",
        "Padding, width and precision would change or cut a value. A value is always rendered whole.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description:>20};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};"])

    public static let positionalField = DiagnosticCode(
        "TPL005", "positional-field", .error,
        "An empty or positional placeholder: `{}` or `{0}`.",
        "The sync engine passes variables by name only. Name the variable: `{table}`.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {} IS {description};",
                     "-- templatec: dialect=postgres\nCOMMENT ON TABLE {0} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};"])

    public static let attributeAccess = DiagnosticCode(
        "TPL006", "attribute-access", .error,
        "Attribute or index access in a placeholder: `{table.name}`, `{table[0]}`.",
        "Variables are plain values with no attributes. `{table.name}` would fail at render time in Python; use `{table}`.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table.name} IS {description};",
                     "-- templatec: dialect=postgres\nCOMMENT ON TABLE {table[0]} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{table} IS {description};"])

    public static let spaceInPlaceholder = DiagnosticCode(
        "TPL007", "space-in-placeholder", .error,
        "Spaces inside the braces: `{ table }`.",
        "In Python `{ table }` looks up a variable named ` table ` (with the spaces), which does not exist. Remove the spaces.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE { table } IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};"])

    public static let invalidName = DiagnosticCode(
        "TPL008", "invalid-placeholder-name", .error,
        "Text between braces that is not a variable name: `{my-table}`, `{$x}`.",
        "Variable names are letters, digits and underscores. If the braces are meant literally (JSON in a string, say), double them: `{{` and `}}`.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {my-table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS '{{\"json\": 1}}';"])

    public static let unknownVariable = DiagnosticCode(
        "TPL009", "unknown-variable", .error,
        "A placeholder names no variable: `{descripton}`, `{catalog}`.",
        "The variables are database, schema, table, column, description, owner, tag_key, tag_value and tags. A close name gets a suggestion and a fix.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {descripton};",
                     "-- templatec: dialect=trino\nCOMMENT ON TABLE {catalog}.{schema}.{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=trino\nCOMMENT ON TABLE {database}.{schema}.{table} IS {description};"])
}

// MARK: - Lexical structure of the SQL

extension DiagnosticCode {
    public static let unterminatedString = DiagnosticCode(
        "LEX101", "unterminated-string", .error,
        "A string literal that is never closed.",
        "Everything after the opening quote would be part of the literal. The diagnostic points at the opening quote; close the literal.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS 'unfinished;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS 'it''s finished';"])

    public static let unterminatedIdentifier = DiagnosticCode(
        "LEX102", "unterminated-identifier", .error,
        "A quoted identifier that is never closed.",
        "The quote that opens a name (`\"`, a backtick, `[`) must be closed. The diagnostic points at the opening quote.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE \"{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE \"{table}\" IS {description};"])

    public static let unterminatedComment = DiagnosticCode(
        "LEX103", "unterminated-comment", .error,
        "A block comment that is never closed, counting nesting where the dialect nests comments.",
        "PostgreSQL, T-SQL, ClickHouse and Spark nest `/* */` comments: `/* a /* b */` is still open. MySQL's executable `/*! … */` must be closed too.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\n/* outer /* inner */\nCOMMENT ON TABLE {table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=mysql update=description level=table\n/* outer /* inner */\nALTER TABLE {table} COMMENT = {description};"])

    public static let unterminatedDollarQuote = DiagnosticCode(
        "LEX104", "unterminated-dollar-quote", .error,
        "A dollar-quoted string (`$tag$…`) whose closing tag never comes.",
        "Dollar quotes end only at the same tag. The diagnostic points at the opening tag.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS $x$ text;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS $x$ text $x$;"])

    public static let newlineInString = DiagnosticCode(
        "LEX105", "newline-in-string", .error,
        "A raw newline inside a one-line string literal (BigQuery).",
        "BigQuery's quoted strings cannot contain newlines, even escaped with a backslash. Write `\\n`, or use a triple-quoted string.",
        triggering: ["-- templatec: dialect=bigquery update=description level=table\nALTER TABLE {table} SET OPTIONS (description = 'two\nlines');"],
        nonTriggering: ["-- templatec: dialect=bigquery update=description level=table\nALTER TABLE {table} SET OPTIONS (description = '''two\nlines''');"])

    public static let invalidText = DiagnosticCode(
        "LEX106", "invalid-text", .error,
        "The template holds a NUL byte or bytes that are not UTF-8.",
        "Templates are UTF-8 text. A NUL byte cannot be sent to most engines and invalid UTF-8 cannot be shown or escaped reliably. Save the file as UTF-8 without control bytes.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};\u{0}"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description}; -- déjà vu"])
}

// MARK: - Variables, contexts and the update context

extension DiagnosticCode {
    public static let contextInferred = DiagnosticCode(
        "CTX200", "context-inferred", .info,
        "The update context (update kinds, levels) was inferred, not declared.",
        "Without a directive, flags or config, templatec infers which updates and levels a template serves from its statements (or its variables). Declaring it makes every other check exact: `-- templatec: dialect=postgres update=description level=table`.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};"])

    public static let variableNotInUpdate = DiagnosticCode(
        "CTX201", "variable-not-in-update", .error,
        "A variable the update kind does not provide: `{description}` in an owner template.",
        "Each update provides its own variables: description → {description}; owner → {owner}; tags → {tag_key}, {tag_value}, {tags}. A missing variable fails every render.",
        triggering: ["-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {table} OWNER TO {owner}; COMMENT ON TABLE {table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {schema}.{table} OWNER TO {owner};"])

    public static let variableNotAtLevel = DiagnosticCode(
        "CTX202", "variable-not-at-level", .error,
        "A variable the level does not provide: `{column}` at table level, `{table}` at database level.",
        "At database level only {database} names the target; schema level adds {schema}, table level {table}, column level {column}.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON COLUMN {table}.{column} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=column\nCOMMENT ON COLUMN {table}.{column} IS {description};"])

    public static let placeholderInComment = DiagnosticCode(
        "CTX203", "placeholder-in-comment", .error,
        "A placeholder inside an SQL comment.",
        "A newline in the value would end a line comment, and `*/` would end a block comment: the rest of the value would run as SQL. Move the placeholder out of the comment, or write `{{` to show literal braces.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\n-- sets the comment of {table}\nCOMMENT ON TABLE {table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\n-- sets the comment of a table\nCOMMENT ON TABLE {table} IS {description};"])

    public static let tagsWithoutListForm = DiagnosticCode(
        "CTX204", "tags-without-list-form", .error,
        "`{tags}` in a dialect that has no list form for tags.",
        "Only BigQuery (labels) and Databricks (`SET TAGS (…)`) take a list of tags in one statement. Elsewhere use {tag_key} and {tag_value}, one tag per statement.",
        triggering: ["-- templatec: dialect=snowflake update=tags level=table\nALTER TABLE {table} SET TAG {tags};"],
        nonTriggering: ["-- templatec: dialect=snowflake update=tags level=table\nALTER TABLE {table} SET TAG {tag_key} = '{tag_value}';"])

    public static let gluedPlaceholder = DiagnosticCode(
        "CTX205", "glued-placeholder", .warning,
        "A placeholder glued to identifier text: `tbl_{table}`, `{schema}{table}`.",
        "A glued name cannot be quoted, so its value must be a plain identifier of the dialect; any other value is refused at render time. Quote the whole name (`\"tbl_{table}\"`) to accept any value.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE stg_{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE \"stg_{table}\" IS {description};"])

    public static let unescapableContext = DiagnosticCode(
        "CTX206", "unescapable-context", .error,
        "A placeholder where no value can be escaped: a raw string, a byte, hex, bit or Unicode-escape literal, Oracle's `q'…'`.",
        "Nothing inside a raw string can be escaped, so a quote in the value would end it. Use the dialect's ordinary string literal, or a bare placeholder, which renders a complete, escaped literal.",
        triggering: ["-- templatec: dialect=bigquery update=description level=table\nALTER TABLE {table} SET OPTIONS (description = r'{description}');"],
        nonTriggering: ["-- templatec: dialect=bigquery update=description level=table\nALTER TABLE {table} SET OPTIONS (description = {description});"])

    public static let dollarQuotedPlaceholder = DiagnosticCode(
        "CTX207", "dollar-quoted-placeholder", .warning,
        "A placeholder inside a dollar-quoted string.",
        "Nothing in a dollar-quoted string is escaped: a value containing the closing tag is refused at render time. A bare placeholder renders a literal that accepts every value.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS $c${description}$c$;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};"])

    public static let tagsNotInListPosition = DiagnosticCode(
        "CTX208", "tags-not-in-list-position", .error,
        "`{tags}` inside a string, identifier or glued to a name.",
        "`{tags}` renders the dialect's whole list form (`[('k', 'v')]` in BigQuery, `('k' = 'v')` in Databricks): it must stand bare where the list goes.",
        triggering: ["-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{table}` SET OPTIONS (labels = '{tags}');"],
        nonTriggering: ["-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{table}` SET OPTIONS (labels = {tags});"])

    public static let noDialect = DiagnosticCode(
        "CTX209", "no-dialect", .warning,
        "No dialect was given for the template.",
        "Quoting, escaping and comments differ by dialect, so without one templatec checks with PostgreSQL's rules. Name it in a directive (`-- templatec: dialect=snowflake`), with `--dialect`, or in `.templatec.json`.",
        triggering: ["COMMENT ON TABLE {table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};"])

    public static let invalidDirective = DiagnosticCode(
        "CTX210", "invalid-directive", .error,
        "A `-- templatec:` directive with an unknown key or value.",
        "Directives take `dialect=`, `update=` (description, owner, tags), `level=` (database, schema, table, column) and dialect options; values are comma-separated.",
        triggering: ["-- templatec: dialect=postgress\nCOMMENT ON TABLE {table} IS {description};",
                     "-- templatec: dialect=postgres level=row\nCOMMENT ON TABLE {table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=column quote_identifiers=always standard_conforming_strings=off\nCOMMENT ON COLUMN {table}.{column} IS {description};"])

    public static let emptyTemplate = DiagnosticCode(
        "CTX211", "empty-template", .warning,
        "The template has no SQL statement.",
        "An empty template renders nothing, so the sync would report success without changing anything.",
        triggering: ["-- templatec: dialect=postgres\n-- nothing here\n"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};"])
}
