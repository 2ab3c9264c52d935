/// Codes of the statement-level rules (classification, level and update mismatches, forms a
/// dialect lacks, destructive statements, …). Each rule is one type in this folder; the codes,
/// with their examples, are defined here so the range stays in one place.
public enum StatementRules {
    public static let codes: [DiagnosticCode] = [
        .statementNotVerified, .statementLevelMismatch, .targetIncomplete, .updateKindMismatch, .unsupportedForm,
        .columnDefinitionMissing, .destructiveStatement, .severalStatementsPerRequest, .unusedUpdateContext,
        .tagValueRestricted, .tagsOutsideListPosition, .sessionSettingChange,
        .compatQuotedDescription, .compatRawValueInLiteral, .compatTagsList, .compatBareTextValue,
        .unusedSuppression,
    ]
}

// MARK: - Statements against the dialect and the update context

extension DiagnosticCode {
    public static let statementNotVerified = DiagnosticCode(
        "STM401", "statement-not-verified", .info,
        "A statement is none of the metadata forms templatec knows for the dialect.",
        "Custom SQL may do anything: the statement is kept and checked lexically (quoting, placeholders, comments), but which object and level it writes to cannot be verified. Reported once per template. Nothing to fix when the SQL is intended; use a documented form (`templatec defaults`) to get the level and update checks.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nSELECT set_table_comment({table}, {description});"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};"])

    public static let statementLevelMismatch = DiagnosticCode(
        "STM402", "statement-level-mismatch", .error,
        "A statement targets another level than the template serves: a column-level template running `COMMENT ON TABLE`.",
        "The sync renders a template for each object of the levels it serves. A column-level update that runs `COMMENT ON TABLE` overwrites the table's comment with a column's description. Make the statement target the level (`COMMENT ON COLUMN {table}.{column}`), or declare the level the statement targets.",
        triggering: ["-- templatec: dialect=postgres update=description level=column\nCOMMENT ON TABLE {schema}.{table} IS {description};",
                     "-- templatec: dialect=snowflake update=description level=table,column\nCOMMENT ON TABLE {schema}.{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=column\nCOMMENT ON COLUMN {schema}.{table}.{column} IS {description};"])

    public static let targetIncomplete = DiagnosticCode(
        "STM403", "target-incomplete", .error,
        "The statement's target does not name the object of its level: no `{column}` in a column statement, or too few name parts.",
        "`COMMENT ON COLUMN {table} IS …` names no column (and fails), and a table statement without `{table}` writes every table's update to the same object. Name the object with the level's variable: `{schema}.{table}.{column}`.",
        triggering: ["-- templatec: dialect=postgres update=description level=column\nCOMMENT ON COLUMN {schema}.{table} IS {description};",
                     "-- templatec: dialect=postgres update=description level=column\nCOMMENT ON COLUMN {column} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=column\nCOMMENT ON COLUMN {table}.{column} IS {description};"])

    public static let updateKindMismatch = DiagnosticCode(
        "STM404", "update-kind-mismatch", .error,
        "A statement writes another kind of metadata than the template serves: an owner template running `COMMENT ON`.",
        "An owner update that runs `COMMENT ON` would not change the owner, and fails on the missing `{description}`. Write the statement for the declared update (`ALTER TABLE … OWNER TO {owner}`), or declare the update the statement performs.",
        triggering: ["-- templatec: dialect=postgres update=owner level=table\nCOMMENT ON TABLE {schema}.{table} IS 'owned';"],
        nonTriggering: ["-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {schema}.{table} OWNER TO {owner};"])

