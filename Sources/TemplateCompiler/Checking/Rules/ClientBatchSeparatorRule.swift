/// STM445: a line holding only the dialect's client batch separator (T-SQL `GO`, optionally with
/// a repeat count). The server never accepts it; the fix ends the statement with `;` instead.
public struct ClientBatchSeparatorRule: Rule {
    public static let codes: [DiagnosticCode] = [.clientBatchSeparator]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        guard let separator = input.dialect.clientBatchSeparator else { return }
        let template = input.template
        let text = template.text
        let tokens = template.tokens
        var previousSignificant: Token? = nil
        for (i, t) in tokens.enumerated() {
            defer { if !t.kind.isTrivia { previousSignificant = t } }
            guard t.kind == .word, input.upperWord(i) == separator else { continue }
            // Alone on its line: only blanks before it, only blanks, a count or a comment after.
            var lineStart = t.span.start
            while lineStart > 0, text[lineStart - 1] == chSpace || text[lineStart - 1] == chTab { lineStart -= 1 }
            guard lineStart == 0 || text[lineStart - 1] == chLF else { continue }
            var k = i + 1
            var lineEnd = t.span.end
            var alone = true
            while k < tokens.count {
                let n = tokens[k]
                if n.kind == .whitespace, let lf = text[n.span.start..<n.span.end].firstIndex(of: chLF) {
                    lineEnd = lf + 1
                    break
                }
                if n.kind != .whitespace && n.kind != .number && n.kind != .lineComment && n.kind != .separator {
                    alone = false
                    break
                }
                lineEnd = n.span.end
                k += 1
            }
            guard alone else { continue }
            // Remove the line; where the statement before it has no `;`, end that statement.
            var edits = [TextEdit(Span(lineStart, lineEnd), "")]
            let endsStatement = previousSignificant.map { $0.kind == .separator } ?? true
            if !endsStatement, let previous = previousSignificant {
                edits.insert(TextEdit(Span(previous.span.end, previous.span.end), ";"), at: 0)
            }
            diagnostics.append(Diagnostic(
                .clientBatchSeparator,
                "`\(template.string(t.span))` is a batch separator of sqlcmd and SSMS, not T-SQL: the server gets it as SQL and fails; end the statement before it with `;` and remove this line",
                at: t.span,
                fixes: [Fix(endsStatement ? "remove the `\(separator)` line" : "end the statement with `;` instead of the `\(separator)` line",
                            edits)]))
        }
    }
}

extension DiagnosticCode {
    public static let clientBatchSeparator = DiagnosticCode(
        "STM445", "client-batch-separator", .error,
        "A `GO` line in a SQL Server template: a batch separator of sqlcmd and SSMS, not T-SQL.",
        "`GO` is read by client tools, which split the script there; the server never sees it. templatec's executors send the rendered template to the server as it is, where `GO` is a syntax error (or, after `EXEC`, the name of a procedure). End each statement with `;` instead; several statements run in one batch.",
        triggering: ["-- templatec: dialect=mssql update=owner level=schema\nALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner};\n⟦GO⟧",
                     "-- templatec: dialect=mssql update=owner level=schema\nUSE {database}\n⟦go⟧ 2\nALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner};"],
        nonTriggering: ["-- templatec: dialect=mssql update=owner level=schema\nUSE {database};\nALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner};",
                        "-- templatec: dialect=postgres update=owner level=schema\nALTER SCHEMA {schema} OWNER TO go;"])
}
