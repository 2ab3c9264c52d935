import Foundation
import TemplateCompiler

/// Applies one pipeline: plans it, opens one session, applies each operation on its own (a failed
/// statement stops its operation, not the others), and answers a ReverseIngestionResponse.
public final class Runner {
    public enum Mode {
        /// Print the plan; execute nothing.
        case dryRun(log: (String) -> Void)
        /// Execute through a session opened by this factory (one session per pipeline).
        case execute(openSession: () throws -> SQLExecutor)
    }

    public let planner: Planner
    public let mode: Mode
    /// Called after each operation with (done, total) for this pipeline.
    public var progress: ((Int, Int) -> Void)?

    public init(planner: Planner, mode: Mode) {
        self.planner = planner
        self.mode = mode
    }

    /// The response plus a timing per operation, for run records.
    public struct Outcome {
        public var response: ReverseIngestionResponse
        public var operations: [OperationRecord]
        public var started: Date
        public var finished: Date
    }

    public func run(_ pipeline: ReverseIngestionPipeline) -> Outcome {
        let started = Date()
        let plans = planner.plan(pipeline)
        var session: SQLExecutor? = nil
        switch mode {
        case .dryRun: break
        case .execute(let open):
            do {
                session = try open()
            } catch {
                // A critical failure: nothing can be applied.
                let message = "could not connect: \(error)"
                let results = plans.map { OperationResult(id: $0.id, success: false, message: "not applied: \(message)") }
                let now = Date()
                return Outcome(response: ReverseIngestionResponse(serviceId: pipeline.service.id, success: false, message: message, results: results),
                               operations: zip(plans, results).map { OperationRecord(plan: $0, result: $1, seconds: 0) },
                               started: started, finished: now)
            }
        }
        defer { session?.close() }
        var results: [OperationResult] = []
        var records: [OperationRecord] = []
        for (i, plan) in plans.enumerated() {
            let t0 = Date()
            let result = apply(plan, session)
            results.append(result)
            records.append(OperationRecord(plan: plan, result: result, seconds: Date().timeIntervalSince(t0)))
            progress?(i + 1, plans.count)
        }
        return Outcome(response: ReverseIngestionResponse(serviceId: pipeline.service.id, success: true, results: results),
                       operations: records, started: started, finished: Date())
    }

    private func apply(_ plan: OperationPlan, _ session: SQLExecutor?) -> OperationResult {
        var messages: [String] = []
        var success = true
        for (channel, outcome) in plan.outcomes {
            let prefix = channel.isEmpty ? "" : "[\(channel)] "
            switch outcome {
            case .failed(let m):
                success = false
                messages.append(prefix + m)
            case .skipped(let m):
                messages.append(prefix + m)
            case .steps(let steps, let notes):
                var done = 0
                var failure: String? = nil
                for step in steps {
                    if let session {
                        let r = session.execute(step.sql)
                        if !r.success {
                            failure = "\(step.label) failed\(steps.count > 1 ? " (statement \(done + 1) of \(steps.count); \(done) applied before it)" : ""): \(r.message ?? "the database reported an error")"
                            break
                        }
                    } else if case .dryRun(let log) = mode {
                        log("-- operation \(plan.id) on \(plan.entity)\(channel.isEmpty ? "" : " [channel \(channel)]"): \(step.label)\n\(step.sql.hasSuffix("\n") ? step.sql : step.sql + "\n")")
                    }
                    done += 1
                }
                if let f = failure {
                    success = false
                    messages.append(prefix + f)
                } else {
                    var m = notes
                    if session == nil, !steps.isEmpty { m.insert("dry run: \(steps.count) statement\(steps.count == 1 ? "" : "s") planned, not executed", at: 0) }
                    if !m.isEmpty { messages.append(prefix + m.joined(separator: "; ")) }
                }
            }
        }
        return OperationResult(id: plan.id, success: success, message: messages.isEmpty ? nil : messages.joined(separator: " | "))
    }
}

/// What a run record keeps of one operation.
public struct OperationRecord: Codable, Sendable {
    public var id: String
    public var entity: String
    public var type: String
    public var success: Bool
    public var message: String?
    public var statements: Int
    public var seconds: Double

    init(plan: OperationPlan, result: OperationResult, seconds: Double) {
        id = plan.id
        entity = plan.entity
        type = plan.type.rawValue
        success = result.success
        message = result.message
        statements = plan.statementCount
        self.seconds = seconds
    }
}
