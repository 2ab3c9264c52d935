/// A stable diagnostic code with its documentation and examples. Every code has a page in
/// `docs/rules/<CODE>.md`; its tests are generated from `triggering` and `nonTriggering`.
///
/// An example is a whole template; its context comes from a `-- templatec:` directive in it. A
/// triggering example marks where its finding must be with `⟦` and `⟧` (`IS ⟦{descripton}⟧`, or
/// `⟦⟧` for an empty span): `triggering` holds the text without the marks, `triggeringSpans` the
/// marked byte spans, and the generated tests compare them with the finding's span.
public struct DiagnosticCode: Hashable, Sendable {
    public let id: String
    /// A short kebab-case name (`unknown-variable`), for SARIF and `templatec rules`.
    public let name: String
    public let severity: Severity
    /// One line: what the code reports.
    public let summary: String
    /// Why it matters and what to do.
    public let explanation: String
    /// The triggering examples, without their marks.
    public let triggering: [String]
    /// For each triggering example, the span its marks enclose (nil when it has none).
    public let triggeringSpans: [Span?]
    public let nonTriggering: [String]

    public static let markOpen = "⟦", markClose = "⟧"

    public init(_ id: String, _ name: String, _ severity: Severity, _ summary: String, _ explanation: String,
                triggering: [String], nonTriggering: [String]) {
        self.id = id
        self.name = name
        self.severity = severity
        self.summary = summary
        self.explanation = explanation
        let unmarked = triggering.map(DiagnosticCode.unmark)
        self.triggering = unmarked.map(\.text)
        self.triggeringSpans = unmarked.map(\.span)
        self.nonTriggering = nonTriggering
    }

    /// Removes the `⟦ ⟧` marks of an example; returns the text and the byte span they enclosed.
    static func unmark(_ example: String) -> (text: String, span: Span?) {
        let open = Array(markOpen.utf8), close = Array(markClose.utf8)
        let bytes = Array(example.utf8)
        func find(_ needle: [UInt8], from: Int) -> Int? {
            guard bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
            return (from...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
        }
        guard let start = find(open, from: 0), let closeAt = find(close, from: start + open.count) else { return (example, nil) }
        let text = Array(bytes[..<start]) + Array(bytes[(start + open.count)..<closeAt]) + Array(bytes[(closeAt + close.count)...])
        return (String(decoding: text, as: UTF8.self), Span(start, closeAt - open.count))
    }

    public static func == (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.id == b.id }
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// Every code templatec can report. Codes are never reused or renumbered.
///
/// The catalog is built from where the codes are reported: the lexer's (below), each rule's
/// `codes` (`RuleSet.all`, one file per rule in `Rules/`), the analyzer's and the suppressions',
/// and the renderer's. Adding a rule adds its codes.
public enum DiagnosticCatalog {
    public static let all: [DiagnosticCode] = {
        let reported = lexerCodes + Analyzer.codes + RuleSet.all.flatMap(\.codes) + Suppressions.codes + DirectiveConflict.codes + InputCodes.all + RenderingCodes.all
        return reported.sorted { a, b in
            let (ra, rb) = (familyRank(a.id), familyRank(b.id))
            return ra != rb ? ra < rb : a.id < b.id
        }
    }()

    public static func code(_ id: String) -> DiagnosticCode? {
        let upper = id.uppercased()
        return all.first { $0.id == upper || $0.name == id.lowercased() }
    }

    /// The template language's codes (TPL), whichever part reports them.
    public static var templateLanguage: [DiagnosticCode] { all.filter { $0.id.hasPrefix("TPL") } }

    /// Codes the lexer reports: malformed placeholders and unterminated SQL constructs.
    static let lexerCodes: [DiagnosticCode] = [
        .unterminatedPlaceholder, .loneClosingBrace, .conversion, .formatSpec, .positionalField, .attributeAccess,
        .spaceInPlaceholder, .invalidName,
        .unterminatedString, .unterminatedIdentifier, .unterminatedComment, .unterminatedDollarQuote, .newlineInString,
    ]

    /// The order of `templatec rules` and of docs/rules: the template language, the SQL's lexical
    /// structure, variables and contexts, statements, rendering, inputs.
    static func familyRank(_ id: String) -> Int {
        ["TPL", "LEX", "CTX", "STM", "RND", "IO"].firstIndex { id.hasPrefix($0) } ?? 6
    }
}

// MARK: - The template language (Python str.format compatibility), reported by the lexer

extension DiagnosticCode {
    public static let unterminatedPlaceholder = DiagnosticCode(
        "TPL001", "unterminated-placeholder", .error,
        "A `{` opens a placeholder that is not closed on its line.",
        "Templates use Python `str.format` syntax: `{` always starts a placeholder. A brace meant literally is written `{{` (and `}}`).",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE ⟦{⟧table IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};",
                        "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS '{{not a placeholder}}';"])

    public static let loneClosingBrace = DiagnosticCode(
        "TPL002", "lone-closing-brace", .error,
        "A single `}` that closes no placeholder.",
        "Python's `str.format` refuses a single `}`. Write `}}` for a literal brace.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE table⟦}⟧ IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS '}}';"])

