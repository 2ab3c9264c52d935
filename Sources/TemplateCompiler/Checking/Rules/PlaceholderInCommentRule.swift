/// CTX203: a placeholder inside a comment, where a newline or `*/` in the value would escape.
public struct PlaceholderInCommentRule: Rule {
    public static let codes: [DiagnosticCode] = [.placeholderInComment]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for p in input.template.placeholders where p.context == .comment {
            diagnostics.append(Diagnostic(
                .placeholderInComment,
                "`{\(p.name)}` stands inside a comment: a newline or `*/` in its value would turn the rest into SQL; move it out of the comment, or write `{{\(p.name)}}` to show the braces",
                at: p.span,
                fixes: [Fix("write literal braces", [TextEdit(p.span, "{{\(p.name)}}")])]))
        }
    }
}

extension DiagnosticCode {
    public static let placeholderInComment = DiagnosticCode(
        "CTX203", "placeholder-in-comment", .error,
        "A placeholder inside an SQL comment.",
        "A newline in the value would end a line comment, and `*/` would end a block comment: the rest of the value would run as SQL. Move the placeholder out of the comment, or write `{{` to show literal braces.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\n-- sets the comment of ⟦{table}⟧\nCOMMENT ON TABLE {table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\n-- sets the comment of a table\nCOMMENT ON TABLE {table} IS {description};"])
}
