-- templatec: dialect=trino update=description level=column
COMMENT ON COLUMN {database}.{schema}.{table}.{column} IS {description};
COMMENT ON COLUMN "{database}"."{schema}"."{table}"."{column}" IS '{description}';
COMMENT ON COLUMN {database}.{schema}.{table}.{column} IS U&'{description}';
/* not nested in Trino: the first */ closes it */
