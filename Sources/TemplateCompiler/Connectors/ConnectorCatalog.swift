/// The connector catalog: one definition per connector, its templates written from the dialect's
/// documented DDL (docs/dialects.md). Each template starts with a directive naming its dialect,
/// update and level, so `templatec check` checks it against exactly that context.
public enum Connectors {
    public static let all: [Connector] = ConnectorID.allCases.map(connector)

    public static func connector(_ id: ConnectorID) -> Connector {
        switch id {
        case .athena: return athena
        case .bigquery: return bigquery
        case .clickhouse: return clickhouse
        case .databricks: return databricks(.databricks, "Databricks")
        case .unitycatalog: return databricks(.unitycatalog, "Unity Catalog")
        case .mssql: return mssql
        case .mysql: return mysql
        case .oracle: return oracle
        case .postgres: return postgres(.postgres, "PostgreSQL")
        case .timescaledb: return postgres(.timescaledb, "TimescaleDB")
        case .redshift: return redshift
        case .snowflake: return snowflake
        case .trino: return trino
        }
    }
}

/// Builds default templates for one dialect: prepends the directive line.
private struct TemplateBook {
    let dialect: DialectID
    var templates: [DefaultTemplate] = []

    init(_ dialect: DialectID) { self.dialect = dialect }

    mutating func add(_ update: UpdateKind, _ level: Level, _ action: TemplateAction, _ body: String, note: String? = nil) {
        let directive = "-- templatec: dialect=\(dialect.rawValue) update=\(update.rawValue) level=\(level.rawValue)\n"
        templates.append(DefaultTemplate(update: update, level: level, action: action, text: directive + body + "\n", note: note))
    }
}

extension Connectors {
    // MARK: Athena (DDL is Hive: backtick names, TBLPROPERTIES)

    static var athena: Connector {
        var b = TemplateBook(.athena)
        b.add(.description, .table, .set, "ALTER TABLE {schema}.{table} SET TBLPROPERTIES ('comment' = {description});")
        b.add(.description, .table, .remove, "ALTER TABLE {schema}.{table} SET TBLPROPERTIES ('comment' = '');",
              note: "Athena documents no UNSET TBLPROPERTIES: an empty comment removes it")
        return Connector(
            id: .athena, displayName: "Athena", dialect: .athena,
            support: [.description: [.table]], namespace: .databaseSchema,
            defaults: b.templates, missingDefaults: [],
            notes: ["Athena can also set column comments (`ALTER TABLE t CHANGE COLUMN c c <type> COMMENT '…'`), but the column's type must be restated, which a template cannot know: not in the defaults.",
                    "Database properties (`ALTER DATABASE d SET DBPROPERTIES ('comment' = '…')`) exist but are not the database comment Athena shows."])
    }

    // MARK: BigQuery (database = project, schema = dataset)

    static var bigquery: Connector {
        var b = TemplateBook(.bigquery)
        b.add(.description, .schema, .set, "ALTER SCHEMA {database}.{schema} SET OPTIONS (description = {description});")
        b.add(.description, .schema, .remove, "ALTER SCHEMA {database}.{schema} SET OPTIONS (description = NULL);")
        b.add(.description, .table, .set, "ALTER TABLE {database}.{schema}.{table} SET OPTIONS (description = {description});")
        b.add(.description, .table, .remove, "ALTER TABLE {database}.{schema}.{table} SET OPTIONS (description = NULL);")
        let overwrite = "BigQuery replaces the whole label set: the resource ends up with exactly the operation's added tags"
        b.add(.tags, .schema, .set, "ALTER SCHEMA {database}.{schema} SET OPTIONS (labels = {tags});", note: overwrite)
        b.add(.tags, .table, .set, "ALTER TABLE {database}.{schema}.{table} SET OPTIONS (labels = {tags});", note: overwrite)
        let noRemove = "BigQuery DDL has no per-label removal: `labels = [...]` replaces every label, so removing one label would silently drop the others. Remove labels with `bq update --remove_label` or a custom template"
        return Connector(
            id: .bigquery, displayName: "BigQuery", dialect: .bigquery,
            support: [.description: [.schema, .table], .tags: [.schema, .table]], namespace: .projectDataset,
            defaults: b.templates,
            missingDefaults: [MissingDefault(update: .tags, level: .schema, action: .remove, reason: noRemove),
                              MissingDefault(update: .tags, level: .table, action: .remove, reason: noRemove)],
            notes: ["BigQuery also sets column descriptions (`ALTER TABLE t ALTER COLUMN c SET OPTIONS (description = '…')`), beyond the catalog's matrix.",
                    "Label keys and values must be lowercase letters, digits, `_` and `-` (at most 63 characters): other tags are refused when rendering.",
                    "Projects have no DDL and BigQuery has no owners (access is IAM)."])
    }

