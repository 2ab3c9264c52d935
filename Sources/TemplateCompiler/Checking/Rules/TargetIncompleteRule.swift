/// STM403: the statement's target does not name the object of its level.
public struct TargetIncompleteRule: Rule {
    public static let codes: [DiagnosticCode] = [.targetIncomplete]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for s in input.sqlStatements {
            guard let c = input.supportedClassification(s) else { continue }
            // At database level the statement may address the current database (T-SQL extended
            // properties without level arguments, Redshift's COMMENT ON DATABASE).
            guard c.level != .database else { continue }
            let at = c.targetSpan ?? input.headSpan(s)
            let needed = c.level.namingVariable
            let used = input.placeholders(of: s).contains { $0.variable == needed }
            if !used {
                diagnostics.append(Diagnostic(
                    .targetIncomplete,
                    "this statement targets \(c.level.phrase) but never uses `{\(needed.rawValue)}`: every \(c.level.rawValue) update would write to the same object; name it with `{\(needed.rawValue)}`",
                    at: at))
                continue
            }
            // `COMMENT ON COLUMN <target>`: the column is the last part of a name that must hold
            // the table too.
            if c.level == .column, c.form.pattern.contains("COLUMN <target>"), let target = c.targetSpan,
               parts(of: target, input) < 2 {
                diagnostics.append(Diagnostic(
                    .targetIncomplete,
                    "a column is named with its table: write `{table}.{column}` (or `{schema}.{table}.{column}`)",
                    at: target))
            }
        }
    }

    /// The number of dot-separated parts of a target name (dots inside quotes do not count).
    func parts(of span: Span, _ input: RuleInput) -> Int {
        var n = 1
        for t in input.template.tokens where span.contains(t.span) {
            if t.kind == .punctuation, input.template.text[t.span.start] == UInt8(ascii: ".") { n += 1 }
        }
        return n
    }
}

extension DiagnosticCode {
    public static let targetIncomplete = DiagnosticCode(
        "STM403", "target-incomplete", .error,
        "The statement's target does not name the object of its level: no `{column}` in a column statement, or too few name parts.",
        "`COMMENT ON COLUMN {table} IS …` names no column (and fails), and a table statement without `{table}` writes every table's update to the same object. Name the object with the level's variable: `{schema}.{table}.{column}`.",
        triggering: ["-- templatec: dialect=postgres update=description level=column\nCOMMENT ON COLUMN ⟦{schema}.{table}⟧ IS {description};",
                     "-- templatec: dialect=postgres update=description level=column\nCOMMENT ON COLUMN ⟦{column}⟧ IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=column\nCOMMENT ON COLUMN {table}.{column} IS {description};"])
}
