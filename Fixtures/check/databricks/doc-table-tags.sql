-- templatec: dialect=databricks update=tags level=table
ALTER TABLE {database}.{schema}.{table} SET TAGS {tags};
