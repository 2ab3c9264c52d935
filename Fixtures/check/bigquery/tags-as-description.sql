-- templatec: dialect=bigquery update=tags level=table
ALTER TABLE `{schema}.{table}` SET OPTIONS (description = {tags});