    // MARK: ClickHouse (schema part = real database)

    static var clickhouse: Connector {
        var b = TemplateBook(.clickhouse)
        b.add(.description, .table, .set, "ALTER TABLE {schema}.{table} MODIFY COMMENT {description};",
              note: "MODIFY COMMENT needs ClickHouse 23.9 or later")
        b.add(.description, .table, .remove, "ALTER TABLE {schema}.{table} MODIFY COMMENT '';",
              note: "MODIFY COMMENT needs ClickHouse 23.9 or later")
        b.add(.description, .column, .set, "ALTER TABLE {schema}.{table} COMMENT COLUMN {column} {description};")
        b.add(.description, .column, .remove, "ALTER TABLE {schema}.{table} COMMENT COLUMN {column} '';")
        return Connector(
            id: .clickhouse, displayName: "ClickHouse", dialect: .clickhouse,
            support: [.description: [.table, .column]], namespace: .schemaIsDatabase,
            defaults: b.templates, missingDefaults: [],
            notes: ["ClickHouse also has database comments (`ALTER DATABASE d MODIFY COMMENT '…'`, recent servers), beyond the catalog's matrix. For this connector the catalog's schema is the ClickHouse database, so `ALTER DATABASE {schema} MODIFY COMMENT {description}` is a schema-level statement (the level follows the target's placeholder).",
                    "Table comments (`MODIFY COMMENT`) need ClickHouse 23.9 or later; older servers (Debian's 18.16) refuse them, and the operation fails with the server's message.",
                    "ClickHouse has no owners and no tags."])
    }

    // MARK: Databricks and Unity Catalog (database = catalog)

    static func databricks(_ id: ConnectorID, _ name: String) -> Connector {
        var b = TemplateBook(.databricks)
        b.add(.description, .database, .set, "COMMENT ON CATALOG {database} IS {description};")
        b.add(.description, .database, .remove, "COMMENT ON CATALOG {database} IS NULL;")
        b.add(.description, .schema, .set, "COMMENT ON SCHEMA {database}.{schema} IS {description};")
        b.add(.description, .schema, .remove, "COMMENT ON SCHEMA {database}.{schema} IS NULL;")
        b.add(.description, .table, .set, "COMMENT ON TABLE {database}.{schema}.{table} IS {description};")
        b.add(.description, .table, .remove, "COMMENT ON TABLE {database}.{schema}.{table} IS NULL;")
        b.add(.description, .column, .set, "ALTER TABLE {database}.{schema}.{table} ALTER COLUMN {column} COMMENT {description};",
              note: "ALTER COLUMN … COMMENT works on every runtime; COMMENT ON COLUMN needs DBR 16.1")
        b.add(.description, .column, .remove, "ALTER TABLE {database}.{schema}.{table} ALTER COLUMN {column} COMMENT '';")
        b.add(.owner, .database, .set, "ALTER CATALOG {database} OWNER TO {owner};")
        b.add(.owner, .schema, .set, "ALTER SCHEMA {database}.{schema} OWNER TO {owner};")
        b.add(.owner, .table, .set, "ALTER TABLE {database}.{schema}.{table} OWNER TO {owner};")
        b.add(.tags, .database, .set, "ALTER CATALOG {database} SET TAGS {tags};")
        b.add(.tags, .database, .remove, "ALTER CATALOG {database} UNSET TAGS ('{tag_key}');")
        b.add(.tags, .schema, .set, "ALTER SCHEMA {database}.{schema} SET TAGS {tags};")
        b.add(.tags, .schema, .remove, "ALTER SCHEMA {database}.{schema} UNSET TAGS ('{tag_key}');")
        b.add(.tags, .table, .set, "ALTER TABLE {database}.{schema}.{table} SET TAGS {tags};")
        b.add(.tags, .table, .remove, "ALTER TABLE {database}.{schema}.{table} UNSET TAGS ('{tag_key}');")
        b.add(.tags, .column, .set, "ALTER TABLE {database}.{schema}.{table} ALTER COLUMN {column} SET TAGS {tags};")
        b.add(.tags, .column, .remove, "ALTER TABLE {database}.{schema}.{table} ALTER COLUMN {column} UNSET TAGS ('{tag_key}');")
        let noOwnerRemoval = "every Databricks securable has an owner: an owner cannot be removed, only replaced (add the new owner)"
        return Connector(
            id: id, displayName: name, dialect: .databricks,
            support: [.description: [.database, .schema, .table, .column], .owner: [.database, .schema, .table],
                      .tags: [.database, .schema, .table, .column]],
            namespace: .catalogSchema, defaults: b.templates,
            missingDefaults: [Level.database, .schema, .table].map { MissingDefault(update: .owner, level: $0, action: .remove, reason: noOwnerRemoval) },
            notes: ["Tags are Unity Catalog only (hive_metastore has none). Keys may not contain `. , - = / :`; at most 50 tags per securable.",
                    "`SET TAG ON … key = value` (DBR 16.1) takes identifiers, not strings, and fails when the key exists: the defaults use `SET TAGS (…)`, which replaces the value.",
                    "Column owners do not exist; the catalog's matrix has no column owner either."])
    }

