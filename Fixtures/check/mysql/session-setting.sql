-- templatec: dialect=mysql update=description level=table
-- STM412: sql_mode and the connection character set are pinned by the sync session.
SET SESSION sql_mode = 'ANSI_QUOTES';
SET NAMES latin1;
ALTER TABLE {schema}.{table} COMMENT = {description};
