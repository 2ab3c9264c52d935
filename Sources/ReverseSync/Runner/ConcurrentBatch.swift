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
/// At most one statement per session is in flight, so a service that slows down gets no more
/// requests than there are sessions. The answers are in input order.
struct ConcurrentBatch {
    /// One unit of work: an operation's plan and the entity that orders it.
    struct Item {
        var plan: OperationPlan
        var entity: String
    }

    /// Runs `items` on `sessions`; `run` applies one operation on one session and answers its result.
    /// Answers each operation's result and its own duration, in the order of `items`.
    static func run(_ items: [Item], on sessions: [SQLExecutor],
                    _ run: @escaping (OperationPlan, SQLExecutor) -> OperationResult) -> [(result: OperationResult, seconds: Double)] {
        var chainIndex: [String: Int] = [:]
        var chains: [[Int]] = []
        for (i, item) in items.enumerated() {
            if let c = chainIndex[item.entity] { chains[c].append(i) } else {
                chainIndex[item.entity] = chains.count
                chains.append([i])
            }
        }
        let work = Work(items: items, chains: chains, sessions: sessions, run: run)
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
        let run: (OperationPlan, SQLExecutor) -> OperationResult
        private let lock = NSLock()
        private var next = 0
        private var results: [(result: OperationResult, seconds: Double)?]

        init(items: [Item], chains: [[Int]], sessions: [SQLExecutor], run: @escaping (OperationPlan, SQLExecutor) -> OperationResult) {
            self.items = items
            self.chains = chains
            self.sessions = sessions
            self.run = run
            results = Array(repeating: nil, count: items.count)
        }

        func runChains(on worker: Int) {
            let session = sessions[worker]
            while let c = nextChain() {
                for i in chains[c] {
                    let start = DispatchTime.now()
                    let result = run(items[i].plan, session)
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                    lock.lock()
                    results[i] = (result, seconds)
                    lock.unlock()
                }
            }
        }

        private func nextChain() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard next < chains.count else { return nil }
            next += 1
            return next - 1
        }

        func answers() -> [(result: OperationResult, seconds: Double)] {
            lock.lock(); defer { lock.unlock() }
            return results.map { $0! }
        }
    }
}
