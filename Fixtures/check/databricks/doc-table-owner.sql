-- templatec: dialect=databricks update=owner level=table
ALTER TABLE `{database}`.`{schema}`.`{table}` OWNER TO `{owner}@gmail.com`;
