import Foundation
import TemplateCompiler

/// Applies the inbox's events in arrival order through the Planner and Runner that `sync` uses, on
/// one session kept open between events. Each batch (at most `batchLimit` events, as many as are
/// waiting) is one pipeline: its operations run in order, so two events of one entity apply in the
/// order they arrived.
///
/// A transient failure (connection lost or refused, lock timeout) stops the batch at the first
/// event it hit: the events before it are recorded, it and those after it are tried again after a
/// pause that doubles up to `maxBackoff` (applying is idempotent, so a retried event that had
/// succeeded changes nothing). Connection failures are retried until the database is back; a lock
/// timeout at most `lockAttempts` times, then it is recorded as failed. A permanent failure is
/// recorded with the database's message and not retried.
public final class EventApplier: @unchecked Sendable {
    public var batchLimit = 64
    public var lockAttempts = 8
    public var firstBackoff = 0.1
    public var maxBackoff = 5.0
    /// Progress and retry messages (standard error).
    public var log: (String) -> Void = { _ in }

    let inbox: Inbox
    let mapper: ChangeEventMapper
    let planner: Planner
    let store: RunStore
    /// The state directory's sync ledger: what an applied event writes is recorded there, and an
    /// event that only carries back what `sync --to-openmetadata` sent is skipped.
    let ledger: SyncLedger
    let metrics: ListenMetrics
    private let openSession: () throws -> SQLExecutor
    private var session: KeptSession?
    private let stopLock = NSCondition()
    private var stopRequested = false
    private var lockFailures: [UInt64: Int] = [:]
    /// A pipeline with the receiver's service and no operations: each batch fills in its own.
    private let emptyPipeline: ReverseIngestionPipeline

    public init(inbox: Inbox, mapper: ChangeEventMapper, planner: Planner, store: RunStore, metrics: ListenMetrics,
                openSession: @escaping () throws -> SQLExecutor) throws {
        self.inbox = inbox
        self.mapper = mapper
        self.planner = planner
        self.store = store
        ledger = SyncLedger(stateDirectory: store.directory.deletingLastPathComponent().path)
        self.metrics = metrics
        self.openSession = openSession
        var service: [String: JSONDocument] = ["id": .string(mapper.service ?? "listen"), "type": .string("databaseService")]
        if let name = mapper.service { service["name"] = .string(name) }
        let text = JSONDocument.object(["type": .string("ReverseIngestion"), "service": .object(service), "operations": .array([])]).text
        emptyPipeline = try PipelineReader.read(Data(text.utf8))
    }

    public func requestStop() {
        stopLock.lock()
        stopRequested = true
        stopLock.broadcast()
        stopLock.unlock()
        inbox.wake()
    }

    private var stopping: Bool { stopLock.lock(); defer { stopLock.unlock() }; return stopRequested }

    /// Waits up to `seconds`, or less when a stop is requested; true when stopping.
    private func pause(_ seconds: Double) -> Bool {
        stopLock.lock(); defer { stopLock.unlock() }
        if !stopRequested { _ = stopLock.wait(until: Date().addingTimeInterval(seconds)) }
        return stopRequested
    }

    /// Applies events until a stop is requested; the batch in flight is finished first (its
    /// statements run to their end), events not yet started stay in the inbox for the next start.
    public func run() {
        defer { session?.inner.close() }
        while !stopping {
            let entries = inbox.next(limit: batchLimit, timeout: 0.5)
            if entries.isEmpty || stopping { continue }
            do { try ledger.refresh() } catch { log("templatec listen: \(error.description); events are applied without the loop check\n") }
            apply(entries.map(prepare))
        }
    }

    // MARK: one batch

    struct Prepared {
        var entry: InboxEntry
        var event: ChangeEvent?
        var operations: [PipelineOperation] = []
        var skipped: [String] = []
        var failure: String?
        var service: String?
    }

    func prepare(_ entry: InboxEntry) -> Prepared {
        var p = Prepared(entry: entry)
        let event: ChangeEvent
        do { event = try ChangeEvent.parse(entry.body) } catch {
            p.failure = error.message
            return p
        }
        p.event = event
        let mapping = mapper.map(event)
        p.service = mapping.service
        p.skipped = mapping.skipped
        if !mapping.problems.isEmpty {
            p.failure = mapping.problems.joined(separator: "; ")
            return p
        }
        guard !mapping.changes.isEmpty else { return p }
        do {
            p.operations = try EventOperations.operations(mapping.changes, eventID: event.id, service: emptyPipeline.service)
        } catch {
            p.failure = "the event's values are not what the pipeline schema allows: \(error.description)"
        }
        p.operations = p.operations.filter { op in
            guard let echo = echo(op) else { return true }
            p.skipped.append(echo)
            return false
        }
        return p
    }

    /// Why `op` is not applied, when it writes back the value `sync --to-openmetadata` carried from
    /// the database to the catalog (loop case 2): that patch comes back as this change event.
    ///
    /// No database read is needed here: the ledger's entry says the database held this value when
    /// it was patched into the catalog. If the database still holds it, writing it changes nothing;
    /// if the database has changed since, writing it would undo that newer change, which the next
    /// `--to-openmetadata` run carries to the catalog. Either way the event must not be applied.
    /// A later catalog edit to another value is not an echo (the value differs) and is applied.
    func echo(_ op: PipelineOperation) -> String? {
        guard let u = SyncLedger.update(for: op), ledger.isDatabaseEcho(u.entity, u.field, value: u.value) else { return nil }
        return "\(u.field.rawValue) of `\(u.entity)`: the value sync --to-openmetadata carried from the database to the catalog, not written back"
    }

