/// STM411: a bare `{tags}` in a classified statement, but not where the statement takes its list.
/// (CTX208 covers `{tags}` inside strings and names; CTX204 dialects without a list form.)
public struct TagsListPositionRule: Rule {
    public static let codes: [DiagnosticCode] = [.tagsOutsideListPosition]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        guard input.dialect.tagsListForm != nil else { return }
        for s in input.sqlStatements {
            guard let c = input.supportedClassification(s) else { continue }
            for i in s.tokens {
                guard case .placeholder(let p) = input.template.tokens[i].kind,
                      input.template.placeholders[p].variable == .tags,
                      input.template.placeholders[p].context == .bare else { continue }
                if c.listToken == i { continue }
                diagnostics.append(Diagnostic(
                    .tagsOutsideListPosition,
                    "`{tags}` renders a whole list of tags, which this statement does not take here: put it where the list goes (`SET TAGS {tags}`, `labels = {tags}`), or use `{tag_key}` and `{tag_value}`",
                    at: input.template.placeholders[p].span))
            }
        }
    }
}

extension DiagnosticCode {
    public static let tagsOutsideListPosition = DiagnosticCode(
        "STM411", "tags-outside-list-position", .error,
        "`{tags}` stands bare but not where the statement takes its list of tags.",
        "`{tags}` renders the dialect's whole list form, which is valid only as the list of `SET TAGS` (Databricks) or `labels =` (BigQuery). Anywhere else, such as `description = {tags}`, the statement fails or stores the list as text. Put `{tags}` where the list goes, or use `{tag_key}` / `{tag_value}`.",
        triggering: ["-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{schema}.{table}` SET OPTIONS (description = ⟦{tags}⟧);"],
        nonTriggering: ["-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{schema}.{table}` SET OPTIONS (labels = {tags});"])
}
