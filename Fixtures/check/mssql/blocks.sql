-- templatec: dialect=mssql update=description level=table
-- BEGIN … END keeps its statements together: one statement, not three.
IF EXISTS (SELECT 1 FROM sys.tables WHERE name = N'{table}')
BEGIN
    EXEC sp_dropextendedproperty @name = N'MS_Description', @level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = N'{table}';
    EXEC sp_addextendedproperty @name = N'MS_Description', @value = N{description}, @level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = N'{table}';
END;
BEGIN TRANSACTION;
SELECT CASE WHEN 1 = 1 THEN N'{description}' END;
COMMIT;
