-- templatec: dialect=databricks update=tags level=table
ALTER TABLE {database}.{schema}.{table} SET TAG {tag_key} = '{tag_value}';
