-- templatec: dialect=postgres update=description level=table
/* note
COMMENT ON TABLE {schema}.{table} IS {description};
