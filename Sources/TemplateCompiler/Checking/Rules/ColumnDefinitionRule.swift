/// STM406: MySQL `MODIFY COLUMN` / `CHANGE COLUMN` and Athena `CHANGE COLUMN` without the column
/// definition. Which forms need one is the dialect's data (`StatementForm.definitionRequired`).
public struct ColumnDefinitionRule: Rule {
    public static let codes: [DiagnosticCode] = [.columnDefinitionMissing]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for s in input.sqlStatements {
            guard let c = input.supportedClassification(s), let message = c.form.definitionRequired,
                  (c.firstSkipTokenCount ?? 0) == 0 else { continue }
            diagnostics.append(Diagnostic(.columnDefinitionMissing, message, at: input.headSpan(s)))
        }
    }
}
