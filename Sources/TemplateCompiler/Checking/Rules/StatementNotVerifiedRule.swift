/// STM401: a statement matching none of the dialect's forms is checked lexically only. Reported
/// once per template, at the first such statement, so custom SQL is not drowned in notes.
public struct StatementNotVerifiedRule: Rule {
    public static let codes: [DiagnosticCode] = [.statementNotVerified]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        let unknown = input.sqlStatements.filter {
            $0.classification == nil && DestructiveStatements.keyword($0, input) == nil && !isSessionStatement($0, input)
        }
        guard let first = unknown.first else { return }
        let more = unknown.count > 1 ? " (and \(unknown.count - 1) more statement\(unknown.count == 2 ? "" : "s"))" : ""
        diagnostics.append(Diagnostic(
            .statementNotVerified,
            "this statement\(more) is none of the metadata forms templatec knows for \(input.dialect.displayName): it is checked lexically, but the object and level it writes to are not verified",
            at: input.headSpan(first)))
    }

    /// `USE db` only selects where the next statement runs: nothing to verify.
    static let sessionKeywords: Set<String> = ["USE"]

    func isSessionStatement(_ s: Statement, _ input: RuleInput) -> Bool {
        guard let first = s.tokens.first(where: { !input.template.tokens[$0].kind.isTrivia }),
              input.template.tokens[first].kind == .word else { return false }
        return StatementNotVerifiedRule.sessionKeywords.contains(input.template.string(input.template.tokens[first].span).uppercased())
    }
}

extension DiagnosticCode {
    public static let statementNotVerified = DiagnosticCode(
        "STM401", "statement-not-verified", .info,
        "A statement is none of the metadata forms templatec knows for the dialect.",
        "Custom SQL may do anything: the statement is kept and checked lexically (quoting, placeholders, comments), but which object and level it writes to cannot be verified. Reported once per template. Nothing to fix when the SQL is intended; use a documented form (`templatec defaults`) to get the level and update checks.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\n⟦SELECT set_table_comment({table}, {description})⟧;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};"])
}
