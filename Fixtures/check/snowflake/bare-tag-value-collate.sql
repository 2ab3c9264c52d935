-- templatec: dialect=snowflake update=tags level=table compat=collate
ALTER TABLE {schema}.{table} SET TAG {tag_key} = {tag_value};
