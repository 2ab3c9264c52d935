-- templatec: dialect=postgres update=description,owner level=table
-- Mistakes a newcomer makes; each is an error with its own code, not an unverified statement.
ALTER TABLE {schema}.{table} OWNER TO '{owner}';
COMMENT ON TABLE {schema}.{table} IS "{description}";
COMMENT ON TABLE {schema}.{table} IS {description} || ' (synced from the catalog)';
COMMENT ON TABLE {schema}.{table} IS 'it's synced';
