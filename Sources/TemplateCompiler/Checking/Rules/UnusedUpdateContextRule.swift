/// STM409: the template serves an update kind whose value it never uses.
public struct UnusedUpdateContextRule: Rule {
    public static let codes: [DiagnosticCode] = [.unusedUpdateContext]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        // A misspelt variable is TPL009's: the template meant to use the value.
        guard !input.context.inferred, !input.template.placeholders.contains(where: { $0.variable == nil }) else { return }
        let statements = input.sqlStatements
        guard let first = statements.first else { return }
        let used = Set(input.template.placeholders.compactMap { $0.variable?.update })
        for update in input.context.updates where !used.contains(update) {
            // Removal forms (`IS NULL`, `UNSET TAG`) need no value.
            let removes = statements.contains { $0.classification.map { $0.kind.update == update && $0.kind.isRemoval } ?? false }
            if removes { continue }
            let variables: String
            switch update {
            case .description: variables = "`{description}`"
            case .owner: variables = "`{owner}`"
            case .tags: variables = "any of `{tag_key}`, `{tag_value}`, `{tags}`"
            }
            diagnostics.append(Diagnostic(
                .unusedUpdateContext,
                "the template serves \(update.rawValue) updates but never uses \(variables): the new value would not be written; use it, or drop `\(update.rawValue)` from `update=`",
                at: input.headSpan(first)))
        }
    }
}

extension DiagnosticCode {
    public static let unusedUpdateContext = DiagnosticCode(
        "STM409", "unused-update-context", .warning,
        "The template serves an update kind whose value it never uses: a description template without `{description}`.",
        "A description template that never uses `{description}` writes the same text for every update; an owner template without `{owner}` never sets the new owner; a tags template without `{tag_key}`, `{tag_value}` or `{tags}` never sets the tag. Use the variable, or remove the update kind from the context. Removal forms (`IS NULL`, `UNSET TAG`) need no value.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\n⟦COMMENT ON TABLE {schema}.{table} IS 'synced from the catalog'⟧;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};",
                        "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS NULL;"])
}
