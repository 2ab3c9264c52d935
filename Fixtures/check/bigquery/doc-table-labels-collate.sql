-- templatec: dialect=bigquery update=tags level=table compat=collate
ALTER TABLE `{database}.{schema}.{table}` SET OPTIONS (labels = {tags});
