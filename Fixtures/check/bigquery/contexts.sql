-- templatec: dialect=bigquery update=description,tags level=table
# a hash comment {table}
ALTER TABLE `{database}.{schema}.{table}` SET OPTIONS (description = {description});
ALTER TABLE `{schema}`.`{table}` SET OPTIONS (description = '{description}');
ALTER TABLE {table} SET OPTIONS (description = "{description}");
ALTER TABLE {table} SET OPTIONS (description = '''{description}
spans lines''');
ALTER TABLE {table} SET OPTIONS (description = """{description}""");
ALTER TABLE {table} SET OPTIONS (description = r'{description}');
ALTER TABLE {table} SET OPTIONS (description = RB"{description}");
ALTER TABLE {table} SET OPTIONS (description = b'{description}');
ALTER TABLE {table} SET OPTIONS (labels = {tags});
ALTER TABLE {table} SET OPTIONS (labels = '{tags}');
ALTER TABLE {table} SET OPTIONS (description = 'one
line only');