    public static let conversion = DiagnosticCode(
        "TPL003", "conversion", .error,
        "A conversion such as `{description!r}`.",
        "`!r` and `!s` change how Python prints a value; templatec instead escapes each value for the exact place it stands, so conversions are refused rather than silently ignored. Write the bare placeholder.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description⟦!r⟧};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};"])

    public static let formatSpec = DiagnosticCode(
        "TPL004", "format-spec", .error,
        "A format specification such as `{description:>20}`.",
        "Padding, width and precision would change or cut a value. A value is always rendered whole.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description⟦:>20⟧};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};"])

    public static let positionalField = DiagnosticCode(
        "TPL005", "positional-field", .error,
        "An empty or positional placeholder: `{}` or `{0}`.",
        "The sync engine passes variables by name only. Name the variable: `{table}`.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE ⟦{}⟧ IS {description};",
                     "-- templatec: dialect=postgres\nCOMMENT ON TABLE ⟦{0}⟧ IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};"])

    public static let attributeAccess = DiagnosticCode(
        "TPL006", "attribute-access", .error,
        "Attribute or index access in a placeholder: `{table.name}`, `{table[0]}`.",
        "Variables are plain values with no attributes. `{table.name}` would fail at render time in Python; use `{table}`.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE ⟦{table.name}⟧ IS {description};",
                     "-- templatec: dialect=postgres\nCOMMENT ON TABLE ⟦{table[0]}⟧ IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.{table} IS {description};"])

    public static let spaceInPlaceholder = DiagnosticCode(
        "TPL007", "space-in-placeholder", .error,
        "Spaces inside the braces: `{ table }`.",
        "In Python `{ table }` looks up a variable named ` table ` (with the spaces), which does not exist. Remove the spaces.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE ⟦{ table }⟧ IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};"])

    public static let invalidName = DiagnosticCode(
        "TPL008", "invalid-placeholder-name", .error,
        "Text between braces that is not a variable name: `{my-table}`, `{$x}`.",
        "Variable names are letters, digits and underscores. If the braces are meant literally (JSON in a string, say), double them: `{{` and `}}`.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE ⟦{my-table}⟧ IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS '{{\"json\": 1}}';"])
}

// MARK: - Lexical structure of the SQL, reported by the lexer

extension DiagnosticCode {
    public static let unterminatedString = DiagnosticCode(
        "LEX101", "unterminated-string", .error,
        "A string literal that is never closed.",
        "Everything after the opening quote would be part of the literal. The diagnostic points at the quote that opened the literal in error: an apostrophe inside a word (`'it's'`) ends a literal early, so the finding is at that literal, with the doubled quote as the fix; a literal that runs past its line to a later quote is reported where it opened. Close the literal, or escape the quote inside it.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS ⟦'⟧unfinished;",
                     "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS ⟦'⟧it's ours';",
                     "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS ⟦'⟧unfinished;\nCOMMENT ON TABLE {schema}.{table} IS 'x';"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS 'it''s finished';"])

    public static let unterminatedIdentifier = DiagnosticCode(
        "LEX102", "unterminated-identifier", .error,
        "A quoted identifier that is never closed.",
        "The quote that opens a name (`\"`, a backtick, `[`) must be closed. The diagnostic points at the opening quote.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE ⟦\"⟧{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE \"{table}\" IS {description};"])

    public static let unterminatedComment = DiagnosticCode(
        "LEX103", "unterminated-comment", .error,
        "A block comment that is never closed, counting nesting where the dialect nests comments.",
        "PostgreSQL, T-SQL, ClickHouse and Spark nest `/* */` comments: `/* a /* b */` is still open. MySQL's executable `/*! … */` must be closed too.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\n⟦/*⟧ outer /* inner */\nCOMMENT ON TABLE {table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=mysql update=description level=table\n/* outer /* inner */\nALTER TABLE {table} COMMENT = {description};"])

    public static let unterminatedDollarQuote = DiagnosticCode(
        "LEX104", "unterminated-dollar-quote", .error,
        "A dollar-quoted string (`$tag$…`) whose closing tag never comes.",
        "Dollar quotes end only at the same tag. The diagnostic points at the opening tag.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS ⟦$x$⟧ text;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS $x$ text $x$;"])

    public static let newlineInString = DiagnosticCode(
        "LEX105", "newline-in-string", .error,
        "A raw newline inside a one-line string literal (BigQuery).",
        "BigQuery's quoted strings cannot contain newlines, even escaped with a backslash. Write `\\n`, or use a triple-quoted string.",
        triggering: ["-- templatec: dialect=bigquery update=description level=table\nALTER TABLE {table} SET OPTIONS (description = ⟦'⟧two\nlines');"],
        nonTriggering: ["-- templatec: dialect=bigquery update=description level=table\nALTER TABLE {table} SET OPTIONS (description = '''two\nlines''');"])
}
