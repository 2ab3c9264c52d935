-- templatec: dialect=postgres update=description level=column
COMMENT ON TABLE {schema}.{table} IS {description};
