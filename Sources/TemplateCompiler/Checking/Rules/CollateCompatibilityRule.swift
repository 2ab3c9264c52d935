/// STM420–STM423, active only with `--compat collate` (`compat=collate`): what breaks, or becomes
/// injectable, when the catalog renders the template with its plain f-string substitution
/// instead of templatec's contextual escaping (docs/sync.md, "the catalog's own rendering"):
///
/// - `{description}` arrives already quoted, so `'{description}'` quotes it twice (STM420);
/// - every other value is pasted raw: inside quotes a quote in the value ends the literal
///   (STM421), and a bare `{tag_value}` is not a string at all (STM423);
/// - `{tags}` is a Python list of tuples, `[('PII', 'Sensitive')]` (STM422).
public struct CollateCompatibilityRule: Rule {
    public static let codes: [DiagnosticCode] = [
        .compatQuotedDescription, .compatRawValueInLiteral, .compatTagsList, .compatBareTextValue,
    ]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        guard input.settings.compatibility == .collate else { return }
        for p in input.template.placeholders {
            guard let v = p.variable else { continue }
            switch (v, p.context) {
            case (.description, .string):
                var fixes: [Fix] = []
                if let literal = enclosingLiteral(p, input) {
                    let prefix = literal.prefix
                    let replacement = prefix.isEmpty ? "{description}" : prefix + "{description}"
                    fixes.append(Fix("write the bare `\(replacement)`: templatec renders the same literal, and the catalog's quoted value fits",
                                     [TextEdit(literal.span, replacement)]))
                }
                diagnostics.append(Diagnostic(
                    .compatQuotedDescription,
                    "the catalog inserts `{description}` already quoted, so these quotes double it (`''text''`, a syntax error there): write the bare `{description}`, which templatec renders the same way",
                    at: p.span, fixes: fixes))
            case (.tagKey, .string), (.tagValue, .string), (.owner, .string):
                // Names of database objects come from the database itself; tag names and user
                // names are typed by catalog users, so they are the values that can hold a quote.
                diagnostics.append(Diagnostic(
                    .compatRawValueInLiteral,
                    "the catalog pastes `{\(p.name)}` raw into \(p.context.phrase): a quote in the value ends it and the rest runs as SQL (templatec escapes it); keep quotes out of these names in the catalog, or render with templatec",
                    at: p.span))
            case (.tags, .bare):
                // BigQuery accepts the catalog's `[('k', 'v')]`; its lowercase rule is STM410's.
                guard input.dialect.tagsListForm == .databricksTags else { continue }
                diagnostics.append(Diagnostic(
                    .compatTagsList,
                    "the catalog renders `{tags}` as a Python list of tuples (`[('PII', 'Sensitive')]`), which `SET TAGS` does not accept (it takes `('k' = 'v')`): for both renderers use one `SET TAG ON … {tag_key} = {tag_value}` statement per tag (DBR 16.1 and later)",
                    at: p.span))
            case (.tagValue, .bare), (.tagValue, .nationalPrefixed):
                diagnostics.append(Diagnostic(
                    .compatBareTextValue,
                    "the catalog pastes `{tag_value}` without quotes, so it would be read as a name: write `'{tag_value}'`, which both renderers accept",
                    at: p.span,
                    fixes: [Fix("quote it: `'{tag_value}'`", [TextEdit(p.span, "'{tag_value}'")], .unsafe)]))
            default:
                continue
            }
        }
    }

    /// The string literal that holds exactly this placeholder and nothing else (`'{description}'`).
    func enclosingLiteral(_ p: Placeholder, _ input: RuleInput) -> (span: Span, prefix: String)? {
        guard case .string(let kind) = p.context else { return nil }
        for t in input.template.tokens where t.span.contains(p.span) {
            guard case .string = t.kind else { continue }
            let opening = kind.opening.utf8.count
            let closing = kind.triple ? 3 : 1
            guard t.span.start + opening == p.span.start, p.span.end + closing == t.span.end else { return nil }
            // Keep the prefix only where a bare placeholder can carry it (`N{description}`).
            let prefix = kind.prefix == "N" ? String(decoding: input.template.text[t.span.start..<t.span.start + 1], as: UTF8.self) : ""
            return (t.span, prefix)
        }
        return nil
    }
}

