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
