/// Statements of unrelated objects sent in one request (`--snowflake-batch`), for executors that
/// run several statements per request (`SQLExecutor.runsStatementsTogether`: Snowflake's
/// multi-statement requests). Fewer round trips, while every statement keeps its own outcome.
///
/// A group holds at most `size` statements, each of an operation with one statement, and never
/// two of the same object: so a failure in a group concerns one operation's object, and a group
/// never reorders what happens to one object. Groups keep the input order, and so do the outcomes.
enum StatementGroups {
    /// Runs `statements` (one per operation; `objects[i]` the entity of statement `i`) on `session`:
    /// consecutive statements form a group until it is full or the next one's object is in it.
    /// An executor that cannot group, or `size` 1, runs them as `executeAll` does (pipelined).
    static func run(_ statements: [String], objects: [String], size: Int, on session: SQLExecutor) -> [ExecutionOutcome] {
        guard session.runsStatementsTogether, size > 1, statements.count > 1 else { return session.executeAll(statements) }
        var outcomes: [ExecutionOutcome] = []
        outcomes.reserveCapacity(statements.count)
        var group: [String] = []
        var inGroup: Set<String> = []
        for (sql, object) in zip(statements, objects) {
            if group.count >= size || inGroup.contains(object) {
                outcomes += session.executeTogether(group)
                group.removeAll(keepingCapacity: true)
                inGroup.removeAll(keepingCapacity: true)
            }
            group.append(sql)
            inGroup.insert(object)
        }
        if !group.isEmpty { outcomes += session.executeTogether(group) }
        return outcomes
    }
}
