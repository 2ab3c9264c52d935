/// STM440: `OWNER TO '{owner}'`. An owner is a name (a role, a user, a principal), and a string
/// literal in its place is a syntax error in PostgreSQL, Redshift, Databricks and Snowflake. The
/// engine refuses it on every update, so this is an error, not an unverified statement.
public struct OwnerAsStringRule: Rule {
    public static let codes: [DiagnosticCode] = [.ownerAsString]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for s in input.sqlStatements {
            let owners = input.placeholders(of: s).filter { p in
                guard p.variable == .owner, case .string = p.context else { return false }
                return true
            }
            // Only ownership statements: elsewhere a quoted account is right (MySQL's
            // `GRANT … TO 'user'@'host'`, `ALTER USER 'bob'`).
            guard !owners.isEmpty, transfersOwnership(s, input) else { continue }
            for p in owners {
                guard let token = input.token(holding: p.span, in: s),
                      let before = input.significantToken(before: token, in: s),
                      input.template.tokens[before].kind == .word,
                      ["TO", "ROLE"].contains(input.upperWord(before)) else { continue }
                diagnostics.append(input.quotedPlaceholderFinding(.ownerAsString, token: token, p) {
                    "`\($0)` is a string literal, but an owner is a name: \(input.dialect.displayName) refuses a string here; write the bare `{owner}`, which templatec quotes as a name when it must"
                })
            }
        }
    }
}

extension OwnerAsStringRule {
    /// `OWNER TO`, Snowflake's `GRANT OWNERSHIP`, T-SQL's `ALTER AUTHORIZATION`.
    static let ownershipWords: Set<String> = ["OWNER", "OWNERSHIP", "AUTHORIZATION"]

    func transfersOwnership(_ s: Statement, _ input: RuleInput) -> Bool {
        input.significantTokens(s, limit: 64).contains { input.template.tokens[$0].kind == .word && Self.ownershipWords.contains(input.upperWord($0)) }
    }
}

extension DiagnosticCode {
    public static let ownerAsString = DiagnosticCode(
        "STM440", "owner-as-string", .error,
        "An owner written as a string literal: `OWNER TO '{owner}'`.",
        "An owner is a role, a user or a principal: a name, not text. `OWNER TO 'alice'` is a syntax error in PostgreSQL, Redshift and Databricks (and `TO ROLE 'x'` in Snowflake), so every owner update through the template fails. Write the bare `{owner}`: templatec renders it as a name, quoted where the value needs it.",
        triggering: ["-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {schema}.{table} OWNER TO ⟦'{owner}'⟧;",
                     "-- templatec: dialect=databricks update=owner level=table\nALTER TABLE {database}.{schema}.{table} OWNER TO ⟦'{owner}'⟧;"],
        nonTriggering: ["-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {schema}.{table} OWNER TO {owner};",
                        "-- templatec: dialect=mysql update=owner level=table allow_destructive=on\nGRANT SELECT ON {schema}.{table} TO '{owner}'@'%';"])
}
