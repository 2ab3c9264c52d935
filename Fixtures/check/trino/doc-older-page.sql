-- templatec: dialect=trino update=description level=table
COMMENT ON TABLE {catalog}.{schema}.{table} IS '{description}';
