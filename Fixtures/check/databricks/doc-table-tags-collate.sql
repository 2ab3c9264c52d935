-- templatec: dialect=databricks update=tags level=table compat=collate
ALTER TABLE {database}.{schema}.{table} SET TAGS {tags};