    public static let unsupportedForm = DiagnosticCode(
        "STM405", "unsupported-form", .error,
        "The statement uses a form the dialect does not have: `COMMENT ON SCHEMA` in Redshift or Trino, owners in MySQL, `COMMENT ON` in SQL Server.",
        "The engine would reject the statement at run time, so every update through the template fails. The message names the form the dialect uses instead; where there is none, the update cannot be written back to this system.",
        triggering: ["-- templatec: dialect=redshift update=description level=schema\nCOMMENT ON SCHEMA {schema} IS {description};",
                     "-- templatec: dialect=trino update=description level=schema\nCOMMENT ON SCHEMA {database}.{schema} IS {description};",
                     "-- templatec: dialect=mysql update=owner level=table\nALTER TABLE {schema}.{table} OWNER TO {owner};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=schema\nCOMMENT ON SCHEMA {schema} IS {description};"])

    public static let columnDefinitionMissing = DiagnosticCode(
        "STM406", "column-definition-missing", .error,
        "MySQL `MODIFY COLUMN` / `CHANGE COLUMN` or Athena `CHANGE COLUMN` without the column's definition.",
        "These forms replace the whole column definition: without the type the statement fails, and without the other attributes (NULL, DEFAULT, charset) they are dropped. Restate the definition before COMMENT, e.g. `MODIFY COLUMN {column} VARCHAR(255) NOT NULL COMMENT {description}`. A template is shared by every column, so a column-specific definition usually means one template per column type.",
        triggering: ["-- templatec: dialect=mysql update=description level=column\nALTER TABLE {schema}.{table} MODIFY COLUMN {column} COMMENT {description};",
                     "-- templatec: dialect=athena update=description level=column\nALTER TABLE {schema}.{table} CHANGE COLUMN {column} {column} COMMENT {description};"],
        nonTriggering: ["-- templatec: dialect=mysql update=description level=column\nALTER TABLE {schema}.{table} MODIFY COLUMN {column} VARCHAR(255) NOT NULL COMMENT {description};",
                        "-- templatec: dialect=clickhouse update=description level=column\nALTER TABLE {schema}.{table} MODIFY COLUMN {column} COMMENT {description};"])

