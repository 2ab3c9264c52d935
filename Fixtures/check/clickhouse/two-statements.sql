-- templatec: dialect=clickhouse update=description level=table
ALTER TABLE {schema}.{table} MODIFY COMMENT {description};
SELECT 1;
