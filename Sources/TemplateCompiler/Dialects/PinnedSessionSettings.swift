/// The words by which a statement changes a session setting that templatec's executor for this
/// dialect pins when the session opens (docs/sync.md, "The session contract"): `check` and `sync`
/// refuse such a statement (STM412), since values after it would be read differently from how they
/// were escaped. Each dialect whose executor pins settings lists its own.
public struct PinnedSessionSettings: Sendable {
    /// Setting names, upper case, in a `SET`/`RESET` statement.
    public var names: Set<String>
    /// Multi-word forms (`SET NAMES`), upper case.
    public var phrases: [[String]]
    /// Functions that change a setting anywhere in a statement, lower case ASCII.
    public var functions: [[UInt8]] = []

    /// PostgreSQL's and Redshift's psql sessions: the literal and encoding settings and the timeouts.
    static let postgres = PinnedSessionSettings(
        names: ["STANDARD_CONFORMING_STRINGS", "CLIENT_ENCODING", "STATEMENT_TIMEOUT", "LOCK_TIMEOUT"],
        phrases: [["SET", "NAMES"], ["RESET", "ALL"], ["SET", "SESSION", "AUTHORIZATION"]],
        functions: [Array("set_config".utf8)])
}
