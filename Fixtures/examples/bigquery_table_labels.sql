-- templatec: dialect=bigquery update=tags level=table
ALTER TABLE `{database}.{schema}.{table}` SET OPTIONS (labels = {tags});
