-- templatec: dialect=databricks update=description level=table
ALTER TABLE {database}.{schema}.{table} DROP COLUMN legacy;
