-- templatec: dialect=databricks update=description,tags level=table
COMMENT ON TABLE `{database}`.`{schema}`.`{table}` IS {description};
COMMENT ON TABLE {database}.{schema}.{table} IS '{description}';
COMMENT ON TABLE {database}.{schema}.{table} IS "{description}";
COMMENT ON TABLE {database}.{schema}.{table} IS r'{description}';
ALTER TABLE {database}.{schema}.{table} SET TAGS {tags};
/* nested /* comment */ {table} */
