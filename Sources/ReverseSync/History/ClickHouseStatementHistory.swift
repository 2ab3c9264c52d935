import Foundation

/// ClickHouse's own statement history, `system.query_log`: finished queries (`type` QueryFinish),
/// initial ones (not the parts a distributed query sends to shards), with their text, finish time,
/// user, query id and, for HTTP clients, `http_user_agent`, where templatec's executor says
/// `templatec` (`ClickHouseExecutor.userAgent`). Every column used exists from 18.16 on; `type` is
/// a number there and an Enum8 later, which the reader asks `system.columns` about.
///
/// Two things can hide statements, and both are reported:
/// - `log_queries`: a query is logged only when this setting is on for its session (off by default
///   before 19.x, on since; a profile or a session may turn it off). The reader notes when it is
///   off for its own user.
/// - the flush: the log is written every `flush_interval_milliseconds` (7.5 s by default). The
///   reader asks `SYSTEM FLUSH LOGS` first; where that is refused it reads only up to 10 s ago.
///
/// The cursor is a second of `event_time`: a read takes queries that finished before the second
/// the read began (all flushed by then), and the next read starts at that second.
struct ClickHouseStatementHistory: StatementHistory {
    let spec: ConnectionSpec
    let environment: [String: String]
    /// Only queries holding one of these words (case-insensitively) are fetched: the first
    /// keywords of the templates in use (`ALTER`, `COMMENT`). Nil: every query. Letters only.
    let keywords: [String]?
    /// The log table: `system.query_log`; another only in the tests that give a ClickHouse 26
    /// table of its shape (chdb, in process, keeps no query log of its own).
    var log = (database: "system", table: "query_log")

    static let task = StateQuery.Task(verb: "read the statement history", noun: "statement-history query")

    private func query(_ sql: String, formatted: Bool = true, each: ([String?]) -> Void) throws(HistoryError) {
        do { try StateQuery.clickhouse(spec, environment: environment, sql: sql, task: Self.task, formatted: formatted, each: each) } catch {
            throw HistoryError(error.message)
        }
    }

    func read(after cursor: HistoryCursor?, since: Date?) throws(HistoryError) -> HistoryRead {
        var logQueries = "?"
        try query("SELECT value FROM system.settings WHERE name = 'log_queries'") { row in logQueries = row.first.flatMap { $0 } ?? "?" }
        let off = logQueries == "0"
            ? "log_queries is 0 for user \(spec.user ?? environment["CLICKHOUSE_USER"] ?? "default") on ClickHouse at \(spec.endpoint): only sessions that turn it on are logged; set <log_queries>1</log_queries> in the users' profile (users.xml) to record everyone's statements"
            : nil
        var notes: [String] = off.map { [$0] } ?? []

        var now: Int64 = 0
        try query("SELECT toUnixTimestamp(now())") { row in now = row.first.flatMap { $0 }.flatMap { Int64($0) } ?? 0 }
        guard now > 0 else { throw HistoryError("ClickHouse at \(spec.endpoint) did not answer its time: nothing was read") }
        var until = now
        // The flush comes before the table is looked for: ClickHouse creates system.query_log at
        // its first flush, so on a new server the first logged statements make it only now.
        do {
            try query("SYSTEM FLUSH LOGS", formatted: false) { _ in }
        } catch {
            until = now - 10
            notes.append("SYSTEM FLUSH LOGS was refused (\(error.message.prefix(200))): statements of the last 10 s are read next time")
        }

        var columns: [String: String] = [:]
        try query("SELECT name, type FROM system.columns WHERE database = '\(log.database)' AND table = '\(log.table)'") { row in
            if row.count == 2, let name = row[0], let type = row[1] { columns[name] = type }
        }
        // No table at all: the server has logged nothing yet (ClickHouse creates the log with its
        // first logged query; with 18.16's default log_queries = 0 that may never happen). An empty
        // history, said in a note, and no cursor: the next read starts at the log's beginning, so
        // nothing logged later is missed. A table without the columns read is an error below.
        if columns.isEmpty {
            let why = "ClickHouse at \(spec.endpoint) has no system.query_log yet: it has logged no queries. "
                + (off ?? "The table appears once a query with log_queries = 1 was logged and flushed; the server's <query_log> section must not be removed")
            return HistoryRead(statements: [], next: nil, notes: [why] + notes.filter { $0 != off })
        }
        guard let typeColumn = columns["type"], columns["query"] != nil, columns["http_user_agent"] != nil else {
            throw HistoryError("ClickHouse at \(spec.endpoint) has a system.query_log without the columns templatec reads (type, query, http_user_agent): nothing was read")
        }

        let finished = typeColumn.hasPrefix("Enum") ? "type = 'QueryFinish'" : "type = 2"
        let from: Int64 = since.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? cursor?.position ?? 0
        var conditions = [finished, "is_initial_query = 1", "http_user_agent != '\(ClickHouseExecutor.stateUserAgent)'",
                          "event_date >= toDate(toDateTime(\(from)))", "event_time >= toDateTime(\(from))", "event_time < toDateTime(\(until))"]
        if let keywords, !keywords.isEmpty, keywords.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isLetter } }) {
            conditions.append("(" + keywords.map { "positionCaseInsensitive(query, '\($0)') > 0" }.joined(separator: " OR ") + ")")
        }
        var statements: [ExecutedStatement] = []
        var unexpected: [String?]? = nil
        try query("SELECT toUnixTimestamp(event_time), user, http_user_agent, query FROM \(log.database).\(log.table) WHERE "
                  + conditions.joined(separator: " AND ") + " ORDER BY event_time, query_id") { row in
            guard row.count == 4, let time = row[0].flatMap({ Double($0) }), let sql = row[3] else {
                if unexpected == nil { unexpected = row }
                return
            }
            let agent = row[2] ?? ""
            statements.append(ExecutedStatement(sql: sql, executedAt: Date(timeIntervalSince1970: time), user: row[1], client: agent.isEmpty ? nil : agent,
                                                ranByTemplatec: agent == ClickHouseExecutor.userAgent || agent.hasPrefix(ClickHouseExecutor.userAgent + "/")))
        }
        if let unexpected {
            throw HistoryError("ClickHouse at \(spec.endpoint) answered the statement-history query with an unexpected line (\(unexpected.count) fields): nothing was read")
        }
        return HistoryRead(statements: statements, next: since == nil ? HistoryCursor(engine: "clickhouse", position: max(until, from)) : nil, notes: notes)
    }
}
