/// CTX204 and CTX208: `{tags}` needs the dialect's list form, and must stand bare.
public struct TagsPlacementRule: Rule {
    public static let codes: [DiagnosticCode] = [.tagsWithoutListForm, .tagsNotInListPosition]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for p in input.template.placeholders where p.variable == .tags {
            if input.dialect.tagsListForm == nil {
                diagnostics.append(Diagnostic(
                    .tagsWithoutListForm,
                    "\(input.dialect.displayName) has no list form for tags: use {tag_key} and {tag_value}, one tag per statement",
                    at: p.span))
            } else if p.context != .bare {
                diagnostics.append(Diagnostic(
                    .tagsNotInListPosition,
                    "`{tags}` renders a whole list and must stand bare where the list goes, not in \(p.context.phrase)",
                    at: p.span))
            }
        }
    }
}
