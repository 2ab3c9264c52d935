-- templatec: dialect=databricks update=owner level=table
ALTER TABLE {database}.{schema}.{table} OWNER TO {owner}@company.com;
ALTER TABLE {database}.{schema}.{table} OWNER TO '{owner}';
ALTER TABLE {database}.{schema}.{table} OWNER TO `{owner}@company.com`;
