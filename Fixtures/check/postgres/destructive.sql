-- templatec: dialect=postgres update=description level=table
COMMENT ON TABLE {schema}.{table} IS {description};
TRUNCATE {schema}.{table};
GRANT SELECT ON {schema}.{table} TO PUBLIC;
