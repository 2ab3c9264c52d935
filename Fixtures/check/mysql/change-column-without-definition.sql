-- templatec: dialect=mysql update=description level=column
ALTER TABLE {schema}.{table} CHANGE COLUMN {column} {column} COMMENT {description};
