-- templatec: dialect=postgres update=owner level=table
COMMENT ON TABLE {schema}.{table} IS 'owned by the data team';