    // MARK: MSSQL (MS_Description extended properties; ALTER AUTHORIZATION)

    static var mssql: Connector {
        var b = TemplateBook(.mssql)
        func levels(_ level: Level) -> (String, String) {
            // fn_listextendedproperty arguments and the @levelN arguments of the procedures.
            switch level {
            case .schema:
                return ("N'SCHEMA', N'{schema}', NULL, NULL, NULL, NULL",
                        "@level0type = N'SCHEMA', @level0name = N'{schema}'")
            case .table:
                return ("N'SCHEMA', N'{schema}', N'TABLE', N'{table}', NULL, NULL",
                        "@level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = N'{table}'")
            default:
                return ("N'SCHEMA', N'{schema}', N'TABLE', N'{table}', N'COLUMN', N'{column}'",
                        "@level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = N'{table}', @level2type = N'COLUMN', @level2name = N'{column}'")
            }
        }
        for level in [Level.schema, .table, .column] {
            let (fnArgs, procArgs) = levels(level)
            b.add(.description, level, .set, """
                IF NOT EXISTS (SELECT 1 FROM {database}.sys.fn_listextendedproperty(N'MS_Description', \(fnArgs)))
                BEGIN
                    EXEC {database}.sys.sp_addextendedproperty @name = N'MS_Description', @value = N{description}, \(procArgs);
                END
                ELSE
                BEGIN
                    EXEC {database}.sys.sp_updateextendedproperty @name = N'MS_Description', @value = N{description}, \(procArgs);
                END;
                """, note: "add fails when the property exists and update when it does not: the default checks first")
            b.add(.description, level, .remove, """
                IF EXISTS (SELECT 1 FROM {database}.sys.fn_listextendedproperty(N'MS_Description', \(fnArgs)))
                BEGIN
                    EXEC {database}.sys.sp_dropextendedproperty @name = N'MS_Description', \(procArgs);
                END;
                """)
        }
        b.add(.owner, .database, .set, "ALTER AUTHORIZATION ON DATABASE::{database} TO {owner};")
        b.add(.owner, .schema, .set, "USE {database};\nALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner};")
        let noOwnerRemoval = "SQL Server objects always have an owner: it can be replaced (add the new owner), not removed"
        return Connector(
            id: .mssql, displayName: "MSSQL", dialect: .mssql,
            support: [.description: [.schema, .table, .column], .owner: [.database, .schema]],
            namespace: .databaseSchema, defaults: b.templates,
            missingDefaults: [Level.database, .schema].map { MissingDefault(update: .owner, level: $0, action: .remove, reason: noOwnerRemoval) },
            notes: ["SQL Server also has a database description (MS_Description without level arguments) and table owners (`ALTER AUTHORIZATION ON OBJECT::s.t TO u`), beyond the catalog's matrix.",
                    "MS_Description values are at most 7,500 bytes."])
    }

    // MARK: MySQL / MariaDB (schema part = real database)

    static var mysql: Connector {
        var b = TemplateBook(.mysql)
        b.add(.description, .table, .set, "ALTER TABLE {schema}.{table} COMMENT = {description};")
        b.add(.description, .table, .remove, "ALTER TABLE {schema}.{table} COMMENT = '';",
              note: "MySQL stores no comment as an empty one")
        return Connector(
            id: .mysql, displayName: "MySQL", dialect: .mysql,
            support: [.description: [.table]], namespace: .schemaIsDatabase,
            defaults: b.templates, missingDefaults: [],
            notes: ["Column comments need `MODIFY COLUMN c <full definition> COMMENT '…'`: a template cannot restate the definition, so they are not in the defaults (a custom template can).",
                    "MariaDB 10.5 and later also has database comments (`ALTER DATABASE d COMMENT = '…'`); MySQL has none.",
                    "MySQL has no owners and no tags."])
    }

    // MARK: Oracle

