-- templatec: dialect=redshift update=description level=schema
COMMENT ON SCHEMA {schema} IS {description};
