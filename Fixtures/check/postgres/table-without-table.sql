-- templatec: dialect=postgres update=description level=table
COMMENT ON TABLE {schema}.customers IS {description};
