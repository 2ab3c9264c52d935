-- templatec: dialect=trino update=description level=schema
COMMENT ON SCHEMA {database}.{schema} IS {description};
