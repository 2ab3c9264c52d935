import Foundation
import TemplateCompiler

/// Applies one pipeline: plans it, opens one session, applies each operation on its own (a failed
/// statement stops its operation, not the others), and answers a ReverseIngestionResponse.
///
/// Operations with a single statement are sent in batches through `SQLExecutor.executeAll`, which
/// pipelined executors (PostgreSQL, MySQL) send without waiting for each answer; every statement
/// still runs on its own (autocommit), so one failure undoes nothing else. An operation with several
/// statements is run by itself, one statement at a time, so that a failing statement stops the
/// later statements of its operation. Results keep the order of the operations.
public final class Runner {
    public enum Mode {
        /// Print the plan; execute nothing.
        case dryRun(log: (String) -> Void)
        /// Execute through a session opened by this factory (one session per pipeline).
        case execute(openSession: () throws -> SQLExecutor)
    }

    public let planner: Planner
    public let mode: Mode
    /// Called with (done, total) for this pipeline after each batch and each operation run on its own
    /// (after each operation in a dry run).
    public var progress: ((Int, Int) -> Void)?
    /// The most single-statement operations sent to `executeAll` at once. Between two batches a
    /// pipelined client waits for us (results of one, preparation of the next: about 3 ms), so
    /// larger batches are faster; smaller ones report progress more often.
    public var batchSize = 8192
    /// The time a batch should take: the first batch has 256 statements (at most `batchSize`), the
    /// next ones as many as the measured rate runs in this time (at most 4 times the previous size,
    /// at most `batchSize`), so progress moves a few times a second on a fast server and a slow one.
    public var batchSeconds = 0.25

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
        /// The session's settings, as established and read back (empty: dry run, no session).
        public var session: [SessionSettings.Setting] = []
    }

    public func run(_ pipeline: ReverseIngestionPipeline) -> Outcome {
        let started = Date()
        let openSession: () throws -> SQLExecutor
        switch mode {
        case .dryRun(let log):
            let plans = planner.plan(pipeline)
            var results: [OperationResult] = []
            var records: [OperationRecord] = []
            for (i, plan) in plans.enumerated() {
                let t0 = Date()
                let result = self.result(of: plan) { channel, step in
                    log("-- operation \(plan.id) on \(plan.entity)\(channel.isEmpty ? "" : " [channel \(channel)]"): \(step.label)\n\(step.sql.hasSuffix("\n") ? step.sql : step.sql + "\n")")
                    return nil
                }
                results.append(result)
                records.append(OperationRecord(plan: plan, result: result, seconds: Date().timeIntervalSince(t0)))
                progress?(i + 1, plans.count)
            }
            return Outcome(response: ReverseIngestionResponse(serviceId: pipeline.service.id, success: true, results: results),
                           operations: records, started: started, finished: Date())
        case .execute(let open):
            openSession = open
        }

        // Operations are planned and executed in chunks of `target` operations. Planning runs one
        // chunk ahead on another thread, each next one while the statements of the previous one
        // execute. Plans are pure, and the planner is used by one thread at a time (each chunk is
        // waited for before the next one starts). The first chunk is planned only once the session
        // is open: statements are compiled with the options of that session (`SQLExecutor.session`).
        let largest = max(batchSize, 1)
        var target = min(256, largest)
        let operationCount = pipeline.operations.count
        func planAhead(from start: Int) -> PlanAhead? {
            start < operationCount ? PlanAhead(planner, pipeline, start..<min(start + target, operationCount)) : nil
        }

        let session: SQLExecutor
        do {
            session = try openSession()
        } catch {
            // A critical failure: nothing can be applied.
            let plans = pipeline.operations.indices.map { planner.plan(pipeline.operations[$0], index: $0, service: pipeline.service) }
            let message = "could not connect: \(error)"
            let results = plans.map { OperationResult(id: $0.id, success: false, message: "not applied: \(message)") }
            let now = Date()
            return Outcome(response: ReverseIngestionResponse(serviceId: pipeline.service.id, success: false, message: message, results: results),
                           operations: zip(plans, results).map { OperationRecord(plan: $0, result: $1, seconds: 0) },
                           started: started, finished: now)
        }
        defer { session.close() }
        planner.useSession(session.session.options)
        var pending = planAhead(from: 0)
        var results = [OperationResult?](repeating: nil, count: operationCount)
        var records = [OperationRecord?](repeating: nil, count: operationCount)
        var done = 0

        var plans: [OperationPlan] = []
        plans.reserveCapacity(operationCount)
        // Operations waiting for the next `executeAll`: those with one statement, and those with
        // none (failed plans, skips) so that progress counts operations in order.
        var batch: [Int] = []
        var statements: [String] = []
        func flush() {
            guard !batch.isEmpty else { return }
            let t0 = Date()
            let outcomes = statements.isEmpty ? [] : session.executeAll(statements)
            let elapsed = Date().timeIntervalSince(t0)
            if !statements.isEmpty {
                let fitting = Double(statements.count) / max(elapsed, 1e-6) * batchSeconds
                target = max(1, min(largest, target * 4, Int(min(fitting, Double(Int.max / 8)))))
            }
            // A batch's time is shared by its operations: they ran interleaved in one pipeline.
            let seconds = elapsed / Double(max(statements.count, 1))
            var next = outcomes.makeIterator()
            for index in batch {
                let plan = plans[index]
                let hasStatement = plan.statementCount == 1
                let result = self.result(of: plan) { _, _ in
                    next.next() ?? .failed("the executor gave no result for this statement")
                }
                results[index] = result
                records[index] = OperationRecord(plan: plan, result: result, seconds: hasStatement ? seconds : 0)
            }
            done += batch.count
            batch.removeAll(keepingCapacity: true)
            statements.removeAll(keepingCapacity: true)
            progress?(done, operationCount)
        }

        while let chunk = pending {
            let first = plans.count
            plans += chunk.wait()
            pending = planAhead(from: plans.count)
            for index in first..<plans.count {
                let plan = plans[index]
                switch plan.statementCount {
                case 0:
                    batch.append(index)
                case 1:
                    batch.append(index)
                    statements.append(plan.onlyStep!.sql)
                default:
                    // Several statements: on its own, so a failure stops the rest of this operation.
                    flush()
                    let t0 = Date()
                    let result = self.result(of: plan) { _, step in session.execute(step.sql) }
                    results[index] = result
                    records[index] = OperationRecord(plan: plan, result: result, seconds: Date().timeIntervalSince(t0))
                    done += 1
                    progress?(done, operationCount)
                }
            }
            // A batch is what is left of a chunk after its multi-statement operations.
            flush()
        }
        return Outcome(response: ReverseIngestionResponse(serviceId: pipeline.service.id, success: true, results: results.map { $0! }),
                       operations: records.map { $0! }, started: started, finished: Date(), session: session.session.values)
    }

    /// The result of one operation. `run` executes one step (channel, step) and answers its outcome,
    /// or nil when nothing is executed (dry run). Within a channel, the first failed step stops the
    /// channel's later steps.
    private func result(of plan: OperationPlan, run: (String, PlannedStep) -> ExecutionOutcome?) -> OperationResult {
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
                var executed = false
                for step in steps {
                    if let r = run(channel, step) {
                        executed = true
                        if !r.success {
                            failure = "\(step.label) failed\(steps.count > 1 ? " (statement \(done + 1) of \(steps.count); \(done) applied before it)" : ""): \(r.message ?? "the database reported an error")"
                            break
                        }
                    }
                    done += 1
                }
                if let f = failure {
                    success = false
                    messages.append(prefix + f)
                } else {
                    var m = notes
                    if !executed, !steps.isEmpty { m.insert("dry run: \(steps.count) statement\(steps.count == 1 ? "" : "s") planned, not executed", at: 0) }
                    if !m.isEmpty { messages.append(prefix + m.joined(separator: "; ")) }
                }
            }
        }
        return OperationResult(id: plan.id, success: success, message: messages.isEmpty ? nil : messages.joined(separator: " | "))
    }
}

/// Plans a range of a pipeline's operations on another thread; `wait` answers the plans.
/// The planner is not used by anyone else until `wait` returns.
private final class PlanAhead: @unchecked Sendable {
    private let group = DispatchGroup()
    private let planner: Planner
    private let pipeline: ReverseIngestionPipeline
    private let range: Range<Int>
    private var plans: [OperationPlan] = []

    init(_ planner: Planner, _ pipeline: ReverseIngestionPipeline, _ range: Range<Int>) {
        self.planner = planner
        self.pipeline = pipeline
        self.range = range
        group.enter()
        DispatchQueue.global().async { [self] in
            plans = range.map { self.planner.plan(self.pipeline.operations[$0], index: $0, service: self.pipeline.service) }
            group.leave()
        }
    }

    func wait() -> [OperationPlan] {
        group.wait()
        return plans
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
