/// STM444: a statement ending with `;` in a dialect whose drivers refuse it (Oracle). The dialect
/// says why (`Dialect.trailingSemicolonRefusal`); a PL/SQL block (`BEGIN … END;`) keeps its `;`.
public struct TrailingSemicolonRule: Rule {
    public static let codes: [DiagnosticCode] = [.trailingSemicolon]
    public init() {}

    static let blockStarts: Set<String> = ["BEGIN", "DECLARE"]

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        guard let why = input.dialect.trailingSemicolonRefusal else { return }
        let template = input.template
        for s in input.sqlStatements {
            guard let separator = s.tokens.last(where: { template.tokens[$0].kind == .separator }),
                  let first = s.tokens.first(where: { !template.tokens[$0].kind.isTrivia }) else { continue }
            if template.tokens[first].kind == .word, Self.blockStarts.contains(input.upperWord(first)) { continue }
            // A form the dialect lacks (STM405) fails whatever ends it.
            if s.classification != nil, input.supportedClassification(s) == nil { continue }
            let span = template.tokens[separator].span
            diagnostics.append(Diagnostic(
                .trailingSemicolon, "remove this `;`: \(why)",
                at: span, fixes: [Fix("remove the `;`", [TextEdit(span, "")], .unsafe)]))
        }
    }
}

extension DiagnosticCode {
    public static let trailingSemicolon = DiagnosticCode(
        "STM444", "trailing-semicolon", .error,
        "A statement ends with `;` in a dialect whose drivers refuse it (Oracle).",
        "Oracle's drivers (JDBC, python-oracledb, ODBC) send one statement as it is, and the server refuses a `;` after it (ORA-00933, ORA-00911), so every update fails. Write the statement without `;`. A PL/SQL block (`BEGIN … END;`) keeps its `;`.",
        triggering: ["-- templatec: dialect=oracle update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description}⟦;⟧"],
        nonTriggering: ["-- templatec: dialect=oracle update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description}"])
}
