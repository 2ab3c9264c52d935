import Foundation
import TemplateCompiler

/// Applies one pipeline: plans it, routes each operation to the session for its database (see
/// `SessionRouter`), applies each operation on its own (a failed statement stops its operation, not
/// the others), and answers a ReverseIngestionResponse.
///
/// Operations with a single statement are sent in batches through `SQLExecutor.executeAll`, which
/// pipelined executors (PostgreSQL, MySQL) send without waiting for each answer; every statement
/// still runs on its own (autocommit), so one failure undoes nothing else. An operation with several
/// statements is run by itself, one statement at a time, so that a failing statement stops the
/// later statements of its operation. A batch holds statements of one session. Results keep the
/// order of the operations.
///
/// Every operation is accounted for: each result goes to `onRecord` as soon as it is known (the run
/// journal), and when `stopRequested` answers a reason (a signal), the statements already sent are
/// finished and every later operation is answered "not run".
public final class Runner {
    public enum Mode {
        /// Print the plan; execute nothing.
        case dryRun(log: (String) -> Void)
        /// Execute through the sessions of this router.
        case execute(sessions: SessionRouter)

        /// Execute through one session opened by this factory.
        public static func execute(openSession: @escaping () throws -> SQLExecutor) -> Mode {
            .execute(sessions: SessionRouter(open: openSession))
        }
    }

