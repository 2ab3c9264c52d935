-- templatec: dialect=snowflake update=description level=database
ALTER DATABASE "{database}" SET COMMENT = {description};
