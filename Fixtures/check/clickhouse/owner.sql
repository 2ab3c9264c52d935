-- templatec: dialect=clickhouse update=owner level=table
ALTER TABLE {schema}.{table} OWNER TO {owner};
