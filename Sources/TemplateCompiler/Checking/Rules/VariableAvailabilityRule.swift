/// CTX201 and CTX202: a variable the update kind or the level does not provide.
public struct VariableAvailabilityRule: Rule {
    public static let codes: [DiagnosticCode] = [.variableNotInUpdate, .variableNotAtLevel]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        let context = input.context
        for p in input.template.placeholders {
            guard let v = p.variable else { continue }
            if let needed = v.update, !context.updates.isEmpty, !context.updates.contains(needed) {
                let provided = context.updates.map(\.rawValue).joined(separator: ", ")
                let has = context.updates.flatMap { u in Variable.allCases.filter { $0.update == u } }.map { "{\($0.rawValue)}" }
                diagnostics.append(Diagnostic(
                    .variableNotInUpdate,
                    "`{\(v.rawValue)}` exists only for \(needed.rawValue) updates, but this template serves \(provided) updates (which provide \(has.joined(separator: ", "))): remove it or change the update context",
                    at: p.span))
            }
            if let minimum = v.minimumLevel, let shallow = context.levels.first(where: { $0 < minimum }) {
                diagnostics.append(Diagnostic(
                    .variableNotAtLevel,
                    "`{\(v.rawValue)}` exists at \(minimum.rawValue) level and below, but this template also serves the \(shallow.rawValue) level, where it is missing: remove it or drop level \(shallow.rawValue)",
                    at: p.span))
            }
        }
    }
}

extension DiagnosticCode {
    public static let variableNotInUpdate = DiagnosticCode(
        "CTX201", "variable-not-in-update", .error,
        "A variable the update kind does not provide: `{description}` in an owner template.",
        "Each update provides its own variables: description → {description}; owner → {owner}; tags → {tag_key}, {tag_value}, {tags}. A missing variable fails every render.",
        triggering: ["-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {table} OWNER TO {owner}; COMMENT ON TABLE {table} IS ⟦{description}⟧;"],
        nonTriggering: ["-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {schema}.{table} OWNER TO {owner};"])

    public static let variableNotAtLevel = DiagnosticCode(
        "CTX202", "variable-not-at-level", .error,
        "A variable the level does not provide: `{column}` at table level, `{table}` at database level.",
        "At database level only {database} names the target; schema level adds {schema}, table level {table}, column level {column}.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON COLUMN {table}.⟦{column}⟧ IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=column\nCOMMENT ON COLUMN {table}.{column} IS {description};"])
}
