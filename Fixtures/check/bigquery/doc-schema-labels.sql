-- templatec: dialect=bigquery update=tags level=schema compat=collate
ALTER SCHEMA `{database}.{schema}` SET OPTIONS (labels = {tags});
