/// CTX211: a template with no statement renders nothing.
public struct EmptyTemplateRule: Rule {
    public static let codes: [DiagnosticCode] = [.emptyTemplate]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        guard input.template.statements.allSatisfy(\.isEmpty) else { return }
        let end = input.template.text.count
        diagnostics.append(Diagnostic(.emptyTemplate, "the template has no SQL statement: it would render nothing", at: Span(0, min(end, 1))))
    }
}

extension DiagnosticCode {
    public static let emptyTemplate = DiagnosticCode(
        "CTX211", "empty-template", .warning,
        "The template has no SQL statement.",
        "An empty template renders nothing, so the sync would report success without changing anything.",
        triggering: ["⟦-⟧- templatec: dialect=postgres\n-- nothing here\n"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};"])
}
