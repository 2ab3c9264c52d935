/// Builds the typed AST from the lexer's output. It never fails: any input gives statements and
/// the lexer's diagnostics; statements that match no form are kept unclassified.
public enum Parser {
    public static func parse(_ source: TemplateSource, dialect: Dialect) -> Template {
        let lexed = Lexer.lex(source.text, dialect: dialect)
        var statements: [Statement] = []
        statements.reserveCapacity(lexed.statements.count)
        var nextPlaceholder = 0
        for (index, s) in lexed.statements.enumerated() {
            let classifier = StatementClassifier(text: source.text, tokens: lexed.tokens, placeholders: lexed.placeholders,
                                                 rules: s.rules, range: s.tokens)
            let first = classifier.significant.first.map { lexed.tokens[$0].span.start }
            let span = Span(first ?? s.span.start, s.span.end)
            // Nodes: the SQL between placeholders, and the placeholders (in literals too).
            var nodes: [Node] = []
            var cursor = s.span.start
            while nextPlaceholder < lexed.placeholders.count, lexed.placeholders[nextPlaceholder].statement == index {
                let p = lexed.placeholders[nextPlaceholder]
                if p.span.start > cursor { nodes.append(.sql(Span(cursor, p.span.start))) }
                nodes.append(.placeholder(nextPlaceholder))
                cursor = p.span.end
                nextPlaceholder += 1
            }
            if s.span.end > cursor { nodes.append(.sql(Span(cursor, s.span.end))) }
            statements.append(Statement(
                index: index, span: span, tokens: s.tokens, rules: s.rules, nodes: nodes,
                classification: classifier.classify(dialect.statementForms),
                isEmpty: classifier.significant.isEmpty))
        }
        return Template(source: source, dialect: dialect, lexed: lexed, statements: statements)
    }
}
