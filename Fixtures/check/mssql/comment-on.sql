-- templatec: dialect=mssql update=description level=table
COMMENT ON TABLE {schema}.{table} IS {description};
