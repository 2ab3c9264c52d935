-- templatec: dialect=snowflake update=owner level=table
GRANT OWNERSHIP ON TABLE {database}.{schema}.{table} TO ROLE {owner} COPY CURRENT GRANTS;
