-- templatec: dialect=mssql update=owner level=schema
-- Pasted from SSMS: `GO` ends a batch in sqlcmd and SSMS, but the server never sees it.
ALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner}
GO