    static var oracle: Connector {
        var b = TemplateBook(.oracle)
        b.add(.description, .table, .set, "COMMENT ON TABLE {schema}.{table} IS {description}")
        b.add(.description, .table, .remove, "COMMENT ON TABLE {schema}.{table} IS ''", note: "Oracle drops a comment set to ''")
        b.add(.description, .column, .set, "COMMENT ON COLUMN {schema}.{table}.{column} IS {description}")
        b.add(.description, .column, .remove, "COMMENT ON COLUMN {schema}.{table}.{column} IS ''")
        return Connector(
            id: .oracle, displayName: "Oracle", dialect: .oracle,
            support: [.description: [.table, .column]], namespace: .databaseSchema,
            defaults: b.templates, missingDefaults: [],
            notes: ["The templates have no `;`: Oracle's drivers refuse a trailing semicolon on a single statement.",
                    "Oracle has no schema or database comment, and no ownership transfer; names may not contain `\"`."])
    }

    // MARK: PostgreSQL and TimescaleDB

    static func postgres(_ id: ConnectorID, _ name: String) -> Connector {
        var b = TemplateBook(.postgres)
        b.add(.description, .database, .set, "COMMENT ON DATABASE {database} IS {description};")
        b.add(.description, .database, .remove, "COMMENT ON DATABASE {database} IS NULL;")
        b.add(.description, .schema, .set, "COMMENT ON SCHEMA {schema} IS {description};")
        b.add(.description, .schema, .remove, "COMMENT ON SCHEMA {schema} IS NULL;")
        b.add(.description, .table, .set, "COMMENT ON TABLE {schema}.{table} IS {description};")
        b.add(.description, .table, .remove, "COMMENT ON TABLE {schema}.{table} IS NULL;")
        b.add(.description, .column, .set, "COMMENT ON COLUMN {schema}.{table}.{column} IS {description};")
        b.add(.description, .column, .remove, "COMMENT ON COLUMN {schema}.{table}.{column} IS NULL;")
        b.add(.owner, .database, .set, "ALTER DATABASE {database} OWNER TO {owner};")
        b.add(.owner, .schema, .set, "ALTER SCHEMA {schema} OWNER TO {owner};")
        b.add(.owner, .table, .set, "ALTER TABLE {schema}.{table} OWNER TO {owner};")
        let noOwnerRemoval = "every PostgreSQL object has an owner: it can be replaced (add the new owner), not removed"
        return Connector(
            id: id, displayName: name, dialect: .postgres,
            support: [.description: [.database, .schema, .table, .column], .owner: [.database, .schema, .table]],
            namespace: .databaseSchema, defaults: b.templates,
            missingDefaults: [Level.database, .schema, .table].map { MissingDefault(update: .owner, level: $0, action: .remove, reason: noOwnerRemoval) },
            notes: ["Schema, table and column names are written without the database: PostgreSQL only reaches objects of the database it is connected to, so connect to the FQN's database.",
                    "Comments are visible to every connected user; database comments are global.",
                    "PostgreSQL has no key/value tags (SECURITY LABEL needs a label provider)."])
    }

    // MARK: Redshift

    static var redshift: Connector {
        var b = TemplateBook(.redshift)
        b.add(.description, .database, .set, "COMMENT ON DATABASE {database} IS {description};")
        b.add(.description, .database, .remove, "COMMENT ON DATABASE {database} IS NULL;")
        b.add(.description, .table, .set, "COMMENT ON TABLE {schema}.{table} IS {description};")
        b.add(.description, .table, .remove, "COMMENT ON TABLE {schema}.{table} IS NULL;")
        b.add(.description, .column, .set, "COMMENT ON COLUMN {schema}.{table}.{column} IS {description};")
        b.add(.description, .column, .remove, "COMMENT ON COLUMN {schema}.{table}.{column} IS NULL;")
        b.add(.owner, .database, .set, "ALTER DATABASE {database} OWNER TO {owner};", note: "superuser only")
        b.add(.owner, .schema, .set, "ALTER SCHEMA {schema} OWNER TO {owner};")
        b.add(.owner, .table, .set, "ALTER TABLE {schema}.{table} OWNER TO {owner};")
        let noSchemaComment = "Redshift's COMMENT takes TABLE, COLUMN, CONSTRAINT, DATABASE and VIEW, not SCHEMA: the catalog's matrix lists schema descriptions, but Redshift documents no statement for them"
        let noOwnerRemoval = "every Redshift object has an owner: it can be replaced (add the new owner), not removed"
        return Connector(
            id: .redshift, displayName: "Redshift", dialect: .redshift,
            support: [.description: [.database, .schema, .table, .column], .owner: [.database, .schema, .table]],
            namespace: .databaseSchema, defaults: b.templates,
            missingDefaults: [MissingDefault(update: .description, level: .schema, action: .set, reason: noSchemaComment),
                              MissingDefault(update: .description, level: .schema, action: .remove, reason: noSchemaComment)]
                + [Level.database, .schema, .table].map { MissingDefault(update: .owner, level: $0, action: .remove, reason: noOwnerRemoval) },
            notes: ["Schema descriptions are in the catalog's matrix but not in Redshift's documented COMMENT grammar: no default template.",
                    "COMMENT ON DATABASE works only for the current database.",
                    "Backslash is an escape in Redshift's plain literals; the renderer doubles it."])
    }

