/// STM410: the dialect accepts only restricted tag keys and values (`Dialect.tagValueRestriction`).
public struct TagValueRestrictionRule: Rule {
    public static let codes: [DiagnosticCode] = [.tagValueRestricted]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        // templatec refuses such values at render time with a message naming the value; the
        // catalog's own f-string rendering passes them through and the engine fails, so the
        // warning is for templates that must also work under `--compat collate`.
        guard input.settings.compatibility != nil,
              let restriction = input.dialect.tagValueRestriction,
              let p = input.template.placeholders.first(where: { $0.variable?.update == .tags }) else { return }
        diagnostics.append(Diagnostic(
            .tagValueRestricted,
            "\(restriction) at render time; name classifications and tags in that form in the catalog",
            at: p.span))
    }
}

extension DiagnosticCode {
    public static let tagValueRestricted = DiagnosticCode(
        "STM410", "tag-value-restricted", .warning,
        "Under `--compat collate`: the dialect accepts only restricted tag keys and values (BigQuery labels: lowercase letters, digits, `_`, `-`).",
        "Catalog tags are free text (`PII.Sensitive`). The catalog's own f-string rendering passes them to BigQuery as they are, and BigQuery refuses labels with uppercase letters or dots, so the statement fails. templatec itself validates every label at render time and refuses such a tag with a message naming it (or lowercases it with the opt-in normalization), so this is reported only for templates that must also run under the catalog's rendering. Name classifications and tags in label form.",
        triggering: ["-- templatec: dialect=bigquery update=tags level=table compat=collate\nALTER TABLE `{database}.{schema}.{table}` SET OPTIONS (labels = ⟦{tags}⟧);"],
        nonTriggering: ["-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{database}.{schema}.{table}` SET OPTIONS (labels = {tags});",
                        "-- templatec: dialect=snowflake update=tags level=table compat=collate\nALTER TABLE {database}.{schema}.{table} UNSET TAG {tag_key};"])
}
