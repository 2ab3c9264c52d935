-- templatec: dialect=postgres update=description level=table standard_conforming_strings=off
-- With standard_conforming_strings off, a backslash escapes in '…': \' does not end the literal.
COMMENT ON TABLE {table} IS 'it\'s {description}';
