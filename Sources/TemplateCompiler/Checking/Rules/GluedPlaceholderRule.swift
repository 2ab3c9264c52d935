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

extension DiagnosticCode {
    public static let gluedPlaceholder = DiagnosticCode(
        "CTX205", "glued-placeholder", .warning,
        "A placeholder glued to identifier text: `tbl_{table}`, `{schema}{table}`.",
        "A glued name cannot be quoted, so its value must be a plain identifier of the dialect; any other value is refused at render time. Quote the whole name (`\"tbl_{table}\"`) to accept any value.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE stg_⟦{table}⟧ IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE \"stg_{table}\" IS {description};"])
}
