/// STM446: a placeholder inside a plain `'…'` literal of a dialect whose values are written with
/// a prefixed literal because the plain one cannot hold every character (T-SQL `N'…'`: a `'…'`
/// is varchar in the database's collation, and text outside its code page becomes `?`).
public struct NonUnicodeLiteralRule: Rule {
    public static let codes: [DiagnosticCode] = [.nonUnicodeLiteral]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        let template = input.template
        for p in template.placeholders where p.variable != nil {
            guard case .string(let kind) = p.context, kind.prefix.isEmpty else { continue }
            let rules = template.statements[p.statement].rules
            let wanted = rules.valueLiteral
            guard !wanted.prefix.isEmpty, wanted.quote == kind.quote, !wanted.triple else { continue }
            let literal = template.statements[p.statement].tokens.lazy.map { template.tokens[$0] }.first {
                if case .string = $0.kind { return $0.span.start < p.span.start && p.span.end <= $0.span.end }
                return false
            }
            let fixes = literal.map { [Fix("write `\(wanted.prefix)'…'`", [TextEdit(Span($0.span.start, $0.span.start), wanted.prefix)], .unsafe)] } ?? []
            diagnostics.append(Diagnostic(
                .nonUnicodeLiteral,
                "`{\(p.name)}` is inside a `'…'` literal, which \(input.dialect.displayName) stores in the database's code page: characters outside it become `?`; write `\(wanted.prefix)'…'`, or the bare `{\(p.name)}` (rendered as a complete \(wanted.prefix)'…' literal)",
                at: p.span, fixes: fixes))
        }
    }
}

extension DiagnosticCode {
    public static let nonUnicodeLiteral = DiagnosticCode(
        "STM446", "non-unicode-literal", .warning,
        "A placeholder inside a `'…'` literal where the dialect needs `N'…'` for Unicode text (SQL Server).",
        "In T-SQL a `'…'` literal is varchar in the database's collation: on a non-Unicode collation, characters outside its code page become `?` and the description is stored mangled, silently. `N'…'` is nvarchar and keeps every character. Write `N'{description}'`, or the bare `{description}`, which templatec renders as a complete `N'…'` literal.",
        triggering: ["-- templatec: dialect=mssql update=description level=schema\nEXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = '⟦{description}⟧', @level0type = N'SCHEMA', @level0name = N'{schema}';"],
        nonTriggering: ["-- templatec: dialect=mssql update=description level=schema\nEXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'{description}', @level0type = N'SCHEMA', @level0name = N'{schema}';",
                        "-- templatec: dialect=mssql update=description level=schema\nEXEC sys.sp_addextendedproperty N'MS_Description', {description}, N'SCHEMA', {schema};",
                        "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS '{description}';"])
}