    public static let sessionSettingChange = DiagnosticCode(
        "STM412", "session-setting-change", .error,
        "A statement that changes a session setting the sync engine pins: `SET standard_conforming_strings`, `client_encoding`, `set_config(…)`, MySQL `sql_mode`, `SET NAMES`, the statement timeouts.",
        "`templatec sync` sets, at session start, the settings its escaping relies on (PostgreSQL `standard_conforming_strings = on` and `client_encoding = UTF8`, MySQL `SET NAMES utf8mb4` and its `sql_mode`) and compiles every template for them. A statement of the template that changes one would make the values of later statements be read differently from how they were escaped: with `standard_conforming_strings = off`, `\\'` ends a literal and the rest of the value runs as SQL. Remove the statement; give settings in the connection URL where docs/sync.md allows it.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nSET standard_conforming_strings = off;\nCOMMENT ON TABLE {schema}.{table} IS {description};",
                     "-- templatec: dialect=mysql update=description level=table\nSET SESSION sql_mode = 'ANSI_QUOTES';\nALTER TABLE {schema}.{table} COMMENT = {description};",
                     "-- templatec: dialect=mysql update=description level=table\nSET NAMES latin1;\nALTER TABLE {schema}.{table} COMMENT = {description};",
                     "-- templatec: dialect=postgres update=description level=table\nSELECT set_config('client_encoding', 'SJIS', false);\nCOMMENT ON TABLE {schema}.{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS 'uses standard_conforming_strings';",
                        "-- templatec: dialect=postgres update=description level=table\nSET search_path = app;\nCOMMENT ON TABLE {table} IS {description};",
                        "-- templatec: dialect=mysql update=description level=table\nALTER TABLE {schema}.{table} COMMENT = {description};"])

    public static let destructiveStatement = DiagnosticCode(
        "STM407", "destructive-statement", .error,
        "A statement that changes data or permissions: DROP, TRUNCATE, DELETE, UPDATE, INSERT, MERGE, RENAME, GRANT, REVOKE.",
        "Metadata sync writes descriptions, owners and tags. A template that drops, deletes or grants runs with the sync's privileges on every update, so it is refused unless the configuration allows it (`\"allowDestructive\": true` in .templatec.json, or `allow_destructive=on`). Ownership transfers (`GRANT OWNERSHIP` in Snowflake) are not destructive.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nDROP TABLE {schema}.{table};",
                     "-- templatec: dialect=postgres update=owner level=table\nGRANT ALL ON {schema}.{table} TO {owner};"],
        nonTriggering: ["-- templatec: dialect=snowflake update=owner level=table\nGRANT OWNERSHIP ON TABLE {schema}.{table} TO ROLE {owner} COPY CURRENT GRANTS;",
                        "-- templatec: dialect=postgres update=description level=table allow_destructive=on\nDELETE FROM audit.comments WHERE name = '{table}';"])

    public static let severalStatementsPerRequest = DiagnosticCode(
        "STM408", "several-statements-per-request", .warning,
        "Several statements in a template whose connector executes one statement per request (Athena, BigQuery, Databricks, Trino, Snowflake's SQL API, ClickHouse over HTTP).",
        "These clients send the rendered template as one request, which holds one statement: the request fails, or only the first statement runs. Keep one statement per template.",
        triggering: ["-- templatec: dialect=trino update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};\nCOMMENT ON VIEW {schema}.{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};\nCOMMENT ON TABLE audit.{table} IS {description};"])

    public static let unusedUpdateContext = DiagnosticCode(
        "STM409", "unused-update-context", .warning,
        "The template serves an update kind whose value it never uses: a description template without `{description}`.",
        "A description template that never uses `{description}` writes the same text for every update; an owner template without `{owner}` never sets the new owner; a tags template without `{tag_key}`, `{tag_value}` or `{tags}` never sets the tag. Use the variable, or remove the update kind from the context. Removal forms (`IS NULL`, `UNSET TAG`) need no value.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS 'synced from the catalog';"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};",
                        "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS NULL;"])

    public static let tagValueRestricted = DiagnosticCode(
        "STM410", "tag-value-restricted", .warning,
        "Under `--compat collate`: the dialect accepts only restricted tag keys and values (BigQuery labels: lowercase letters, digits, `_`, `-`).",
        "Catalog tags are free text (`PII.Sensitive`). The catalog's own f-string rendering passes them to BigQuery as they are, and BigQuery refuses labels with uppercase letters or dots, so the statement fails. templatec itself validates every label at render time and refuses such a tag with a message naming it (or lowercases it with the opt-in normalization), so this is reported only for templates that must also run under the catalog's rendering. Name classifications and tags in label form.",
        triggering: ["-- templatec: dialect=bigquery update=tags level=table compat=collate\nALTER TABLE `{database}.{schema}.{table}` SET OPTIONS (labels = {tags});"],
        nonTriggering: ["-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{database}.{schema}.{table}` SET OPTIONS (labels = {tags});",
                        "-- templatec: dialect=snowflake update=tags level=table compat=collate\nALTER TABLE {database}.{schema}.{table} UNSET TAG {tag_key};"])

    public static let tagsOutsideListPosition = DiagnosticCode(
        "STM411", "tags-outside-list-position", .error,
        "`{tags}` stands bare but not where the statement takes its list of tags.",
        "`{tags}` renders the dialect's whole list form, which is valid only as the list of `SET TAGS` (Databricks) or `labels =` (BigQuery). Anywhere else, such as `description = {tags}`, the statement fails or stores the list as text. Put `{tags}` where the list goes, or use `{tag_key}` / `{tag_value}`.",
        triggering: ["-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{schema}.{table}` SET OPTIONS (description = {tags});"],
        nonTriggering: ["-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{schema}.{table}` SET OPTIONS (labels = {tags});"])
}

// MARK: - `--compat collate`: the catalog's own f-string rendering

