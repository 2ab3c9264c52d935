-- templatec: dialect=snowflake update=tags level=schema compat=collate
ALTER SCHEMA {database}.{schema} SET TAG {database}.{schema}.{tag_key} = '{tag_value}';