    // MARK: Snowflake

    static var snowflake: Connector {
        var b = TemplateBook(.snowflake)
        b.add(.description, .database, .set, "COMMENT ON DATABASE {database} IS {description};")
        b.add(.description, .database, .remove, "ALTER DATABASE {database} UNSET COMMENT;")
        b.add(.description, .schema, .set, "COMMENT ON SCHEMA {database}.{schema} IS {description};")
        b.add(.description, .schema, .remove, "ALTER SCHEMA {database}.{schema} UNSET COMMENT;")
        b.add(.description, .table, .set, "COMMENT ON TABLE {database}.{schema}.{table} IS {description};")
        b.add(.description, .table, .remove, "ALTER TABLE {database}.{schema}.{table} UNSET COMMENT;")
        b.add(.description, .column, .set, "COMMENT ON COLUMN {database}.{schema}.{table}.{column} IS {description};")
        b.add(.description, .column, .remove, "ALTER TABLE {database}.{schema}.{table} MODIFY COLUMN {column} UNSET COMMENT;")
        let tagNote = "the tag object is looked up in the asset's own schema ({database}.{schema}.{tag_key}); create it there first (CREATE TAG)"
        b.add(.tags, .schema, .set, "ALTER SCHEMA {database}.{schema} SET TAG {database}.{schema}.{tag_key} = {tag_value};", note: tagNote)
        b.add(.tags, .schema, .remove, "ALTER SCHEMA {database}.{schema} UNSET TAG {database}.{schema}.{tag_key};")
        b.add(.tags, .table, .set, "ALTER TABLE {database}.{schema}.{table} SET TAG {database}.{schema}.{tag_key} = {tag_value};", note: tagNote)
        b.add(.tags, .table, .remove, "ALTER TABLE {database}.{schema}.{table} UNSET TAG {database}.{schema}.{tag_key};")
        b.add(.tags, .column, .set, "ALTER TABLE {database}.{schema}.{table} MODIFY COLUMN {column} SET TAG {database}.{schema}.{tag_key} = {tag_value};", note: tagNote)
        b.add(.tags, .column, .remove, "ALTER TABLE {database}.{schema}.{table} MODIFY COLUMN {column} UNSET TAG {database}.{schema}.{tag_key};")
        return Connector(
            id: .snowflake, displayName: "Snowflake", dialect: .snowflake,
            support: [.description: [.database, .schema, .table, .column], .tags: [.schema, .table, .column]],
            namespace: .databaseSchema, defaults: b.templates, missingDefaults: [],
            notes: ["Snowflake also transfers ownership (`GRANT OWNERSHIP ON … TO ROLE r`) and tags databases, beyond the catalog's matrix; owners there are roles, not users.",
                    "Tag values are at most 256 characters; at most 50 tags per object."])
    }

    // MARK: Trino

    static var trino: Connector {
        var b = TemplateBook(.trino)
        b.add(.description, .table, .set, "COMMENT ON TABLE {database}.{schema}.{table} IS {description}")
        b.add(.description, .table, .remove, "COMMENT ON TABLE {database}.{schema}.{table} IS NULL")
        b.add(.description, .column, .set, "COMMENT ON COLUMN {database}.{schema}.{table}.{column} IS {description}")
        b.add(.description, .column, .remove, "COMMENT ON COLUMN {database}.{schema}.{table}.{column} IS NULL")
        return Connector(
            id: .trino, displayName: "Trino", dialect: .trino,
            support: [.description: [.table, .column]], namespace: .databaseSchema,
            defaults: b.templates, missingDefaults: [],
            notes: ["{database} is the Trino catalog. The templates have no `;`: Trino's client protocol takes one statement without it.",
                    "Trino also sets schema and table owners (`ALTER SCHEMA s SET AUTHORIZATION u`), beyond the catalog's matrix; whether a comment is stored depends on the connector behind the catalog."])
    }
}
