-- templatec: dialect=postgres update=description level=table
COMMENT ON TABLE {table} IS 'unfinished;
COMMENT ON TABLE {schema}.{table} IS 'x';
