-- templatec: dialect=mysql update=owner level=table
ALTER TABLE {schema}.{table} OWNER TO {owner};
