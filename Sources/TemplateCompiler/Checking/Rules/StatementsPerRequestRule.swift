/// STM408: several statements where the connector's client executes one per request (a dialect
/// property, `Dialect.batching`).
public struct StatementsPerRequestRule: Rule {
    public static let codes: [DiagnosticCode] = [.severalStatementsPerRequest]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        guard case .one(let why) = input.dialect.batching else { return }
        let statements = input.sqlStatements
        guard statements.count > 1 else { return }
        diagnostics.append(Diagnostic(
            .severalStatementsPerRequest,
            "\(why), but this template has \(statements.count) statements: the request fails or runs only the first; keep one statement per template",
            at: input.headSpan(statements[1])))
    }
}
