/// TPL009: a placeholder that names no variable, with a suggestion when one is close.
public struct UnknownVariableRule: Rule {
    public static let codes: [DiagnosticCode] = [.unknownVariable]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for p in input.template.placeholders where p.variable == nil {
            if let (v, why) = Variable.suggestion(for: p.name) {
                let reason = why.map { ": \($0)" } ?? ""
                diagnostics.append(Diagnostic(
                    .unknownVariable, "`{\(p.name)}` is not a variable; did you mean `{\(v.rawValue)}`?\(reason)",
                    at: p.nameSpan.expanded(by: 1),
                    fixes: [Fix("replace with `{\(v.rawValue)}`", [TextEdit(p.nameSpan, v.rawValue)],
                                why == nil && Self.isAvailable(v, input.context) ? .safe : .unsafe)]))
            } else {
                let names = Variable.allCases.map(\.rawValue).joined(separator: ", ")
                diagnostics.append(Diagnostic(
                    .unknownVariable, "`{\(p.name)}` is not a variable: the variables are \(names)",
                    at: p.nameSpan.expanded(by: 1)))
            }
        }
    }
}

extension UnknownVariableRule {
    /// Whether the update context provides `v`: a fix to a variable the template cannot have
    /// (`{descripton}` → `{description}` in an owner template) would trade TPL009 for CTX201, so
    /// it is not applied without `--unsafe-fixes`.
    static func isAvailable(_ v: Variable, _ context: UpdateContext) -> Bool {
        if let needed = v.update, !context.updates.isEmpty, !context.updates.contains(needed) { return false }
        if let minimum = v.minimumLevel, context.levels.contains(where: { $0 < minimum }) { return false }
        return true
    }
}

extension Span {
    func expanded(by n: Int) -> Span { Span(start - n, end + n) }
}

extension DiagnosticCode {
    public static let unknownVariable = DiagnosticCode(
        "TPL009", "unknown-variable", .error,
        "A placeholder names no variable: `{descripton}`, `{catalog}`.",
        "The variables are database, schema, table, column, description, owner, tag_key, tag_value and tags. A close name gets a suggestion and a fix.",
        triggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS ⟦{descripton}⟧;",
                     "-- templatec: dialect=trino\nCOMMENT ON TABLE ⟦{catalog}⟧.{schema}.{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=trino\nCOMMENT ON TABLE {database}.{schema}.{table} IS {description};"])
}
