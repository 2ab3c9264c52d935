-- templatec: dialect=snowflake update=owner level=table
ALTER TABLE {database}.{schema}.{table} OWNER TO {owner};
