-- templatec: dialect=bigquery update=tags level=schema
ALTER SCHEMA `{database}.{schema}` SET OPTIONS (labels = {tags});
