import ReverseSync

/// `sync --snowflake-batch N`: the most statements of unrelated objects sent in one Snowflake
/// multi-statement request (`MULTI_STATEMENT_COUNT`; see `StatementGroups` and
/// `SnowflakeExecutor.executeTogether`). 1 sends one statement per request.
enum SnowflakeBatchOption {
    static let maximum = 1000

    static func size(_ value: String?, for spec: ConnectionSpec?) throws(UsageError) -> Int {
        guard let value else { return Runner.defaultStatementsPerRequest }
        guard let number = Int(value), (1...maximum).contains(number) else {
            throw UsageError("--snowflake-batch takes a number of statements per request from 1 to \(maximum), not `\(value)`")
        }
        if let spec, spec.kind != .snowflake, number > 1 {
            throw UsageError("--snowflake-batch is for Snowflake connections, whose SQL API runs several statements in one request; this connection is \(spec.kind)")
        }
        return number
    }
}
