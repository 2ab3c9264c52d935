/// STM441: `IS "{description}"` where `"` quotes identifiers (PostgreSQL, Oracle, Snowflake, …).
/// The lexer knows which quotes make names in the dialect, so a value placeholder in a quoted
/// identifier is a name by the dialect's own rules: the statement names a column called after the
/// description, and fails.
public struct DescriptionAsIdentifierRule: Rule {
    public static let codes: [DiagnosticCode] = [.descriptionAsIdentifier]
    public init() {}

    /// Variables whose value is text to store, never a name.
    static let textVariables: Set<Variable> = [.description]

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for s in input.sqlStatements {
            for p in input.placeholders(of: s) {
                guard let v = p.variable, Self.textVariables.contains(v), case .quotedIdentifier(let kind) = p.context,
                      let token = input.token(holding: p.span, in: s) else { continue }
                let quotes = "\(String(UnicodeScalar(kind.open)))…\(String(UnicodeScalar(kind.close)))"
                diagnostics.append(input.quotedPlaceholderFinding(.descriptionAsIdentifier, token: token, p) {
                    "`\($0)` is a quoted identifier in \(input.dialect.displayName) (\(quotes) quotes names), not a string: write the bare `{\(v.rawValue)}`, which templatec renders as an escaped string literal"
                })
            }
        }
    }
}

extension DiagnosticCode {
    public static let descriptionAsIdentifier = DiagnosticCode(
        "STM441", "description-as-identifier", .error,
        "A description in identifier quotes: `IS \"{description}\"` in PostgreSQL.",
        "In PostgreSQL, Oracle, Snowflake, Trino and most other dialects `\"…\"` quotes a name, not text: `COMMENT ON TABLE t IS \"Sales data\"` is refused. (MySQL reads `\"…\"` as a string unless ANSI_QUOTES is set, so it is not reported there.) Write the bare `{description}`: templatec renders a complete, escaped string literal.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS ⟦\"{description}\"⟧;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};",
                        "-- templatec: dialect=mysql update=description level=table\nALTER TABLE {schema}.{table} COMMENT = \"{description}\";"])
}
