import Foundation
import TemplateCompiler
import TemplateWorkspace

/// Statement histories as a `DatabaseChangeSource` for `sync --to-openmetadata --from-history`,
/// and the commands of `templatec history` (docs/history.md).
///
///     let source = try StatementHistories.source(for: spec, connector: connector, channels: channels,
///                                                service: "pg", cursor: HistoryCursorStore(stateDirectory: dir, spec: spec))
///     let changes = try source.changes()      // reads from the stored cursor; stores nothing
///     …                                       // send them to the catalog
///     try source.commit()                     // only now the cursor moves
public enum StatementHistories {
    /// The engines with a history templatec reads: PostgreSQL (and TimescaleDB) through the
    /// event trigger `history install` puts in, ClickHouse through `system.query_log` (plain HTTP).
    static func history(for spec: ConnectionSpec, connector: Connector, keywords: [String], environment: [String: String]) throws(HistoryError) -> StatementHistory {
        switch (spec.kind, connector.id) {
        case (.postgresql, .postgres), (.postgresql, .timescaledb):
            return PostgresStatementHistory(spec: spec, environment: environment)
        case (.clickhouse, .clickhouse) where !spec.useTLS:
            return ClickHouseStatementHistory(spec: spec, environment: environment, keywords: keywords)
        default:
            throw HistoryError("no statement history is read for \(connector.displayName) through \(spec.kind.rawValue)\(spec.useTLS ? " (TLS)" : "") connections: histories exist for PostgreSQL (an event trigger, `templatec history install`) and ClickHouse over HTTP (system.query_log)")
        }
    }

    /// The history of `spec` as a change source. `channels` nil: the connector's default
    /// templates only. `cursor` nil: every recorded statement, every time. `since`: the statements
    /// from that time on, and the cursor is neither read nor moved.
    public static func source(for spec: ConnectionSpec, connector: Connector, channels: [Channel]?, service: String,
                              cursor: HistoryCursorStore?, since: Date? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws(HistoryError) -> StatementHistorySource {
        let templates = try HistoryTemplates(connector: connector, channels: channels)
        let history = try history(for: spec, connector: connector, keywords: templates.keywords, environment: environment)
        return StatementHistorySource(history: history, templates: templates, channels: channels, service: service,
                                      cursor: since == nil ? cursor : nil, since: since)
    }

    /// The SQL `history install` runs, for a DBA to run instead (`--print`).
    public static func installSQL(for connector: Connector) throws(HistoryError) -> String {
        guard [.postgres, .timescaledb].contains(connector.id) else { throw notInstallable(connector) }
        return PostgresStatementHistory.installSQL
    }

    public static func uninstallSQL(for connector: Connector) throws(HistoryError) -> String {
        guard [.postgres, .timescaledb].contains(connector.id) else { throw notInstallable(connector) }
        return PostgresStatementHistory.uninstallSQL
    }

    /// Installs the PostgreSQL event trigger and its table in the database `spec` names (idempotent).
    public static func install(_ spec: ConnectionSpec, connector: Connector, environment: [String: String] = ProcessInfo.processInfo.environment) throws(HistoryError) {
        _ = try installSQL(for: connector)
        try postgres(spec, connector).install()
    }

    /// Removes the trigger, the function, the table and the schema (what was recorded goes too).
    public static func uninstall(_ spec: ConnectionSpec, connector: Connector, environment: [String: String] = ProcessInfo.processInfo.environment) throws(HistoryError) {
        _ = try uninstallSQL(for: connector)
        try postgres(spec, connector, environment).uninstall()
    }

    private static func postgres(_ spec: ConnectionSpec, _ connector: Connector, _ environment: [String: String] = ProcessInfo.processInfo.environment) throws(HistoryError) -> PostgresStatementHistory {
        guard spec.kind == .postgresql else {
            throw HistoryError("the statement history of \(connector.displayName) is installed through a postgresql:// connection, not \(spec.kind.rawValue)")
        }
        return PostgresStatementHistory(spec: spec, environment: environment)
    }

    private static func notInstallable(_ connector: Connector) -> HistoryError {
        HistoryError(connector.id == .clickhouse
            ? "ClickHouse keeps its own history (system.query_log): there is nothing to install; see docs/history.md for log_queries"
            : "no statement history can be installed for \(connector.displayName): only PostgreSQL (and TimescaleDB) has one templatec installs")
    }
}

/// One history read through the templates in use. `changes()` reads (and may be called once per
/// run); `commit()` stores the cursor the read reached, so a run that fails before it reads the
/// same statements again next time.
public final class StatementHistorySource: DatabaseChangeSource {
    let history: StatementHistory
    let templates: HistoryTemplates
    let channels: [Channel]?
    /// The templates compiled for other session options than the default, made when a statement
    /// read under them first comes.
    private var templatesByOptions: [DialectOptions: HistoryTemplates] = [:]
    let service: String
    let cursor: HistoryCursorStore?
    let since: Date?
    private var pending: HistoryCursor?

    /// What the last read found.
    public struct Summary: Sendable, Equatable {
        /// Statements read from the history.
        public var read = 0
        /// Statements that matched a template (one statement may give several changes).
        public var matched = 0
        /// Statements no template matches: counted, never an error.
        public var unmatched = 0
        /// Statements templatec ran itself (its application_name or user agent): skipped.
        public var skipped = 0
        /// What the reader found worth saying (a log that is off, a refused flush).
        public var notes: [String] = []
        /// Changes the matched statements gave.
        public var changes = 0

        /// One line for standard error: `6 statements read: 3 matched (4 changes), 1 unmatched, 2 skipped (run by templatec)`.
        public var line: String {
            "\(read) statement\(read == 1 ? "" : "s") read: \(matched) matched (\(changes) change\(changes == 1 ? "" : "s")), \(unmatched) unmatched, \(skipped) skipped (run by templatec)"
        }
    }

    public private(set) var summary = Summary()

    init(history: StatementHistory, templates: HistoryTemplates, channels: [Channel]?, service: String, cursor: HistoryCursorStore?, since: Date?) {
        self.channels = channels
        self.history = history
        self.templates = templates
        self.service = service
        self.cursor = cursor
        self.since = since
    }

    /// The templates for statements read under `options`: the same texts, compiled for them.
    private func templates(for options: DialectOptions) throws(HistoryError) -> HistoryTemplates {
        if options == templates.options { return templates }
        if let known = templatesByOptions[options] { return known }
        let made = try HistoryTemplates(connector: templates.connector, channels: channels, options: options)
        templatesByOptions[options] = made
        return made
    }

    public func changes() throws -> [DatabaseChange] {
        let read = try history.read(after: try cursor?.load(), since: since)
        var summary = Summary(read: read.statements.count, notes: read.notes)
        var changes: [DatabaseChange] = []
        for statement in read.statements {
            if statement.ranByTemplatec { summary.skipped += 1; continue }
            if let found = try templates(for: statement.options).changes(in: statement, service: service) {
                summary.matched += 1
                changes += found
            } else {
                summary.unmatched += 1
            }
        }
        summary.changes = changes.count
        self.summary = summary
        pending = read.next
        return changes
    }

    /// Stores the cursor the last `changes()` reached (nothing without a cursor store or a read).
    public func commit() throws(HistoryError) {
        guard let cursor, let pending else { return }
        try cursor.save(pending)
        self.pending = nil
    }
}