extension DiagnosticCode {
    public static let compatQuotedDescription = DiagnosticCode(
        "STM420", "compat-quoted-description", .error,
        "With `--compat collate`: `'{description}'` in quotes, which the catalog's rendering quotes twice.",
        "OpenMetadata / Collate insert `{description}` already as a quoted SQL string, so `'{description}'` renders `''new text''`: an empty string followed by text, a syntax error. templatec treats both spellings alike, so write the bare `{description}` to keep one template valid for both (the fix does this).",
        triggering: ["-- templatec: dialect=trino update=description level=table compat=collate\nCOMMENT ON TABLE {database}.{schema}.{table} IS '{description}';"],
        nonTriggering: ["-- templatec: dialect=trino update=description level=table compat=collate\nCOMMENT ON TABLE {database}.{schema}.{table} IS {description};",
                        "-- templatec: dialect=trino update=description level=table\nCOMMENT ON TABLE {database}.{schema}.{table} IS '{description}';"])

    public static let compatRawValueInLiteral = DiagnosticCode(
        "STM421", "compat-raw-value-in-literal", .warning,
        "With `--compat collate`: a tag or owner name inside quotes (`'{tag_value}'`), which the catalog pastes raw.",
        "templatec escapes a value for the literal it stands in, but the catalog's f-string rendering pastes it as it is: a quote in a tag name ends the literal and the rest runs as SQL. Under the catalog the template is only as safe as its values; keep quotes out of those names, or run the template through templatec.",
        triggering: ["-- templatec: dialect=snowflake update=tags level=schema compat=collate\nALTER SCHEMA {database}.{schema} SET TAG {database}.{schema}.{tag_key} = '{tag_value}';"],
        nonTriggering: ["-- templatec: dialect=snowflake update=tags level=schema\nALTER SCHEMA {database}.{schema} SET TAG {database}.{schema}.{tag_key} = '{tag_value}';"])

    public static let compatTagsList = DiagnosticCode(
        "STM422", "compat-tags-list", .error,
        "With `--compat collate`: `{tags}`, which the catalog renders as a Python list of tuples.",
        "The catalog renders `{tags}` as `[('PII', 'Sensitive')]`. Databricks `SET TAGS` takes `('k' = 'v')`, so the statement fails. (BigQuery accepts the list; its lowercase rule is STM410.) For Databricks use `SET TAG ON … {tag_key} = {tag_value}` (DBR 16.1 and later) to keep one template valid for both.",
        triggering: ["-- templatec: dialect=databricks update=tags level=table compat=collate\nALTER TABLE {database}.{schema}.{table} SET TAGS {tags};"],
        nonTriggering: ["-- templatec: dialect=databricks update=tags level=table\nALTER TABLE {database}.{schema}.{table} SET TAGS {tags};"])

    public static let compatBareTextValue = DiagnosticCode(
        "STM423", "compat-bare-text-value", .error,
        "With `--compat collate`: a bare `{tag_value}`, which the catalog pastes without quotes.",
        "templatec renders a bare text value as a complete literal, but the catalog pastes `{tag_value}` raw, so `= {tag_value}` becomes `= Sensitive`: a name, not a string. Quote it (`'{tag_value}'`), which both renderers accept.",
        triggering: ["-- templatec: dialect=snowflake update=tags level=table compat=collate\nALTER TABLE {schema}.{table} SET TAG {tag_key} = {tag_value};"],
        nonTriggering: ["-- templatec: dialect=snowflake update=tags level=table\nALTER TABLE {schema}.{table} SET TAG {tag_key} = {tag_value};"])
}

// MARK: - Suppressions

extension DiagnosticCode {
    public static let unusedSuppression = DiagnosticCode(
        "STM430", "unused-suppression", .warning,
        "A `-- templatec: ignore[CODE]` comment that suppresses nothing.",
        "`ignore[CODE] reason` in the leading comments silences CODE for the whole template; elsewhere it silences CODE in the next statement. One that silences nothing is stale (the problem was fixed, or the code is misspelt) and would hide a future finding: remove it.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\n-- templatec: ignore[CTX205] staging names\nCOMMENT ON TABLE {schema}.{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\n-- templatec: ignore[CTX205] staging names\nCOMMENT ON TABLE stg_{table} IS {description};"])
}
