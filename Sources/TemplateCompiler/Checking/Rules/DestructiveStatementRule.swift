/// STM407: statements that change data or permissions, refused unless the configuration allows
/// them (`allowDestructive`).
public struct DestructiveStatementRule: Rule {
    public static let codes: [DiagnosticCode] = [.destructiveStatement]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        guard input.settings.allowDestructive != true else { return }
        for s in input.sqlStatements {
            guard let k = DestructiveStatements.keyword(s, input) else { continue }
            let word = input.upperWord(k)
            diagnostics.append(Diagnostic(
                .destructiveStatement,
                "`\(word)` changes data or permissions, not metadata: a sync template runs it on every update with the sync's privileges; remove it, or allow it with `\"allowDestructive\": true` in .templatec.json",
                at: input.template.tokens[k].span))
        }
    }
}

extension DiagnosticCode {
    public static let destructiveStatement = DiagnosticCode(
        "STM407", "destructive-statement", .error,
        "A statement that changes data or permissions: DROP, TRUNCATE, DELETE, UPDATE, INSERT, MERGE, RENAME, GRANT, REVOKE.",
        "Metadata sync writes descriptions, owners and tags. A template that drops, deletes or grants runs with the sync's privileges on every update, so it is refused unless the configuration allows it (`\"allowDestructive\": true` in .templatec.json, or `allow_destructive=on`). Ownership transfers (`GRANT OWNERSHIP` in Snowflake) are not destructive.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\n⟦DROP⟧ TABLE {schema}.{table};",
                     "-- templatec: dialect=postgres update=owner level=table\n⟦GRANT⟧ ALL ON {schema}.{table} TO {owner};"],
        nonTriggering: ["-- templatec: dialect=snowflake update=owner level=table\nGRANT OWNERSHIP ON TABLE {schema}.{table} TO ROLE {owner} COPY CURRENT GRANTS;",
                        "-- templatec: dialect=postgres update=description level=table allow_destructive=on\nDELETE FROM audit.comments WHERE name = '{table}';"])
}
