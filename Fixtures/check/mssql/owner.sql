-- templatec: dialect=mssql update=owner level=schema
ALTER AUTHORIZATION ON SCHEMA::[{schema}] TO [{owner}];
