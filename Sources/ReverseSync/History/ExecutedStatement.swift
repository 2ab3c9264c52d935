import Foundation
import TemplateCompiler

/// One statement as an engine's history recorded it: its text, when and by whom it ran, and
/// whether templatec ran it itself (those are skipped: the catalog already has their values).
public struct ExecutedStatement: Sendable, Equatable {
    /// The statement's text as the engine recorded it (PostgreSQL: the whole query string the
    /// client sent, which may hold several statements).
    public var sql: String
    public var executedAt: Date?
    /// The user who ran it (PostgreSQL `session_user`, ClickHouse `user`).
    public var user: String?
    /// The database the session was connected to, where the engine records it (PostgreSQL).
    public var database: String?
    /// The client's mark: PostgreSQL `application_name`, ClickHouse `http_user_agent`.
    public var client: String?
    /// True when the client's mark is templatec's.
    public var ranByTemplatec: Bool
    /// The session settings the text was read under, where the engine records them (PostgreSQL's
    /// `standard_conforming_strings`): `'a\\b'` is `a\b` with it off and `a\\b` with it on, so
    /// the text is matched with these options, never with a guess.
    public var options: DialectOptions = .default

    public init(sql: String, executedAt: Date?, user: String?, database: String? = nil, client: String?, ranByTemplatec: Bool,
                options: DialectOptions = .default) {
        self.options = options
        self.sql = sql
        self.executedAt = executedAt
        self.user = user
        self.database = database
        self.client = client
        self.ranByTemplatec = ranByTemplatec
    }
}

/// What one read of a history gave: the statements in the order they ran, the cursor to store
/// once they are handled, and what the reader found worth saying (a log that is off, a flush
/// that was refused).
public struct HistoryRead: Sendable {
    public var statements: [ExecutedStatement]
    /// The position after these statements (nil: the read used `since` and moves no cursor).
    public var next: HistoryCursor?
    public var notes: [String]
}

/// Where a history was read up to, opaque to callers: PostgreSQL a transaction horizon (every
/// transaction below it has ended, so the rows below it are final), ClickHouse a second of
/// `event_time` (every query that finished before it was flushed to the log before the read).
public struct HistoryCursor: Sendable, Equatable, Codable {
    public var engine: String
    public var position: Int64

    public init(engine: String, position: Int64) {
        self.engine = engine
        self.position = position
    }
}

/// Why a history could not be read (or installed): what, where, and what to do.
public struct HistoryError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}

/// An engine's statement history.
protocol StatementHistory {
    /// The statements recorded after `cursor` (nil: from the start), or since `since` (then
    /// `next` is nil and no cursor moves).
    func read(after cursor: HistoryCursor?, since: Date?) throws(HistoryError) -> HistoryRead
}
