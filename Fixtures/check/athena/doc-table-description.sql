-- templatec: dialect=athena update=description level=table
ALTER TABLE {schema}.{table} SET TBLPROPERTIES ('comment' = {description});
