-- templatec: dialect=postgres update=description level=column
-- Every placeholder context PostgreSQL has, one statement each.
COMMENT ON COLUMN {schema}.{table}.{column} IS {description};
COMMENT ON COLUMN "{schema}"."{table}"."{column}" IS '{description}';
COMMENT ON COLUMN {schema}.{table}.{column} IS E'{description}';
COMMENT ON COLUMN {schema}.{table}.{column} IS N'{description}';
COMMENT ON COLUMN {schema}.{table}.{column} IS N{description};
COMMENT ON COLUMN {schema}.{table}.{column} IS $$ {description} $$;
COMMENT ON COLUMN {schema}.{table}.{column} IS $body${description}$body$;
COMMENT ON COLUMN stg_{table}.{column} IS U&'{description}';
COMMENT ON COLUMN {schema}.{table}.{column} IS B'{description}';
COMMENT ON COLUMN {schema}.{table}.{column} IS X'{description}';
