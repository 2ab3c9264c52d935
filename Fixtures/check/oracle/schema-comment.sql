-- templatec: dialect=oracle update=description level=schema
COMMENT ON SCHEMA {schema} IS {description};
