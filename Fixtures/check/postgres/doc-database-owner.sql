-- templatec: dialect=postgres update=owner level=database
ALTER DATABASE {database} OWNER TO {owner};