extension DiagnosticCode {
    public static let compatQuotedDescription = DiagnosticCode(
        "STM420", "compat-quoted-description", .error,
        "With `--compat collate`: `'{description}'` in quotes, which the catalog's rendering quotes twice.",
        "OpenMetadata / Collate insert `{description}` already as a quoted SQL string, so `'{description}'` renders `''new text''`: an empty string followed by text, a syntax error. templatec treats both spellings alike, so write the bare `{description}` to keep one template valid for both (the fix does this).",
        triggering: ["-- templatec: dialect=trino update=description level=table compat=collate\nCOMMENT ON TABLE {database}.{schema}.{table} IS '⟦{description}⟧';"],
        nonTriggering: ["-- templatec: dialect=trino update=description level=table compat=collate\nCOMMENT ON TABLE {database}.{schema}.{table} IS {description};",
                        "-- templatec: dialect=trino update=description level=table\nCOMMENT ON TABLE {database}.{schema}.{table} IS '{description}';"])

    public static let compatRawValueInLiteral = DiagnosticCode(
        "STM421", "compat-raw-value-in-literal", .warning,
        "With `--compat collate`: a tag or owner name inside quotes (`'{tag_value}'`), which the catalog pastes raw.",
        "templatec escapes a value for the literal it stands in, but the catalog's f-string rendering pastes it as it is: a quote in a tag name ends the literal and the rest runs as SQL. Under the catalog the template is only as safe as its values; keep quotes out of those names, or run the template through templatec.",
        triggering: ["-- templatec: dialect=snowflake update=tags level=schema compat=collate\nALTER SCHEMA {database}.{schema} SET TAG {database}.{schema}.{tag_key} = '⟦{tag_value}⟧';"],
        nonTriggering: ["-- templatec: dialect=snowflake update=tags level=schema\nALTER SCHEMA {database}.{schema} SET TAG {database}.{schema}.{tag_key} = '{tag_value}';"])

    public static let compatTagsList = DiagnosticCode(
        "STM422", "compat-tags-list", .error,
        "With `--compat collate`: `{tags}`, which the catalog renders as a Python list of tuples.",
        "The catalog renders `{tags}` as `[('PII', 'Sensitive')]`. Databricks `SET TAGS` takes `('k' = 'v')`, so the statement fails. (BigQuery accepts the list; its lowercase rule is STM410.) For Databricks use `SET TAG ON … {tag_key} = {tag_value}` (DBR 16.1 and later) to keep one template valid for both.",
        triggering: ["-- templatec: dialect=databricks update=tags level=table compat=collate\nALTER TABLE {database}.{schema}.{table} SET TAGS ⟦{tags}⟧;"],
        nonTriggering: ["-- templatec: dialect=databricks update=tags level=table\nALTER TABLE {database}.{schema}.{table} SET TAGS {tags};"])

    public static let compatBareTextValue = DiagnosticCode(
        "STM423", "compat-bare-text-value", .error,
        "With `--compat collate`: a bare `{tag_value}`, which the catalog pastes without quotes.",
        "templatec renders a bare text value as a complete literal, but the catalog pastes `{tag_value}` raw, so `= {tag_value}` becomes `= Sensitive`: a name, not a string. Quote it (`'{tag_value}'`), which both renderers accept.",
        triggering: ["-- templatec: dialect=snowflake update=tags level=table compat=collate\nALTER TABLE {schema}.{table} SET TAG {tag_key} = ⟦{tag_value}⟧;"],
        nonTriggering: ["-- templatec: dialect=snowflake update=tags level=table\nALTER TABLE {schema}.{table} SET TAG {tag_key} = {tag_value};"])
}
