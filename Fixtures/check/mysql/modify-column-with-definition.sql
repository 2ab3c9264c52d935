-- templatec: dialect=mysql update=description level=column
ALTER TABLE {schema}.{table} MODIFY COLUMN {column} VARCHAR(255) NOT NULL COMMENT {description};
