import Foundation
import TemplateCompiler

/// PostgreSQL keeps no statement history of its own, so templatec installs one (docs/history.md):
/// an event trigger on `ddl_command_end` that records each DDL command's query text
/// (`current_query()`), time, `session_user`, `application_name` and database into
/// `templatec_history.statements`. Event triggers fire for `COMMENT ON` and `ALTER … OWNER TO` on
/// schemas, tables and columns, never for shared objects (databases, roles): a database's comment
/// or owner is not recorded.
///
/// Each row carries its transaction's id. A read takes only rows of transactions below the
/// snapshot's horizon (`txid_snapshot_xmin`: every transaction below it has ended), so a row of a
/// transaction still running is read later, never skipped; the horizon is the next cursor.
struct PostgresStatementHistory: StatementHistory {
    let spec: ConnectionSpec
    let environment: [String: String]

    static let schema = "templatec_history"
    static let trigger = "templatec_history_ddl"

    /// The installation, in one transaction; safe to run again (it replaces the function and the
    /// trigger and keeps what was recorded). Needs a superuser: only they create event triggers.
    static let installSQL = """
        BEGIN;
        CREATE SCHEMA IF NOT EXISTS templatec_history;
        COMMENT ON SCHEMA templatec_history IS 'DDL recorded by the event trigger templatec_history_ddl, read by templatec history (docs/history.md)';
        CREATE TABLE IF NOT EXISTS templatec_history.statements (
            id bigserial PRIMARY KEY,
            txid bigint NOT NULL DEFAULT txid_current(),
            executed_at timestamptz NOT NULL DEFAULT statement_timestamp(),
            backend_pid integer NOT NULL DEFAULT pg_backend_pid(),
            database_name name NOT NULL DEFAULT current_database(),
            user_name name NOT NULL DEFAULT session_user,
            application_name text,
            command_tag text,
            query text,
            standard_conforming_strings text
        );
        -- How the session read its string literals: the query text is matched with the same rules.
        ALTER TABLE templatec_history.statements ADD COLUMN IF NOT EXISTS standard_conforming_strings text;
        CREATE INDEX IF NOT EXISTS statements_txid ON templatec_history.statements (txid);
        -- Query texts may hold anything (CREATE USER MAPPING … OPTIONS (password …)): no one but the
        -- owner reads them unless granted (GRANT USAGE ON SCHEMA / SELECT ON the table to the reader).
        REVOKE ALL ON SCHEMA templatec_history FROM PUBLIC;
        REVOKE ALL ON templatec_history.statements FROM PUBLIC;
        -- SECURITY DEFINER: every user's DDL is recorded without their needing rights on the table.
        -- A failure to record warns and never blocks the DDL itself.
        CREATE OR REPLACE FUNCTION templatec_history.record_ddl() RETURNS event_trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $templatec$
        BEGIN
            INSERT INTO templatec_history.statements (application_name, command_tag, query, standard_conforming_strings)
            VALUES (current_setting('application_name', true), tg_tag, current_query(), current_setting('standard_conforming_strings', true));
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'templatec history: statement not recorded: %', SQLERRM;
        END
        $templatec$;
        REVOKE ALL ON FUNCTION templatec_history.record_ddl() FROM PUBLIC;
        DROP EVENT TRIGGER IF EXISTS templatec_history_ddl;
        CREATE EVENT TRIGGER templatec_history_ddl ON ddl_command_end EXECUTE FUNCTION templatec_history.record_ddl();
        COMMIT;

        """

    /// Removes the trigger first (so nothing is recorded while the rest goes), then everything else.
    static let uninstallSQL = """
        BEGIN;
        DROP EVENT TRIGGER IF EXISTS templatec_history_ddl;
        DROP SCHEMA IF EXISTS templatec_history CASCADE;
        COMMIT;

        """

    static let task = StateQuery.Task(verb: "read the statement history", noun: "statement-history query")

    func install() throws(HistoryError) { try run(Self.installSQL, doing: "install the statement history") }
    func uninstall() throws(HistoryError) { try run(Self.uninstallSQL, doing: "uninstall the statement history") }

