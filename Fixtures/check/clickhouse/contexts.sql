-- templatec: dialect=clickhouse update=description level=table
#! a shebang-style comment {table}
# a hash comment {table}
// a slash comment {table}
ALTER TABLE `{schema}`.`{table}` MODIFY COMMENT {description};
ALTER TABLE "{schema}"."{table}" MODIFY COMMENT '{description}';
ALTER TABLE {schema}.{table} MODIFY COMMENT 'back\'slash {description}';
ALTER TABLE {schema}.{table} MODIFY COMMENT $heredoc${description}$heredoc$;
/* nested /* comment */ {table} */
