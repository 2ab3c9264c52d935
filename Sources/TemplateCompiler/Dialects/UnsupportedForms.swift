/// Statement forms that exist in some dialects and not in others. A dialect lists, after its own
/// forms, the families it lacks, each with a message that says what to use instead; a statement
/// matching one of them is classified (so the update context can still be inferred) and reported
/// as unsupported (STM405) rather than failing on the engine.
enum UnsupportedForms {
    /// `COMMENT [ IF EXISTS ] ON …` (PostgreSQL, Snowflake, Oracle, Trino, Databricks style).
    static func commentOn(_ message: String) -> [StatementForm] {
        [
            .unsupported("COMMENT [ IF EXISTS ] ON DATABASE|CATALOG ...", .setDescription, .database, message),
            .unsupported("COMMENT [ IF EXISTS ] ON SCHEMA ...", .setDescription, .schema, message),
            .unsupported("COMMENT [ IF EXISTS ] ON COLUMN ...", .setDescription, .column, message),
            .unsupported("COMMENT [ IF EXISTS ] ON ...", .setDescription, .table, message),
        ]
    }

    /// PostgreSQL-style `ALTER … [SET] OWNER TO …`.
    static func ownerTo(_ message: String) -> [StatementForm] {
        [
            .unsupported("ALTER DATABASE|CATALOG <target> [ SET ] OWNER TO ...", .setOwner, .database, message),
            .unsupported("ALTER SCHEMA <target> [ SET ] OWNER TO ...", .setOwner, .schema, message),
            .unsupported("ALTER TABLE|VIEW <target> [ SET ] OWNER TO ...", .setOwner, .table, message),
        ]
    }

    /// T-SQL `ALTER AUTHORIZATION`, Snowflake `GRANT OWNERSHIP`, Trino `SET AUTHORIZATION`.
    static func otherOwnerSyntax(_ message: String, authorization: Bool = true, grantOwnership: Bool = true,
                                 setAuthorization: Bool = true) -> [StatementForm] {
        var forms: [StatementForm] = []
        if authorization { forms.append(.unsupported("ALTER AUTHORIZATION ON ...", .setOwner, .table, message)) }
        if grantOwnership { forms.append(.unsupported("GRANT OWNERSHIP ON ...", .setOwner, .table, message)) }
        if setAuthorization {
            forms.append(.unsupported("ALTER SCHEMA <target> SET AUTHORIZATION ...", .setOwner, .schema, message))
            forms.append(.unsupported("ALTER TABLE|VIEW <target> SET AUTHORIZATION ...", .setOwner, .table, message))
        }
        return forms
    }

    /// Every owner syntax: for dialects with no ownership transfer at all.
    static func owners(_ message: String) -> [StatementForm] {
        ownerTo(message) + otherOwnerSyntax(message)
    }

    /// Snowflake and Databricks tag syntax, for dialects without tags.
    static func tags(_ message: String) -> [StatementForm] {
        [
            .unsupported("ALTER TABLE <target> ALTER|MODIFY * SET|UNSET TAG|TAGS ...", .setTag, .column, message),
            .unsupported("ALTER DATABASE|CATALOG <target> SET|UNSET TAG|TAGS ...", .setTag, .database, message),
            .unsupported("ALTER SCHEMA <target> SET|UNSET TAG|TAGS ...", .setTag, .schema, message),
            .unsupported("ALTER TABLE|VIEW <target> SET|UNSET TAG|TAGS ...", .setTag, .table, message),
            .unsupported("SET|UNSET TAG ON ...", .setTag, .table, message),
        ]
    }
}
