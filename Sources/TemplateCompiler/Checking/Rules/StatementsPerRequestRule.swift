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

extension DiagnosticCode {
    public static let severalStatementsPerRequest = DiagnosticCode(
        "STM408", "several-statements-per-request", .warning,
        "Several statements in a template whose connector executes one statement per request (Athena, BigQuery, Databricks, Trino, Snowflake's SQL API, ClickHouse over HTTP).",
        "These clients send the rendered template as one request, which holds one statement: the request fails, or only the first statement runs. Keep one statement per template.",
        triggering: ["-- templatec: dialect=trino update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};\n⟦COMMENT ON VIEW {schema}.{table} IS {description}⟧;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};\nCOMMENT ON TABLE audit.{table} IS {description};"])
}
