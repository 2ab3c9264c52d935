-- templatec: dialect=mssql update=description level=table
EXEC sys.sp_updateextendedproperty @name = N'MS_Description', @value = N{description},
     @level0type = N'SCHEMA', @level0name = N'{schema}',
     @level1type = N'TABLE', @level1name = N'{table}',
     @level2type = N'COLUMN', @level2name = N'{column}';
