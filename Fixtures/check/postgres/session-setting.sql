-- templatec: dialect=postgres update=description level=table
-- A template must not change what the sync session pins (STM412): after this SET, `\'` in a
-- value would end the literal. The same words inside a literal are only text.
SET standard_conforming_strings = off;
SELECT set_config('client_encoding', 'SJIS', false);
SET search_path = app;
COMMENT ON TABLE {schema}.{table} IS 'pinned: standard_conforming_strings, client_encoding';
