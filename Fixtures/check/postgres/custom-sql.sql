-- templatec: dialect=postgres update=description level=table
SELECT audit.log_comment('{table}', {description});
SELECT 2;
