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
