-- templatec: dialect=oracle update=description level=column
COMMENT ON COLUMN "{schema}"."{table}"."{column}" IS {description};
COMMENT ON COLUMN {schema}.{table}.{column} IS '{description}';
COMMENT ON COLUMN {schema}.{table}.{column} IS N'{description}';
COMMENT ON COLUMN {schema}.{table}.{column} IS q'[{description}]';
COMMENT ON COLUMN {schema}.{table}.{column} IS nq'!{description}!';
COMMENT ON COLUMN {schema}.{table}.{column} IS q'[it's fine]';
