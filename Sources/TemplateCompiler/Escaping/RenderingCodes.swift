/// Codes reported when a value cannot be rendered (validation and escaping refusals) or a
/// compiled artifact cannot be used. They are render-time codes: a template alone never triggers
/// them, so their examples are (template, value) pairs in `RenderingCodes.examples`, tested by
/// `RenderingCodeExampleTests`, and their `triggering`/`nonTriggering` template lists are empty.
public enum RenderingCodes {
    public static let all: [DiagnosticCode] = [
        .nulInValue, .invalidUnicodeInValue, .nameTooLong, .emptyName, .forbiddenInName, .gluedValueNotPlain,
        .nameOutsidePattern, .valueTooLong, .dollarTagInValue, .unescapableSequence, .invalidTag, .invalidTagList,
        .missingValue, .unsupportedArtifact, .invalidRequest, .characterNotStorable,
    ]

    /// A template, the value that triggers the code, and one that does not.
    public struct Example: Sendable {
        public let code: String
        public let template: String
        public let variable: Variable
        public let triggering: String
        public let nonTriggering: String
        /// For `{tags}`: the list, as (key, value) pairs, for each case.
        public let triggeringTags: [(key: String, value: String)]
        public let nonTriggeringTags: [(key: String, value: String)]

        init(_ code: DiagnosticCode, _ template: String, _ variable: Variable, bad: String, good: String,
             badTags: [(key: String, value: String)] = [], goodTags: [(key: String, value: String)] = []) {
            self.code = code.id
            self.template = template
            self.variable = variable
            self.triggering = bad
            self.nonTriggering = good
            self.triggeringTags = badTags
            self.nonTriggeringTags = goodTags
        }
    }

    /// One example per value code (RND314 concerns artifacts: see its docs page).
    public static let examples: [Example] = [
        Example(.nulInValue, "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};",
                .description, bad: "nul\u{0}here", good: "no nul here"),
        Example(.nameTooLong, "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};",
                .table, bad: String(repeating: "t", count: 64), good: String(repeating: "t", count: 63)),
        Example(.emptyName, "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};",
                .table, bad: "", good: "orders"),
        Example(.forbiddenInName, "-- templatec: dialect=oracle update=description level=table\nCOMMENT ON TABLE {table} IS {description}",
                .table, bad: "say \"hi\"", good: "say hi"),
        Example(.gluedValueNotPlain, "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE stg_{table} IS {description};",
                .table, bad: "orders; DROP TABLE x", good: "orders"),
        Example(.nameOutsidePattern, "-- templatec: dialect=athena update=description level=table\nALTER TABLE {table} SET TBLPROPERTIES ('comment' = {description});",
                .table, bad: "Orders", good: "orders"),
        Example(.valueTooLong, "-- templatec: dialect=mysql update=description level=table\nALTER TABLE {table} COMMENT = {description};",
                .description, bad: String(repeating: "x", count: 2049), good: String(repeating: "x", count: 2048)),
        Example(.dollarTagInValue, "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS $c${description}$c$;",
                .description, bad: "costs $c$5", good: "costs $5"),
        Example(.unescapableSequence, "-- templatec: dialect=mssql update=description level=table\nEXEC sp_addextendedproperty @name = N'MS_Description', @value = {description}, @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = {table};",
                .description, bad: "C:\\temp\\\nnext line", good: "C:\\temp\\ next line"),
        Example(.invalidTag, "-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{table}` SET OPTIONS (labels = {tags});",
                .tags, bad: "", good: "", badTags: [("Cost Center", "finance")], goodTags: [("cost-center", "finance")]),
        Example(.invalidTagList, "-- templatec: dialect=databricks update=tags level=table\nALTER TABLE {table} SET TAGS {tags};",
                .tags, bad: "", good: "", badTags: [], goodTags: [("owner", "finance")]),
        Example(.characterNotStorable, "-- templatec: dialect=mysql update=description level=table\nALTER TABLE {table} COMMENT = {description};",
                .description, bad: "shipped \u{1F680}", good: "shipped, déjà vu"),
        Example(.missingValue, "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};",
                .owner, bad: "", good: ""),
    ]
}

extension DiagnosticCode {
    public static let nulInValue = DiagnosticCode(
        "RND301", "nul-in-value", .error,
        "A value contains the NUL character (U+0000).",
        "No supported database can store U+0000 in text or names (PostgreSQL rejects it, others cut the value there), so the value is refused in every context. Remove the character from the catalog value.",
        triggering: [], nonTriggering: [])

    public static let invalidUnicodeInValue = DiagnosticCode(
        "RND302", "invalid-unicode-in-value", .error,
        "A value is not valid Unicode text: a lone UTF-16 surrogate (`\\ud800`) in JSON, or bytes that are not UTF-8.",
        "A lone surrogate cannot be encoded in UTF-8, so the database would receive a replacement character or reject the statement. The value is refused rather than silently changed; fix the value at its source.",
        triggering: [], nonTriggering: [])

    public static let nameTooLong = DiagnosticCode(
        "RND303", "name-too-long", .error,
        "A name is longer than the dialect allows (PostgreSQL 63 bytes, MySQL 64 characters, …).",
        "PostgreSQL silently truncates longer names, which can address another object; other dialects reject them. The limit is the dialect's, counted in its unit (bytes or characters).",
        triggering: [], nonTriggering: [])

