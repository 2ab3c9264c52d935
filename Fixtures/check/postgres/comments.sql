-- templatec: dialect=postgres update=description level=table
/* a block comment /* nested, as PostgreSQL allows */ still in the comment {table} */
COMMENT ON TABLE {schema}.{table} IS {description}; -- trailing {description}
/* literal braces {{ and }} are fine everywhere */
COMMENT ON TABLE {schema}.{table} IS 'braces {{}} in a literal';
