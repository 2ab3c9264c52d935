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
                    fixes: [Fix("replace with `{\(v.rawValue)}`", [TextEdit(p.nameSpan, v.rawValue)], why == nil ? .safe : .unsafe)]))
            } else {
                let names = Variable.allCases.map(\.rawValue).joined(separator: ", ")
                diagnostics.append(Diagnostic(
                    .unknownVariable, "`{\(p.name)}` is not a variable: the variables are \(names)",
                    at: p.nameSpan.expanded(by: 1)))
            }
        }
    }
}

extension Span {
    func expanded(by n: Int) -> Span { Span(start - n, end + n) }
}
