-- templatec: dialect=bigquery update=tags level=column
ALTER TABLE `{schema}.{table}` ALTER COLUMN {column} SET OPTIONS (labels = {tags});
