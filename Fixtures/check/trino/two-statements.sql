-- templatec: dialect=trino update=description level=table
COMMENT ON TABLE {schema}.{table} IS {description};
COMMENT ON VIEW {schema}.{table} IS {description};
