/// STM406: MySQL `MODIFY COLUMN` / `CHANGE COLUMN` and Athena `CHANGE COLUMN` without the column
/// definition. Which forms need one is the dialect's data (`StatementForm.definitionRequired`).
public struct ColumnDefinitionRule: Rule {
    public static let codes: [DiagnosticCode] = [.columnDefinitionMissing]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for s in input.sqlStatements {
            guard let c = input.supportedClassification(s), let message = c.form.definitionRequired,
                  (c.firstSkipTokenCount ?? 0) == 0 else { continue }
            diagnostics.append(Diagnostic(.columnDefinitionMissing, message, at: input.headSpan(s)))
        }
    }
}

extension DiagnosticCode {
    public static let columnDefinitionMissing = DiagnosticCode(
        "STM406", "column-definition-missing", .error,
        "MySQL `MODIFY COLUMN` / `CHANGE COLUMN` or Athena `CHANGE COLUMN` without the column's definition.",
        "These forms replace the whole column definition: without the type the statement fails, and without the other attributes (NULL, DEFAULT, charset) they are dropped. Restate the definition before COMMENT, e.g. `MODIFY COLUMN {column} VARCHAR(255) NOT NULL COMMENT {description}`. A template is shared by every column, so a column-specific definition usually means one template per column type.",
        triggering: ["-- templatec: dialect=mysql update=description level=column\n⟦ALTER TABLE {schema}.{table} MODIFY COLUMN {column} COMMENT {description}⟧;",
                     "-- templatec: dialect=athena update=description level=column\n⟦ALTER TABLE {schema}.{table} CHANGE COLUMN {column} {column} COMMENT {description}⟧;"],
        nonTriggering: ["-- templatec: dialect=mysql update=description level=column\nALTER TABLE {schema}.{table} MODIFY COLUMN {column} VARCHAR(255) NOT NULL COMMENT {description};",
                        "-- templatec: dialect=clickhouse update=description level=column\nALTER TABLE {schema}.{table} MODIFY COLUMN {column} COMMENT {description};"])
}
