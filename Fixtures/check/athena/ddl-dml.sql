-- templatec: dialect=athena update=description level=table
-- DDL (first keyword ALTER): Hive's rules, backtick names and backslash escapes.
ALTER TABLE `{schema}`.`{table}` SET TBLPROPERTIES ('comment' = 'it\'s {description}');
ALTER TABLE {schema}.{table} SET TBLPROPERTIES ('comment' = "{description}");
-- DML (first keyword SELECT): Trino's rules, double-quoted names, '' escapes.
SELECT '{description}' AS d FROM "{schema}"."{table}";
SELECT 'it''s' FROM "{table}";
