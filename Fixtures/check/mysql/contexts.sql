-- templatec: dialect=mysql update=description level=table
# a hash comment {table}
--not a comment without the space: this line is SQL, so the statement goes on
ALTER TABLE `{schema}`.`{table}` COMMENT = {description};
ALTER TABLE {table} COMMENT = '{description}';
ALTER TABLE {table} COMMENT = "{description}";
ALTER TABLE {table} COMMENT = N'{description}';
ALTER TABLE {table} COMMENT = X'{description}';
ALTER TABLE {table} COMMENT = b'{description}';
/*!50100 ALTER TABLE {table} COMMENT = {description} */;
/*M!100500 ALTER TABLE {table} COMMENT = '{description}' */;
/* an ordinary comment {description} */
ALTER TABLE {table} COMMENT = 'it\'s {description}';
