-- templatec: dialect=oracle update=owner level=table
ALTER TABLE {schema}.{table} OWNER TO {owner};
