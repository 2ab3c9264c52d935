/// STM407: statements that change data or permissions, refused unless the configuration allows
/// them (`allowDestructive`).
public struct DestructiveStatementRule: Rule {
    public static let codes: [DiagnosticCode] = [.destructiveStatement]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        guard input.settings.allowDestructive != true else { return }
        for s in input.sqlStatements {
            guard let k = DestructiveStatements.keyword(s, input) else { continue }
            let word = input.upperWord(k)
            diagnostics.append(Diagnostic(
                .destructiveStatement,
                "`\(word)` changes data or permissions, not metadata: a sync template runs it on every update with the sync's privileges; remove it, or allow it with `\"allowDestructive\": true` in .templatec.json",
                at: input.template.tokens[k].span))
        }
    }
}
