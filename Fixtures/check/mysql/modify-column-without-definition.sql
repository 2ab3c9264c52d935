-- templatec: dialect=mysql update=description level=column
ALTER TABLE {schema}.{table} MODIFY COLUMN {column} COMMENT {description};
