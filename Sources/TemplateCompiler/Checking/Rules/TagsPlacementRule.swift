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

extension DiagnosticCode {
    public static let tagsWithoutListForm = DiagnosticCode(
        "CTX204", "tags-without-list-form", .error,
        "`{tags}` in a dialect that has no list form for tags.",
        "Only BigQuery (labels) and Databricks (`SET TAGS (…)`) take a list of tags in one statement. Elsewhere use {tag_key} and {tag_value}, one tag per statement.",
        triggering: ["-- templatec: dialect=snowflake update=tags level=table\nALTER TABLE {table} SET TAG ⟦{tags}⟧;"],
        nonTriggering: ["-- templatec: dialect=snowflake update=tags level=table\nALTER TABLE {table} SET TAG {tag_key} = '{tag_value}';"])

    public static let tagsNotInListPosition = DiagnosticCode(
        "CTX208", "tags-not-in-list-position", .error,
        "`{tags}` inside a string, identifier or glued to a name.",
        "`{tags}` renders the dialect's whole list form (`[('k', 'v')]` in BigQuery, `('k' = 'v')` in Databricks): it must stand bare where the list goes.",
        triggering: ["-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{table}` SET OPTIONS (labels = '⟦{tags}⟧');"],
        nonTriggering: ["-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{table}` SET OPTIONS (labels = {tags});"])
}
