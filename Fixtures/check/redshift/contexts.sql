-- templatec: dialect=redshift update=description level=table
-- Redshift: backslash escapes in '…', no E'' strings, nested comments, dollar quotes.
COMMENT ON TABLE {schema}.{table} IS 'back\'slash {description}';
COMMENT ON TABLE "{schema}"."{table}" IS {description};
/* outer /* inner */ outer {table} */
COMMENT ON TABLE {schema}.{table} IS $$ {description} $$;
