/// STM404: a statement that writes another kind of metadata than the template serves.
public struct UpdateKindRule: Rule {
    public static let codes: [DiagnosticCode] = [.updateKindMismatch]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        let context = input.context
        guard !context.inferred, !context.updates.isEmpty else { return }
        let served = context.updates.map(\.rawValue).joined(separator: ", ")
        for s in input.sqlStatements {
            guard let c = input.supportedClassification(s), !context.updates.contains(c.kind.update) else { continue }
            diagnostics.append(Diagnostic(
                .updateKindMismatch,
                "this statement \(c.kind.isRemoval ? "removes" : "sets") \(c.kind.update.phrase), but the template serves \(served) updates: write the statement for \(served), or declare `update=\(c.kind.update.rawValue)`",
                at: input.headSpan(s)))
        }
    }
}

extension DiagnosticCode {
    public static let updateKindMismatch = DiagnosticCode(
        "STM404", "update-kind-mismatch", .error,
        "A statement writes another kind of metadata than the template serves: an owner template running `COMMENT ON`.",
        "An owner update that runs `COMMENT ON` would not change the owner, and fails on the missing `{description}`. Write the statement for the declared update (`ALTER TABLE … OWNER TO {owner}`), or declare the update the statement performs.",
        triggering: ["-- templatec: dialect=postgres update=owner level=table\n⟦COMMENT ON TABLE {schema}.{table} IS 'owned'⟧;"],
        nonTriggering: ["-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {schema}.{table} OWNER TO {owner};"])
}
