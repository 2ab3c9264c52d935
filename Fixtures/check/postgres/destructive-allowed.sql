-- templatec: dialect=postgres update=description level=table allow_destructive=on
COMMENT ON TABLE {schema}.{table} IS {description};
DELETE FROM audit.pending WHERE name = '{table}';
