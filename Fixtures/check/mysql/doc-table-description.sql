-- templatec: dialect=mysql update=description level=table
ALTER TABLE {schema}.{table} COMMENT = {description};
