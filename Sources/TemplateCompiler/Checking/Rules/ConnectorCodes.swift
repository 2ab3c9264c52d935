/// Codes of the connector rules (what a real engine or its client does with a template's text
/// beyond the SQL grammar): T-SQL client batch separators and non-Unicode literals. Registered as
/// one block at the end of `DiagnosticCatalog.all`.
public enum ConnectorRules {
    public static let codes: [DiagnosticCode] = [.clientBatchSeparator, .nonUnicodeLiteral]
    public static let rules: [any Rule] = [ClientBatchSeparatorRule(), NonUnicodeLiteralRule()]
}

extension DiagnosticCode {
    public static let clientBatchSeparator = DiagnosticCode(
        "STM440", "client-batch-separator", .error,
        "A `GO` line in a SQL Server template: a batch separator of sqlcmd and SSMS, not T-SQL.",
        "`GO` is read by client tools, which split the script there; the server never sees it. templatec's executors send the rendered template to the server as it is, where `GO` is a syntax error (or, after `EXEC`, the name of a procedure). End each statement with `;` instead; several statements run in one batch.",
        triggering: ["-- templatec: dialect=mssql update=owner level=schema\nALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner};\nGO",
                     "-- templatec: dialect=mssql update=owner level=schema\nUSE {database}\ngo 2\nALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner};"],
        nonTriggering: ["-- templatec: dialect=mssql update=owner level=schema\nUSE {database};\nALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner};",
                        "-- templatec: dialect=postgres update=owner level=schema\nALTER SCHEMA {schema} OWNER TO go;"])

    public static let nonUnicodeLiteral = DiagnosticCode(
        "STM441", "non-unicode-literal", .warning,
        "A placeholder inside a `'…'` literal where the dialect needs `N'…'` for Unicode text (SQL Server).",
        "In T-SQL a `'…'` literal is varchar in the database's collation: on a non-Unicode collation, characters outside its code page become `?` and the description is stored mangled, silently. `N'…'` is nvarchar and keeps every character. Write `N'{description}'`, or the bare `{description}`, which templatec renders as a complete `N'…'` literal.",
        triggering: ["-- templatec: dialect=mssql update=description level=schema\nEXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = '{description}', @level0type = N'SCHEMA', @level0name = N'{schema}';"],
        nonTriggering: ["-- templatec: dialect=mssql update=description level=schema\nEXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'{description}', @level0type = N'SCHEMA', @level0name = N'{schema}';",
                        "-- templatec: dialect=mssql update=description level=schema\nEXEC sys.sp_addextendedproperty N'MS_Description', {description}, N'SCHEMA', {schema};",
                        "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS '{description}';"])
}
