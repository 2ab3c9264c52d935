-- templatec: dialect=postgres update=description level=column
COMMENT ON COLUMN {column} IS {description};
