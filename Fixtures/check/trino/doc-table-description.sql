-- templatec: dialect=trino update=description level=table
COMMENT ON TABLE "{database}"."{schema}"."{table}" IS {description}
