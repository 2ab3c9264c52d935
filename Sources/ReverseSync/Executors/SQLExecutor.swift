import Foundation
import TemplateCompiler

/// The result of one statement.
public struct ExecutionOutcome: Sendable, Equatable {
    public var success: Bool
    /// On failure: what the server or client said (never a password). On success: warnings, if any.
    public var message: String?

    public init(success: Bool, message: String? = nil) {
        self.success = success
        self.message = message
    }

    public static let ok = ExecutionOutcome(success: true)
    public static func failed(_ message: String) -> ExecutionOutcome { ExecutionOutcome(success: false, message: message) }
}

/// Sends SQL statements, one at a time, to a database. Each statement runs on its own (autocommit):
/// a failing statement undoes nothing else and does not stop the next one.
/// An executor is used from one thread at a time.
public protocol SQLExecutor: AnyObject {
    /// Runs one statement (it may contain newlines and semicolons inside literals; a trailing `;`
    /// is optional). Never throws and never hangs: a lost connection or a timeout is a failed outcome.
    func execute(_ sql: String) -> ExecutionOutcome
    /// Runs statements in order, each on its own, as `execute` would; executors that can pipeline
    /// (PostgreSQL, MySQL) send the next statements while earlier ones run.
    func executeAll(_ statements: [String]) -> [ExecutionOutcome]
    /// Whether `executeTogether` sends several statements in one request (Snowflake's
    /// multi-statement requests). The runner then groups statements of unrelated objects
    /// (`Runner.statementsPerRequest`).
    var runsStatementsTogether: Bool { get }
    /// Runs statements of unrelated objects in one request where the service allows it; each still
    /// gets its own outcome, in input order. Otherwise as `executeAll`.
    func executeTogether(_ statements: [String]) -> [ExecutionOutcome]
    /// Ends the session (closes the client process or connection). Idempotent.
    func close()
    /// What the session established when it opened: the dialect options the planner must compile
    /// with for statements sent to it, and the settings read back, for the run record.
    var session: SessionSettings { get }
}

extension SQLExecutor {
    public func executeAll(_ statements: [String]) -> [ExecutionOutcome] { statements.map { execute($0) } }
    public var runsStatementsTogether: Bool { false }
    public func executeTogether(_ statements: [String]) -> [ExecutionOutcome] { executeAll(statements) }
    /// Executors that establish nothing (command:, dry run, the remote services, which take their
    /// values as statement parameters): the safe defaults.
    public var session: SessionSettings { SessionSettings() }
}

/// The session contract: what an executor made true at session start, which the escaper relies on.
/// Each executor pins the settings its descriptor lists (`ConnectionDescriptor.pinnedSettings`),
/// reads them back, and refuses to run when they differ; the options here are then exactly those of
/// the session, and the planner compiles every template with them.
public struct SessionSettings: Sendable, Equatable {
    /// The options the session's settings mean for rendering (`standard_conforming_strings`,
    /// `NO_BACKSLASH_ESCAPES`).
    public var options: DialectOptions
    /// The settings as read back from the server after pinning, in the order set: name, value.
    public var values: [Setting]

    public struct Setting: Sendable, Equatable, Codable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(options: DialectOptions = .default, values: [Setting] = []) {
        self.options = options
        self.values = values
    }

    /// `name=value, …`, for messages.
    public var summary: String { values.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") }
}

/// Statement text as a client reading a script needs it: without trailing blanks, ending with `;`.
/// A statement that does not end with `;` (or ends with a comment) gets one on a line of its own.
func terminated(_ sql: String) -> String {
    var text = Substring(sql)
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    if text.last == ";" { return String(text) }
    return String(text) + "\n;"
}
