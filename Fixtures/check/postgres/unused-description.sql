-- templatec: dialect=postgres update=description level=table
COMMENT ON TABLE {schema}.{table} IS 'synced';
