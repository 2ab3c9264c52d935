/// CTX205: a placeholder glued to identifier text cannot be quoted.
public struct GluedPlaceholderRule: Rule {
    public static let codes: [DiagnosticCode] = [.gluedPlaceholder]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for p in input.template.placeholders where p.context == .glued && p.variable != .tags {
            diagnostics.append(Diagnostic(
                .gluedPlaceholder,
                "`{\(p.name)}` is glued to other name text, so it cannot be quoted: values that are not plain \(input.dialect.displayName) identifiers will be refused; quote the whole name to accept any value",
                at: p.span))
        }
    }
}
