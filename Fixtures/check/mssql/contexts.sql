-- templatec: dialect=mssql update=description level=table
EXEC sp_addextendedproperty @name = N'MS_Description', @value = N{description},
    @level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = [{table}];
EXEC sp_updateextendedproperty @name = N'MS_Description', @value = {description},
    @level0type = N'SCHEMA', @level0name = "{schema}", @level1type = N'TABLE', @level1name = N'{table}';
/* nested /* comment */ {table} */