    private func run(_ script: String, doing: String) throws(HistoryError) {
        do {
            try StateQuery.postgres(spec, environment: environment, sql: script,
                                    task: StateQuery.Task(verb: doing, noun: "statement-history script"),
                                    applicationName: "templatec-history") { _ in }
        } catch {
            if error.message.contains("permission denied") || error.message.contains("must be superuser") || error.message.contains("must be owner") {
                throw HistoryError("cannot \(doing) in database \(spec.database ?? "?") at \(spec.endpoint): user \(spec.user ?? "?") may not create event triggers (PostgreSQL allows only superusers). Connect as a superuser, or give the SQL of `templatec history \(doing.hasPrefix("install") ? "install" : "uninstall") --print` to a DBA. (\(error.message))")
            }
            throw HistoryError(error.message)
        }
    }

    func read(after cursor: HistoryCursor?, since: Date?) throws(HistoryError) -> HistoryRead {
        var condition = "s.txid < h.horizon"
        if let since { condition += " AND s.executed_at >= to_timestamp(\(String(format: "%.6f", since.timeIntervalSince1970)))" }
        else if let cursor { condition += " AND s.txid >= \(cursor.position)" }
        let sql = """
            COPY (SELECT h.horizon, s.txid, extract(epoch FROM s.executed_at), s.backend_pid, s.database_name, s.user_name,
                         s.application_name, s.query, s.standard_conforming_strings
                    FROM (SELECT txid_snapshot_xmin(txid_current_snapshot()) AS horizon) h
                    LEFT JOIN templatec_history.statements s ON \(condition)
                   ORDER BY s.id) TO STDOUT
            """
        var horizon: Int64? = nil
        var statements: [ExecutedStatement] = []
        // One query string with several DDL commands fires the trigger once per command, each
        // recording the whole string: it is read once.
        var seen = Set<[String?]>()
        var unexpected: [String?]? = nil
        do {
            try StateQuery.postgres(spec, environment: environment, sql: sql, task: Self.task, applicationName: "templatec-history") { row in
                guard row.count == 9, let h = row[0].flatMap({ Int64($0) }) else {
                    if unexpected == nil { unexpected = row }
                    return
                }
                horizon = h
                guard let query = row[7] else { return }  // the horizon alone: nothing new
                guard seen.insert([row[1], row[2], row[3], query]).inserted else { return }
                let application = row[6]
                statements.append(ExecutedStatement(
                    sql: query, executedAt: row[2].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) },
                    user: row[5], database: row[4], client: application,
                    ranByTemplatec: application.map(isTemplatec) ?? false,
                    options: DialectOptions(standardConformingStrings: row[8] != "off")))
            }
        } catch {
            if error.message.contains("templatec_history.statements\" does not exist") || error.message.contains("schema \"templatec_history\" does not exist") {
                throw HistoryError("the statement history is not installed in database \(spec.database ?? "?") at \(spec.endpoint): run `templatec history install --connector postgres --connection URL` as a superuser (or give the SQL of `--print` to a DBA)")
            }
            if error.message.contains("permission denied for") {
                throw HistoryError("\(error.message) — user \(spec.user ?? "?") may not read the statement history: as its owner, `GRANT USAGE ON SCHEMA templatec_history TO \(spec.user ?? "<user>"); GRANT SELECT ON templatec_history.statements TO \(spec.user ?? "<user>");`")
            }
            throw HistoryError(error.message)
        }
        if let unexpected {
            throw HistoryError("PostgreSQL at \(spec.endpoint) answered the statement-history query with an unexpected line (\(unexpected.count) fields): nothing was read")
        }
        guard let horizon else { throw HistoryError("PostgreSQL at \(spec.endpoint) answered the statement-history query with no horizon: nothing was read") }
        return HistoryRead(statements: statements, next: since == nil ? HistoryCursor(engine: "postgresql", position: horizon) : nil, notes: [])
    }

    /// templatec's sessions name themselves `templatec…` (`PostgresExecutor.connectionString`),
    /// or what the connection URL's `application_name` says.
    func isTemplatec(_ application: String) -> Bool {
        application.hasPrefix("templatec") || spec.options["application_name"] == application
    }
}
