-- templatec: dialect=snowflake update=description,tags level=table
// a slash comment {table}
COMMENT ON TABLE {database}.{schema}.{table} IS {description};
COMMENT ON TABLE "{database}"."{schema}"."{table}" IS 'back\'slash {description}';
COMMENT ON TABLE {table} IS $${description}$$;
ALTER TABLE {table} SET TAG {tag_key} = '{tag_value}';
ALTER TABLE {table} SET TAG {tags};
COMMENT ON TABLE {table} IS X'{description}';
