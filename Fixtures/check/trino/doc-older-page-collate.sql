-- templatec: dialect=trino update=description level=table compat=collate
COMMENT ON TABLE {catalog}.{schema}.{table} IS '{description}';
