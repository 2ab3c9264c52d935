-- templatec: dialect=oracle update=description level=column
COMMENT ON COLUMN {schema}.{table}.{column} IS {description}
