-- templatec: dialect=postgres update=description level=table,column
COMMENT ON TABLE {schema}.{table} IS {description};
