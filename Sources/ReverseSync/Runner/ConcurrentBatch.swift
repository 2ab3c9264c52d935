import Foundation

/// Runs a batch of operations on several sessions at once (`--parallel N`), for services that run
/// statements concurrently and answer each after a round trip (Databricks, Snowflake, Trino,
/// ClickHouse over HTTP), where one statement at a time spends nearly all its time waiting.
///
/// Order is kept where it matters:
/// - an operation's statements run in order, on one session, and its first failure stops the rest
///   (the runner's `result(of:)` does that, as in a serial run);
/// - the operations on one entity form a chain that one session runs in input order, so an
///   operation never overtakes an earlier one on the same object;
/// - chains go to whichever session is free, in the order of their first operation.
///
/// At most one request per session is in flight, so a service that slows down gets no more
/// requests than there are sessions. The answers are in input order.
///
/// A session that runs statements together (`SQLExecutor.runsStatementsTogether`, Snowflake) takes
/// up to `together` chains at once and runs them in rounds: the first operation of each, then the
/// second of each, and so on; a round's single-statement operations go in one request (they are of
/// different objects, each chain being one object's), its other operations one by one. A chain's
/// operations still run in order, one round after another.
struct ConcurrentBatch {
    /// One unit of work: an operation's plan and the entity that orders it.
    struct Item {
        var plan: OperationPlan
        var entity: String
    }

    /// Runs `items` on `sessions`; `run` applies one operation on one session and answers its result.
    /// Answers each operation's result and its own duration, in the order of `items`.
    /// `runTogether` applies operations of one statement each, of different objects, in one request.
    static func run(_ items: [Item], on sessions: [SQLExecutor], together: Int = 1,
                    _ run: @escaping (OperationPlan, SQLExecutor) -> OperationResult,
                    runTogether: @escaping ([OperationPlan], SQLExecutor) -> [OperationResult] = { _, _ in [] }) -> [(result: OperationResult, seconds: Double)] {
        var chainIndex: [String: Int] = [:]
        var chains: [[Int]] = []
        for (i, item) in items.enumerated() {
            if let c = chainIndex[item.entity] { chains[c].append(i) } else {
                chainIndex[item.entity] = chains.count
                chains.append([i])
            }
        }
        let work = Work(items: items, chains: chains, sessions: sessions, together: together, run: run, runTogether: runTogether)
        // A thread per session, this one among them. Not concurrentPerform: it runs as many at once
        // as there are cores, and these workers spend their time waiting for the network.
        let workers = min(sessions.count, chains.count)
        let group = DispatchGroup()
        for worker in 1..<max(workers, 1) {
            group.enter()
            Thread.detachNewThread {
                work.runChains(on: worker)
                group.leave()
            }
        }
        if workers > 0 { work.runChains(on: 0) }
        group.wait()
        return work.answers()
    }

    /// What the workers share. Items, chains, sessions and the closure are only read (each session
    /// by one worker); the next chain and the results are under the lock.
    private final class Work: @unchecked Sendable {
        let items: [Item]
        let chains: [[Int]]
        let sessions: [SQLExecutor]
        let together: Int
        let run: (OperationPlan, SQLExecutor) -> OperationResult
        let runTogether: ([OperationPlan], SQLExecutor) -> [OperationResult]
        private let lock = NSLock()
        private var next = 0
        private var results: [(result: OperationResult, seconds: Double)?]

        init(items: [Item], chains: [[Int]], sessions: [SQLExecutor], together: Int,
             run: @escaping (OperationPlan, SQLExecutor) -> OperationResult,
             runTogether: @escaping ([OperationPlan], SQLExecutor) -> [OperationResult]) {
            self.items = items
            self.chains = chains
            self.sessions = sessions
            self.together = together
            self.run = run
            self.runTogether = runTogether
            results = Array(repeating: nil, count: items.count)
        }

        func runChains(on worker: Int) {
            let session = sessions[worker]
            let width = session.runsStatementsTogether ? max(together, 1) : 1
            while case let taken = nextChains(width), !taken.isEmpty {
                var position = 0
                while case let round = taken.compactMap({ position < chains[$0].count ? chains[$0][position] : nil }), !round.isEmpty {
                    position += 1
                    let single = width > 1 ? round.filter { items[$0].plan.statementCount == 1 } : []
                    if single.count > 1 {
                        let start = DispatchTime.now()
                        let answers = runTogether(single.map { items[$0].plan }, session)
                        let seconds = Work.seconds(since: start) / Double(single.count)
                        lock.lock()
                        for (i, result) in zip(single, answers) { results[i] = (result, seconds) }
                        lock.unlock()
                    }
                    for i in round where single.count <= 1 || items[i].plan.statementCount != 1 {
                        let start = DispatchTime.now()
                        let result = run(items[i].plan, session)
                        let seconds = Work.seconds(since: start)
                        lock.lock()
                        results[i] = (result, seconds)
                        lock.unlock()
                    }
                }
            }
        }

        static func seconds(since start: DispatchTime) -> Double {
            Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        }

        /// The next chains for one session: up to `width`, but no more than its share of all the
        /// chains (rounded up), so that every session gets work.
        private func nextChains(_ width: Int) -> Range<Int> {
            lock.lock(); defer { lock.unlock() }
            let share = (chains.count + sessions.count - 1) / max(sessions.count, 1)
            let count = min(chains.count - next, max(1, min(width, share)))
            next += count
            return (next - count)..<next
        }

        func answers() -> [(result: OperationResult, seconds: Double)] {
            lock.lock(); defer { lock.unlock() }
            return results.map { $0! }
        }
    }
}
