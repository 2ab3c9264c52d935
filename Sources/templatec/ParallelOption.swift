import ReverseSync

/// `sync --parallel N`: how many sessions per database run statements at once.
///
/// Only for the services that answer each statement after a network round trip and run many at
/// once (Trino, Databricks, Snowflake, ClickHouse over HTTP): one statement at a time there spends
/// nearly all its time waiting. PostgreSQL and MySQL sessions are pipelined already (the next
/// statements are sent while earlier ones run), and a `command:` runs whatever it runs.
enum ParallelOption {
    /// Four: most of the speed-up for a warehouse's latency while staying well inside the
    /// concurrency a small warehouse accepts before it queues (Databricks queues beyond 10 per
    /// cluster, Snowflake's default MAX_CONCURRENCY_LEVEL is 8).
    static let defaultSessions = 4
    static let maximum = 64

    static func sessions(_ value: String?, for spec: ConnectionSpec?) throws(UsageError) -> Int {
        let n: Int?
        if let value {
            guard let number = Int(value), (1...maximum).contains(number) else {
                throw UsageError("--parallel takes a number of sessions from 1 to \(maximum), not `\(value)`")
            }
            n = number
        } else {
            n = nil
        }
        // A dry run executes nothing: the option is accepted, so --dry-run can be added to any command.
        guard let spec else { return 1 }
        guard [.trino, .databricks, .snowflake, .clickhouse].contains(spec.kind) else {
            if let n, n > 1 {
                throw UsageError("--parallel is for Trino, Databricks, Snowflake and ClickHouse connections, whose services run statements at once; PostgreSQL and MySQL sessions are pipelined already, and a command: runs one statement at a time")
            }
            return 1
        }
        return n ?? defaultSessions
    }
}
