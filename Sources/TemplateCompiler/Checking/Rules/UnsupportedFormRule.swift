/// STM405: a statement form the dialect does not have (`StatementForm.unsupported`).
public struct UnsupportedFormRule: Rule {
    public static let codes: [DiagnosticCode] = [.unsupportedForm]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for s in input.sqlStatements {
            guard let c = s.classification, let message = c.form.unsupportedMessage else { continue }
            diagnostics.append(Diagnostic(.unsupportedForm, "\(input.dialect.displayName) cannot run this statement: \(message)",
                                          at: input.headSpan(s)))
        }
    }
}

extension DiagnosticCode {
    public static let unsupportedForm = DiagnosticCode(
        "STM405", "unsupported-form", .error,
        "The statement uses a form the dialect does not have: `COMMENT ON SCHEMA` in Redshift or Trino, owners in MySQL, `COMMENT ON` in SQL Server.",
        "The engine would reject the statement at run time, so every update through the template fails. The message names the form the dialect uses instead; where there is none, the update cannot be written back to this system.",
        triggering: ["-- templatec: dialect=redshift update=description level=schema\n⟦COMMENT ON SCHEMA {schema} IS {description}⟧;",
                     "-- templatec: dialect=trino update=description level=schema\n⟦COMMENT ON SCHEMA {database}.{schema} IS {description}⟧;",
                     "-- templatec: dialect=mysql update=owner level=table\n⟦ALTER TABLE {schema}.{table} OWNER TO {owner}⟧;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=schema\nCOMMENT ON SCHEMA {schema} IS {description};"])
}
