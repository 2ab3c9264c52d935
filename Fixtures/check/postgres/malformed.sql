-- templatec: dialect=postgres update=description level=table
COMMENT ON TABLE {schema}.{table} IS {description!r};
COMMENT ON TABLE {schema}.{table} IS {description:>20};
COMMENT ON TABLE {0}.{} IS {description};
COMMENT ON TABLE {table.name} IS {description};
COMMENT ON TABLE {table[0]} IS {description};
COMMENT ON TABLE { table } IS {descripton};
COMMENT ON TABLE {catalog}.{table} IS {my-description};
COMMENT ON TABLE {table IS {description};
COMMENT ON TABLE table} IS {description};
