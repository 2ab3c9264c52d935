-- templatec: dialect=redshift update=description level=column
COMMENT ON COLUMN {database}.{schema}.{table}.{column} IS {description};
