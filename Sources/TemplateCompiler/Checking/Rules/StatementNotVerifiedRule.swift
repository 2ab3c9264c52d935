/// STM401: a statement matching none of the dialect's forms is checked lexically only. Reported
/// once per template, at the first such statement, so custom SQL is not drowned in notes.
public struct StatementNotVerifiedRule: Rule {
    public static let codes: [DiagnosticCode] = [.statementNotVerified]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        let unknown = input.sqlStatements.filter { $0.classification == nil && DestructiveStatements.keyword($0, input) == nil }
        guard let first = unknown.first else { return }
        let more = unknown.count > 1 ? " (and \(unknown.count - 1) more statement\(unknown.count == 2 ? "" : "s"))" : ""
        diagnostics.append(Diagnostic(
            .statementNotVerified,
            "this statement\(more) is none of the metadata forms templatec knows for \(input.dialect.displayName): it is checked lexically, but the object and level it writes to are not verified",
            at: input.headSpan(first)))
    }
}