    private func apply(_ prepared: [Prepared]) {
        var batch = prepared[...]
        var backoff = firstBackoff
        while !batch.isEmpty {
            let started = Date()
            var pipeline = emptyPipeline
            pipeline.operations = batch.flatMap(\.operations)
            var results: [OperationResult] = []
            var records: [OperationRecord] = []
            var unreachable: String? = nil
            if !pipeline.operations.isEmpty {
                let runner = Runner(planner: planner, mode: .execute(openSession: { [self] in try keptSession() }))
                runner.ledger = ledger
                runner.ledgerRun = "listen event #\(batch.first!.entry.sequence)"
                let outcome = runner.run(pipeline)
                if let problem = outcome.ledgerProblem { log("templatec listen: \(problem)\n") }
                results = outcome.response.results
                records = outcome.operations
                if outcome.response.success == false { unreachable = outcome.response.message ?? "the database is not reachable" }
            }
            // Per event: its results, and whether to try it again.
            var offset = 0
            var done: [(Prepared, [OperationResult], [OperationRecord])] = []
            var retryFrom: Int? = nil
            var retryReason = ""
            for (i, p) in zip(batch.indices, batch) {
                let mine = Array(results[offset..<offset + p.operations.count])
                let myRecords = Array(records[offset..<offset + p.operations.count])
                offset += p.operations.count
                if !p.operations.isEmpty {
                    if let unreachable {
                        retryFrom = i
                        retryReason = unreachable
                        break
                    }
                    if let failed = mine.first(where: { !$0.success && TransientFailure.kind(of: $0.message) != nil }) {
                        let kind = TransientFailure.kind(of: failed.message)!
                        let attempts = (lockFailures[p.entry.sequence] ?? 0) + 1
                        if kind == .connection || attempts < lockAttempts {
                            if kind == .lock { lockFailures[p.entry.sequence] = attempts }
                            retryFrom = i
                            retryReason = failed.message ?? ""
                            break
                        }
                    }
                }
                lockFailures[p.entry.sequence] = nil
                done.append((p, mine, myRecords))
            }
            record(done, started: started)
            guard let from = retryFrom else { return }
            if TransientFailure.kind(of: retryReason) == .connection || unreachable != nil {
                session?.inner.close()
                session = nil
            }
            metrics.retried()
            log("templatec listen: \(batch.count - (from - batch.startIndex)) event(s) not applied yet, trying again in \(Self.seconds(backoff)) s: \(retryReason)\n")
            if pause(backoff) { return }
            backoff = min(backoff * 2, maxBackoff)
            batch = batch[from...]
        }
    }

    private func keptSession() throws -> SQLExecutor {
        if let session { return session }
        let opened = KeptSession(try openSession())
        session = opened
        return opened
    }

    /// Writes the outcomes of finished events (a run record) and takes them out of the inbox.
    private func record(_ done: [(Prepared, [OperationResult], [OperationRecord])], started: Date) {
        guard let last = done.last else { return }
        let finished = Date()
        var runs: [RunRecord.PipelineRun] = []
        for (p, results, records) in done {
            let success = p.failure == nil && results.allSatisfy(\.success)
            var notes: [String] = []
            if let failure = p.failure { notes.append(failure) }
            if !p.skipped.isEmpty { notes.append((p.operations.isEmpty && p.failure == nil ? "skipped: " : "also skipped: ") + p.skipped.joined(separator: "; ")) }
            let event = p.event
            let name = "event \(event?.id ?? "?") #\(p.entry.sequence): \(event?.eventType ?? "unreadable") \(event?.entityType ?? "") \(event?.entityFullyQualifiedName ?? "")"
            runs.append(RunRecord.PipelineRun(file: name, serviceId: nil, serviceName: p.service, success: success,
                                              message: notes.isEmpty ? nil : notes.joined(separator: " | "),
                                              start: started, end: finished, operations: records))
            let outcome: ListenMetrics.Outcome = !success ? .failed : (p.operations.isEmpty ? .skipped : .applied)
            metrics.finished(outcome, latency: finished.timeIntervalSince(p.entry.recorded))
        }
        let record = RunRecord(id: RunStore.newID(started) + "-" + Self.padded(done[0].0.entry.sequence),
                               connector: planner.connector.id.rawValue, dryRun: false, start: started, end: finished, pipelines: runs)
        do { try store.save(record) } catch {
            log("templatec listen: could not write the run record \(record.id): \(error.localizedDescription)\n")
        }
        do { try inbox.markApplied(through: last.0.entry.sequence) } catch {
            log("templatec listen: \(error)\n")
        }
    }

    static func padded(_ n: UInt64) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 12 - s.count)) + s
    }

    static func seconds(_ v: Double) -> String { String(format: "%.1f", v) }
}

/// The applier's one session, lent to each batch's Runner: the Runner's `close` at the end of a
/// pipeline must not end it (reconnecting for every event would cost more than applying it).
/// Everything else an executor tells the Runner must be the inner executor's own: when the
/// protocol gains a member with a default implementation (the session's settings, which the
/// planner compiles with), it has to be forwarded here too, or the default would win silently.
final class KeptSession: SQLExecutor {
    let inner: SQLExecutor
    init(_ inner: SQLExecutor) { self.inner = inner }
    func execute(_ sql: String) -> ExecutionOutcome { inner.execute(sql) }
    func executeAll(_ statements: [String]) -> [ExecutionOutcome] { inner.executeAll(statements) }
    /// The inner session's settings: the planner compiles every template with their options.
    var session: SessionSettings { inner.session }
    func close() {}
}
