-- templatec: dialect=postgres update=description level=table
COMMENT ON TABLE {table} IS $x$ never closed {description};