    public static let emptyName = DiagnosticCode(
        "RND304", "empty-name", .error,
        "A name variable is empty.",
        "An empty name is not a name: `\"\"` is an error in every dialect, and an unquoted empty name changes the statement's meaning.",
        triggering: [], nonTriggering: [])

    public static let forbiddenInName = DiagnosticCode(
        "RND305", "forbidden-in-name", .error,
        "A name contains a character the dialect cannot store in a name, even quoted.",
        "Oracle names cannot contain `\"`; Unity Catalog names cannot contain `.`, space, `/` or control characters; BigQuery dataset, table and column names cannot contain `.` (BigQuery reads it as a path separator even inside backticks; a project id, `example.com:my-project`, may); MySQL names cannot hold characters outside the Basic Multilingual Plane or end with a space; with Databricks variable-substitution guard, `${` cannot be written inside backticks. No escape exists, so the value is refused.",
        triggering: [], nonTriggering: [])

    public static let gluedValueNotPlain = DiagnosticCode(
        "RND306", "glued-value-not-plain", .error,
        "A value glued to other name text (`stg_{table}`) is not a plain identifier.",
        "A glued name cannot be quoted, so the value may only hold the characters of an unquoted name of the dialect, in the case the dialect folds to. Quote the whole name in the template (`\"stg_{table}\"`) to accept any value.",
        triggering: [], nonTriggering: [])

    public static let nameOutsidePattern = DiagnosticCode(
        "RND307", "name-outside-pattern", .error,
        "A name does not match the only pattern the dialect accepts (Athena: `^[a-z_][a-z0-9_]*$`).",
        "Athena's Hive DDL and Trino DML disagree on quoting; names outside the pattern can be created but later statements fail. Such names are refused, not escaped.",
        triggering: [], nonTriggering: [])

    public static let valueTooLong = DiagnosticCode(
        "RND308", "value-too-long", .error,
        "A text value is longer than the target stores (MySQL table comment 2048 characters, Oracle 4000 bytes, …).",
        "Longer values are truncated or rejected by the database. The limit depends on the statement's kind and level (a MySQL column comment holds 1024 characters, a table comment 2048). Shorten the text in the catalog.",
        triggering: [], nonTriggering: [])

    public static let characterNotStorable = DiagnosticCode(
        "RND316", "character-not-storable", .error,
        "A value holds a character the target cannot store (MySQL/MariaDB comments: characters beyond U+FFFF).",
        "MariaDB and MySQL keep table, column and database comments in utf8mb3, whatever the connection's character set: a character beyond U+FFFF, such as an emoji, is silently replaced with `?` (verified on MariaDB 10.11). templatec refuses the value instead of letting the comment change. Remove the character in the catalog.",
        triggering: [], nonTriggering: [])

    public static let dollarTagInValue = DiagnosticCode(
        "RND309", "dollar-tag-in-value", .error,
        "A value in a dollar-quoted string contains (or could complete) the closing tag.",
        "Nothing inside `$tag$…$tag$` is escaped: the tag in the value would end the string and run the rest as SQL. Values that contain the tag, or start or end with part of it, are refused. A bare placeholder accepts every value.",
        triggering: [], nonTriggering: [])

    public static let unescapableSequence = DiagnosticCode(
        "RND310", "unescapable-sequence", .error,
        "A value holds a sequence the literal cannot represent (T-SQL: a backslash followed by a newline).",
        "SQL Server deletes `\\` followed by a newline inside a string constant (line continuation) and has no escape that prevents it; EXEC arguments cannot be expressions either, so the text would silently lose characters. The value is refused.",
        triggering: [], nonTriggering: [])

    public static let invalidTag = DiagnosticCode(
        "RND311", "invalid-tag", .error,
        "A tag key or value breaks the dialect's tag rules (BigQuery label characters and lengths, Databricks key characters).",
        "BigQuery label keys are 1–63 lowercase letters, digits, `_`, `-` or international characters, starting with a letter; values 0–63 of the same. Databricks keys cannot contain `. , - = / :` and are at most 255 characters, values 1000. Set normalize_labels=on to lowercase BigQuery labels instead of refusing them.",
        triggering: [], nonTriggering: [])

    public static let invalidTagList = DiagnosticCode(
        "RND312", "invalid-tag-list", .error,
        "A `{tags}` list is empty where the syntax needs one tag, too long, or has a key twice.",
        "Databricks `SET TAGS ()` is a syntax error; BigQuery allows 64 labels and Databricks 50 tags per object; keys are unique per object.",
        triggering: [], nonTriggering: [])

    public static let missingValue = DiagnosticCode(
        "RND313", "missing-value", .error,
        "The template uses a variable that was given no value.",
        "Every variable the template uses must be given. In the sync engine this means the update did not provide the variable (see CTX201/CTX202).",
        triggering: [], nonTriggering: [])

    public static let unsupportedArtifact = DiagnosticCode(
        "RND314", "unsupported-artifact", .error,
        "A compiled template is malformed or has a format version this templatec does not read.",
        "Compiled artifacts are versioned (`\"version\": 1`). Recompile the template with this templatec (`templatec compile`), or use the templatec that wrote it.",
        triggering: [], nonTriggering: [])

    public static let invalidRequest = DiagnosticCode(
        "RND315", "invalid-request", .error,
        "A render request is malformed: not JSON, no template, an unknown variable name, a value that is not a string.",
        "`templatec render --serve` answers each line on its own: a bad line gets this error and the server goes on. Variables are database, schema, table, column, description, owner, tag_key, tag_value and tags (a list of [key, value] pairs).",
        triggering: [], nonTriggering: [])
}
