import TemplateCompiler

/// One SQL text to execute, and what it does (for messages and the dry-run plan).
public struct PlannedStep: Sendable, Equatable {
    public var sql: String
    public var label: String
}

/// What one channel does with one operation.
public enum ChannelOutcome: Sendable, Equatable {
    /// Statements to execute, in order (removals before additions), plus notes for the result
    /// message (ignored owners, skipped glossary terms).
    case steps([PlannedStep], notes: [String])
    /// Not applied, and that is a failure (the message says why).
    case failed(String)
    /// Deliberately not applied (the channel does not push this update).
    case skipped(String)
}

/// The plan for one operation: one outcome per channel that takes it.
public struct OperationPlan: Sendable {
    public var id: String
    public var index: Int
    public var entity: String
    public var type: OperationType
    public var outcomes: [(channel: String, outcome: ChannelOutcome)]

    /// Number of statements the plan will execute.
    public var statementCount: Int {
        outcomes.reduce(0) { n, o in
            if case .steps(let s, _) = o.outcome { return n + s.count }
            return n
        }
    }
}

extension OperationPlan {
    /// The statement of an operation that executes exactly one (the runner batches those).
    var onlyStep: PlannedStep? {
        guard statementCount == 1 else { return nil }
        for o in outcomes { if case .steps(let s, _) = o.outcome, let step = s.first { return step } }
        return nil
    }
}