    public let planner: Planner
    public let mode: Mode
    /// Called with (done, total) for this pipeline after each batch and each operation run on its own
    /// (after each operation in a dry run).
    public var progress: ((Int, Int) -> Void)?
    /// Called with each operation's index and record as soon as its result is known.
    public var onRecord: ((Int, OperationRecord) -> Void)?
    /// Called after each batch's results have gone to `onRecord` (the journal syncs to disk here).
    public var onBatchEnd: (() -> Void)?
    /// Asked before each operation: a reason to stop (`SIGTERM`), or nil to go on.
    public var stopRequested: () -> String? = { nil }
    /// The most single-statement operations sent to `executeAll` at once. Between two batches a
    /// pipelined client waits for us (results of one, preparation of the next: about 3 ms), so
    /// larger batches are faster; smaller ones report progress more often.
    public var batchSize = 8192
    /// The first batch's size. Small, so that the rate of an unknown session is measured after one
    /// statement: a batch of 256 against a service that takes 100 ms a statement would keep a
    /// signal waiting 25 s.
    public var firstBatchSize = 1
    /// The time a batch should take: the next batches have as many statements as the measured rate
    /// runs in this time (at most 4 times the previous size, at most `batchSize`), so progress moves
    /// a few times a second, and a stop waits about this long, on a fast server and a slow one.
    public var batchSeconds = 0.25
    /// Sessions per database that run a batch's operations at once (`--parallel N`; see
    /// `ConcurrentBatch`). 1: one session, statements in order (pipelined where the executor can).
    public var parallel = 1
    /// The most statements of unrelated objects sent in one request, for sessions that can
    /// (Snowflake; `--snowflake-batch N`, see `StatementGroups`). 1: one statement per request.
    public var statementsPerRequest = Runner.defaultStatementsPerRequest
    /// Measured in `templatec-bench remote` (docs/performance-sync.md): 10× the rate of one
    /// statement per request against a stand-in taking 100 ms a request, while a failed group costs
    /// at most 16 statements run again one by one, and a lost answer leaves at most 16 unknown.
    public static let defaultStatementsPerRequest = 16

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
        /// Why the run stopped before its end (`SIGTERM`), or nil.
        public var stopped: String?
        /// The session's settings, as established and read back (empty: dry run, no session).
        public var session: [SessionSettings.Setting] = []
        /// Why the sync ledger could not record the operations that succeeded (nil: recorded, or no ledger).
        public var ledgerProblem: String?
    }

    public func run(_ pipeline: ReverseIngestionPipeline) -> Outcome {
        switch mode {
        case .dryRun(let log): return dryRun(pipeline, log: log)
        case .execute(let router):
            var outcome = execute(pipeline, router)
            outcome.ledgerProblem = recordAgreed(pipeline, outcome.operations)
            return outcome
        }
    }

    /// The sync ledger the values of successful operations go to (nil: none is kept), and the run
    /// they are recorded under. Every run that writes the database runs its operations here, so
    /// this is the one place the ledger learns what templatec wrote (origin `catalog`).
    public var ledger: SyncLedger?
    public var ledgerRun = ""

    /// Records each operation that succeeded; the ledger's problem, or nil.
    private func recordAgreed(_ pipeline: ReverseIngestionPipeline, _ records: [OperationRecord]) -> String? {
        guard let ledger else { return nil }
        let updates = zip(pipeline.operations, records).compactMap { op, record in
            // Only what ran statements: an operation answered without any wrote nothing.
            record.success && record.notRun != true && record.statements > 0 ? SyncLedger.update(for: op) : nil
        }
        do { try ledger.record(updates, run: ledgerRun) } catch { return error.description }
        return nil
    }

    /// Answers a pipeline none of whose operations runs (`reason`: a message for each, "not run: …").
    public func notRun(_ pipeline: ReverseIngestionPipeline, reason: String, stopped: String? = nil) -> Outcome {
        let now = Date()
        var records: [OperationRecord] = []
        for (index, op) in pipeline.operations.enumerated() {
            let record = OperationRecord(notRun: op, reason: reason)
            records.append(record)
            onRecord?(index, record)
        }
        onBatchEnd?()
        return Outcome(response: ReverseIngestionResponse(serviceId: pipeline.service.id, success: false, message: reason,
                                                          results: records.map(\.result)),
                       operations: records, started: now, finished: now, stopped: stopped)
    }

    private func dryRun(_ pipeline: ReverseIngestionPipeline, log: (String) -> Void) -> Outcome {
        let started = Date()
        var records: [OperationRecord] = []
        var stopped: String?
        for (i, op) in pipeline.operations.enumerated() {
            if stopped == nil { stopped = stopRequested() }
            if let stopped {
                let record = OperationRecord(notRun: op, reason: Runner.notRunMessage(stopped))
                records.append(record)
                onRecord?(i, record)
                continue
            }
            let plan = planner.plan(op, index: i, service: pipeline.service)
            let t0 = Date()
            let result = self.result(of: plan) { channel, step in
                log("-- operation \(plan.id) on \(plan.entity)\(channel.isEmpty ? "" : " [channel \(channel)]"): \(step.label)\n\(step.sql.hasSuffix("\n") ? step.sql : step.sql + "\n")")
                return nil
            }
            let record = OperationRecord(plan: plan, result: result, seconds: Date().timeIntervalSince(t0))
            records.append(record)
            onRecord?(i, record)
            progress?(i + 1, pipeline.operations.count)
        }
        onBatchEnd?()
        return Outcome(response: response(pipeline, records, failures: [], stopped: stopped),
                       operations: records, started: started, finished: Date(), stopped: stopped)
    }

    /// "not run: …" for an operation a stop left out.
    static func notRunMessage(_ reason: String) -> String {
        "not run: the run was stopped (\(reason)) before this operation; nothing of it was executed"
    }

    private func response(_ pipeline: ReverseIngestionPipeline, _ records: [OperationRecord], failures: [String], stopped: String?) -> ReverseIngestionResponse {
        var problems = failures
        if let stopped {
            let notRun = records.filter { $0.notRun == true }.count
            problems.append("stopped (\(stopped)) after \(records.count - notRun) of \(records.count) operations; the other \(notRun) were not run")
        }
        return ReverseIngestionResponse(serviceId: pipeline.service.id, success: problems.isEmpty ? true : false,
                                        message: problems.isEmpty ? nil : problems.joined(separator: "; "),
                                        results: records.map(\.result))
    }

    private func execute(_ pipeline: ReverseIngestionPipeline, _ router: SessionRouter) -> Outcome {
        let started = Date()
        // Operations are planned and executed in chunks of `sizer.target` operations. Planning runs one
        // chunk ahead on another thread, each next one while the statements of the previous one
        // execute. Plans are pure, and the planner is used by one thread at a time (each chunk is
        // waited for before the next one starts). The first chunk is planned only once the first
        // session is open: statements are compiled with the options of that session
        // (`SQLExecutor.session`), and every later session must have the same (`route`).
        var sizer = BatchSizer(first: firstBatchSize, largest: batchSize, seconds: batchSeconds)
        let operationCount = pipeline.operations.count
        func planAhead(from start: Int) -> PlanAhead? {
            start < operationCount ? PlanAhead(planner, pipeline, start..<min(start + max(sizer.target, 256), operationCount)) : nil
        }
        let parallel = max(self.parallel, 1)
        router.width = parallel
        defer { router.closeAll() }
        let settings = openFirstSession(pipeline, router)
        planner.useSession(settings.options)
        var pending = planAhead(from: 0)
        var records = [OperationRecord?](repeating: nil, count: operationCount)
        var done = 0
        func record(_ index: Int, _ record: OperationRecord) {
            records[index] = record
            onRecord?(index, record)
        }

        // Only the chunk being run is kept: memory follows the chunk, not the pipeline.
        var plans = PlanWindow()
        // Operations waiting for the next `executeAll` of `batchSession`: those with one statement,
        // and those with none or refused (failed plans, skips, other databases) so that progress
        // counts operations in order.
        var batch: [Int] = []
        var statements: [String] = []
        /// The entity of each statement in `statements` (for `StatementGroups`).
        var objects: [String] = []
        var batchSessions: [SQLExecutor] = []
        var batchSession: SQLExecutor? { batchSessions.first }
        /// Statements of the operations in `batch` (in parallel mode, where `statements` is unused).
        var batchStatementCount = 0
        var refusals: [Int: String] = [:]
        /// The fewest statements a batch holds: for sessions that run statements together, enough
        /// for a full request per session (a batch sized by time alone, a quarter of a second,
        /// would hold only two or three statements per session at a warehouse's latency).
        var leastBatch: Int {
            guard batchSession?.runsStatementsTogether == true else { return 1 }
            return max(statementsPerRequest, 1) * max(batchSessions.count, 1)
        }
        /// In parallel mode: every operation of the batch at once on the batch's sessions.
        func flushConcurrently() {
            let t0 = Date()
            let runnable = batch.filter { refusals[$0] == nil && plans[$0].statementCount > 0 }
            let answers = ConcurrentBatch.run(runnable.map { ConcurrentBatch.Item(plan: plans[$0], entity: plans[$0].entity) }, on: batchSessions,
                                              together: statementsPerRequest) { plan, session in
                self.result(of: plan) { _, step in session.execute(step.sql) }
            } runTogether: { group, session in
                let outcomes = session.executeTogether(group.map { $0.onlyStep!.sql })
                return zip(group, outcomes).map { plan, outcome in self.result(of: plan) { _, _ in outcome } }
            }
            let elapsed = Date().timeIntervalSince(t0)
            sizer.measured(statements: batchStatementCount, elapsed: elapsed)
            var answered: [Int: (result: OperationResult, seconds: Double)] = [:]
            for (index, answer) in zip(runnable, answers) { answered[index] = answer }
            for index in batch {
                let plan = plans[index]
                if let refusal = refusals.removeValue(forKey: index) {
                    record(index, OperationRecord(plan: plan, result: OperationResult(id: plan.id, success: false, message: refusal), seconds: 0))
                } else if let answer = answered[index] {
                    record(index, OperationRecord(plan: plan, result: answer.result, seconds: answer.seconds))
                } else {
                    record(index, OperationRecord(plan: plan, result: result(of: plan) { _, _ in nil }, seconds: 0))
                }
            }
            done += batch.count
            batch.removeAll(keepingCapacity: true)
            batchStatementCount = 0
            onBatchEnd?()
            progress?(done, operationCount)
        }
        func flush() {
            guard !batch.isEmpty else { return }
            if parallel > 1 { return flushConcurrently() }
            let t0 = Date()
            let outcomes = statements.isEmpty ? [] : batchSession.map { StatementGroups.run(statements, objects: objects, size: statementsPerRequest, on: $0) } ?? []
            let elapsed = Date().timeIntervalSince(t0)
            sizer.measured(statements: statements.count, elapsed: elapsed)
            // A batch's time is shared by its operations: they ran interleaved in one pipeline.
            let seconds = elapsed / Double(max(statements.count, 1))
            var next = outcomes.makeIterator()
            for index in batch {
                let plan = plans[index]
                if let refusal = refusals.removeValue(forKey: index) {
                    record(index, OperationRecord(plan: plan, result: OperationResult(id: plan.id, success: false, message: refusal), seconds: 0))
                    continue
                }
                let hasStatement = plan.statementCount == 1
                let result = self.result(of: plan) { _, _ in
                    next.next() ?? .failed("the executor gave no result for this statement")
                }
                record(index, OperationRecord(plan: plan, result: result, seconds: hasStatement ? seconds : 0))
            }
            done += batch.count
            batch.removeAll(keepingCapacity: true)
            statements.removeAll(keepingCapacity: true)
            objects.removeAll(keepingCapacity: true)
            onBatchEnd?()
            progress?(done, operationCount)
        }

        var stopped: String?
        running: while let chunk = pending {
            // The previous chunk is all recorded: its last batch was flushed at its end.
            plans.advance(to: chunk.wait())
            pending = planAhead(from: plans.end)
            for index in plans.indices {
                if let reason = stopRequested() {
                    stopped = reason
                    break running
                }
                let plan = plans[index]
                guard plan.statementCount > 0 else {
                    batch.append(index)
                    continue
                }
                let sessions: [SQLExecutor]
                switch route(pipeline.operations[index], router, expected: settings) {
                case .failure(let refusal):
                    refusals[index] = refusal.message
                    batch.append(index)
                    continue
                case .success(let s):
                    sessions = s
                }
                let session = sessions[0]
                if batchSession !== session, !statements.isEmpty || batchStatementCount > 0 { flush() }
                batchSessions = sessions
                if parallel > 1 {
                    // Every operation joins the batch, whatever its number of statements: the
                    // batch runs them at once, each operation's statements in order.
                    batch.append(index)
                    batchStatementCount += plan.statementCount
                    if batchStatementCount >= max(sizer.target, leastBatch) { flush() }
                    continue
                }
                if plan.statementCount == 1 {
                    batch.append(index)
                    statements.append(plan.onlyStep!.sql)
                    objects.append(plan.entity)
                    if statements.count >= max(sizer.target, leastBatch) { flush() }
                } else {
                    // Several statements: on its own, so a failure stops the rest of this operation.
                    flush()
                    let t0 = Date()
                    let result = self.result(of: plan) { _, step in session.execute(step.sql) }
                    record(index, OperationRecord(plan: plan, result: result, seconds: Date().timeIntervalSince(t0)))
                    done += 1
                    onBatchEnd?()
                    progress?(done, operationCount)
                }
            }
            // A batch is what is left of a chunk after its multi-statement operations.
            flush()
        }
        if let stopped {
            // Statements not yet sent are not sent; planning still under way is waited for (the
            // planner serves the next pipeline). Operations with nothing to execute keep their
            // planned result: a stop changes nothing for them.
            _ = pending?.wait()
            for index in batch {
                let plan = plans[index]
                if let refusal = refusals[index] {
                    record(index, OperationRecord(plan: plan, result: OperationResult(id: plan.id, success: false, message: refusal), seconds: 0))
                } else if plan.statementCount == 0 {
                    record(index, OperationRecord(plan: plan, result: result(of: plan) { _, _ in nil }, seconds: 0))
                }
            }
            for index in 0..<operationCount where records[index] == nil {
                record(index, OperationRecord(notRun: pipeline.operations[index], reason: Runner.notRunMessage(stopped)))
            }
            onBatchEnd?()
        }
        let all = records.map { $0! }
        return Outcome(response: response(pipeline, all, failures: router.connectionFailures, stopped: stopped),
                       operations: all, started: started, finished: Date(), stopped: stopped, session: settings.values)
    }

    /// The session for an operation's database, or why it gets none.
    private func route(_ op: PipelineOperation, _ router: SessionRouter, expected: SessionSettings?) -> Result<[SQLExecutor], SessionRouter.Refusal> {
        // The plan has statements, so its entity link parsed when it was planned.
        guard let names = try? EntityNames(EntityLink.parse(op.entityLink)) else { return router.sessions(for: nil) }
        let namespace = planner.connector.namespace
        let database = namespace.sessionDatabase(names)
        let group = router.sessions(for: database)
        // The statements were compiled with the first session's options: a session whose settings
        // read back differently (another database's defaults the executor could not pin) must not
        // run them.
        if case .success(let sessions) = group, let expected, sessions[0].session.options != expected.options {
            return .failure(SessionRouter.Refusal(message: "not applied: the session to database `\(database ?? "?")` has the settings \(sessions[0].session.summary), but the statements were compiled for \(expected.summary); nothing of it was executed. Sync this database on its own", connectionFailed: false))
        }
        return group
    }

    /// Opens the session of the first database the pipeline's operations name (trying the next
    /// database while one cannot be reached) and answers its settings: the planner compiles with
    /// them. Default settings when none opens: then no statement runs anyway.
    private func openFirstSession(_ pipeline: ReverseIngestionPipeline, _ router: SessionRouter) -> SessionSettings {
        var tried = Set<String?>()
        for op in pipeline.operations {
            let database = (try? EntityNames(EntityLink.parse(op.entityLink))).flatMap { planner.connector.namespace.sessionDatabase($0) }
            guard tried.insert(database).inserted else { continue }
            if case .success(let sessions) = router.sessions(for: database) { return sessions[0].session }
        }
        return SessionSettings()
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

/// The plans of one chunk, addressed by the operation's index in the pipeline.
private struct PlanWindow {
    private var start = 0
    private var plans: [OperationPlan] = []

    var end: Int { start + plans.count }
    var indices: Range<Int> { start..<end }
    subscript(index: Int) -> OperationPlan { plans[index - start] }

    /// The next chunk's plans, which follow this one's.
    mutating func advance(to next: [OperationPlan]) {
        start = end
        plans = next
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
    /// True when the operation was not run at all (the run was stopped before it, or another run
    /// was applying the same pipeline); absent otherwise.
    public var notRun: Bool?

    init(plan: OperationPlan, result: OperationResult, seconds: Double) {
        id = plan.id
        entity = plan.entity
        type = plan.type.rawValue
        success = result.success
        message = result.message
        statements = plan.statementCount
        self.seconds = seconds
    }

    /// A record of something other than a pipeline operation (a catalog patch of
    /// `sync --to-openmetadata`: `statements` counts its JSON Patch operations).
    public init(id: String, entity: String, type: String, success: Bool, message: String?, statements: Int, seconds: Double) {
        self.id = id
        self.entity = entity
        self.type = type
        self.success = success
        self.message = message
        self.statements = statements
        self.seconds = seconds
    }

    /// An operation that was not run, and why (a message beginning "not run:").
    init(notRun op: PipelineOperation, reason: String) {
        id = op.id
        entity = op.entityLink
        type = op.type.rawValue
        success = false
        message = reason
        statements = 0
        seconds = 0
        notRun = true
    }

    /// The operation's result in the response.
    public var result: OperationResult { OperationResult(id: id, success: success, message: message) }
}
