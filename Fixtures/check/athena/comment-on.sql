-- templatec: dialect=athena update=description level=table
COMMENT ON TABLE {schema}.{table} IS {description};
