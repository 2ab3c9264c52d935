/// STM410: the dialect accepts only restricted tag keys and values (`Dialect.tagValueRestriction`).
public struct TagValueRestrictionRule: Rule {
    public static let codes: [DiagnosticCode] = [.tagValueRestricted]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        // templatec refuses such values at render time with a message naming the value; the
        // catalog's own f-string rendering passes them through and the engine fails, so the
        // warning is for templates that must also work under `--compat collate`.
        guard input.settings.compatibility != nil,
              let restriction = input.dialect.tagValueRestriction,
              let p = input.template.placeholders.first(where: { $0.variable?.update == .tags }) else { return }
        diagnostics.append(Diagnostic(
            .tagValueRestricted,
            "\(restriction) at render time; name classifications and tags in that form in the catalog",
            at: p.span))
    }
}
