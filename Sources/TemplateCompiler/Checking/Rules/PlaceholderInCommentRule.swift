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
