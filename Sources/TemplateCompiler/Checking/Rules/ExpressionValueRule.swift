/// STM442: an expression where the statement takes one literal: `IS {description} || ' (synced)'`.
///
/// `COMMENT ON … IS`, `COMMENT = …`, `SET TAG k = …` take a single literal in every dialect that
/// has them. Such a statement matches none of the forms, and would only be an unverified statement
/// (STM401); it is recognised because a prefix of it is a whole value form, followed by an
/// operator.
public struct ExpressionValueRule: Rule {
    public static let codes: [DiagnosticCode] = [.expressionValue]
    public init() {}

    /// What starts an expression after a value: concatenation, arithmetic, a cast, a call.
    static let operators: Set<UInt8> = Set("|+-*/:(".utf8)
    /// Metadata DDL is short; longer statements are not worth trying prefixes of.
    static let maximumTokens = 64

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        let template = input.template
        for s in input.sqlStatements where s.classification == nil {
            // Counting first keeps a statement of millions of tokens from being copied.
            guard s.tokens.count <= Self.maximumTokens * 4 else { continue }
            let significant = input.significantTokens(s)
            guard significant.count >= 3, significant.count <= Self.maximumTokens else { continue }
            for k in stride(from: significant.count - 2, through: 1, by: -1) {
                let next = template.tokens[significant[k + 1]]
                guard next.kind == .punctuation, Self.operators.contains(template.text[next.span.start]) else { continue }
                let classifier = StatementClassifier(text: template.text, tokens: template.tokens, placeholders: template.placeholders,
                                                     rules: s.rules, range: s.tokens.lowerBound..<(significant[k] + 1))
                guard let c = classifier.classify(input.dialect.statementForms), c.form.unsupportedMessage == nil,
                      c.valueToken == significant[k] else { continue }
                let end = template.tokens[significant[significant.count - 1]].span.end
                let span = Span(next.span.start, end)
                diagnostics.append(Diagnostic(
                    .expressionValue,
                    "`\(template.string(span))` makes the value an expression, but this statement takes one literal: \(input.dialect.displayName) refuses it; write the whole text into the value, or use a bare placeholder alone",
                    at: span))
                break
            }
        }
    }
}

extension DiagnosticCode {
    public static let expressionValue = DiagnosticCode(
        "STM442", "expression-value", .error,
        "An expression where the statement takes a literal: `IS {description} || ' (synced)'`.",
        "`COMMENT ON … IS`, `COMMENT = …` and `SET TAG … = …` take exactly one literal: concatenation, a function call or a cast there is a syntax error, so every update fails. Keep the value a single placeholder; text to add belongs in the catalog's description, or in a second statement.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description} ⟦|| ' (synced)'⟧;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};"])
}
