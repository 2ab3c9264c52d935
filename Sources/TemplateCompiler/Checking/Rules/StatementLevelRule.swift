/// STM402: a statement that targets another level than the template serves.
public struct StatementLevelRule: Rule {
    public static let codes: [DiagnosticCode] = [.statementLevelMismatch]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        let context = input.context
        // An inferred context comes from the statements themselves: nothing to compare.
        guard !context.inferred, !context.levels.isEmpty else { return }
        let served = context.levels.map(\.rawValue).joined(separator: ", ")
        var covered = Set<Level>()
        var firstClassified: Statement? = nil
        for s in input.sqlStatements {
            guard let c = input.supportedClassification(s) else { continue }
            // A statement for another update kind is STM404's business.
            guard context.updates.isEmpty || context.updates.contains(c.kind.update) else { continue }
            if firstClassified == nil { firstClassified = s }
            covered.insert(c.level)
            if !context.levels.contains(c.level) {
                diagnostics.append(Diagnostic(
                    .statementLevelMismatch,
                    "this statement targets \(c.level.phrase), but the template serves the \(served) level: make it target the \(served) (e.g. `\(example(context.levels[0], input))`) or declare `level=\(c.level.rawValue)`",
                    at: c.targetSpan ?? input.headSpan(s)))
            }
        }
        guard let s = firstClassified, covered.contains(where: context.levels.contains) else { return }
        let missing = context.levels.filter { !covered.contains($0) }
        if !missing.isEmpty {
            let names = missing.map(\.rawValue).joined(separator: ", ")
            diagnostics.append(Diagnostic(
                .statementLevelMismatch,
                "the template serves the \(names) level too, but no statement targets it: a \(names) update would run these statements on \(covered.sorted().map(\.phrase).joined(separator: ", ")); drop `\(names)` from `level=` or write one template per level",
                at: input.headSpan(s)))
        }
    }

    func example(_ level: Level, _ input: RuleInput) -> String {
        switch level {
        case .database: return "{database}"
        case .schema: return "{schema}"
        case .table: return "{schema}.{table}"
        case .column: return "{table}.{column}"
        }
    }
}

extension DiagnosticCode {
    public static let statementLevelMismatch = DiagnosticCode(
        "STM402", "statement-level-mismatch", .error,
        "A statement targets another level than the template serves: a column-level template running `COMMENT ON TABLE`.",
        "The sync renders a template for each object of the levels it serves. A column-level update that runs `COMMENT ON TABLE` overwrites the table's comment with a column's description. Make the statement target the level (`COMMENT ON COLUMN {table}.{column}`), or declare the level the statement targets.",
        triggering: ["-- templatec: dialect=postgres update=description level=column\nCOMMENT ON TABLE ⟦{schema}.{table}⟧ IS {description};",
                     "-- templatec: dialect=snowflake update=description level=table,column\n⟦COMMENT ON TABLE {schema}.{table} IS {description}⟧;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=column\nCOMMENT ON COLUMN {schema}.{table}.{column} IS {description};"])
}
