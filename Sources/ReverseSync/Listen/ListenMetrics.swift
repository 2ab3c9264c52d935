import Foundation

/// The receiver's counters and the apply latency histogram, in Prometheus' text format
/// (`GET /metrics`). Thread-safe.
public final class ListenMetrics: @unchecked Sendable {
    /// Upper bounds (seconds) of the latency buckets: from the 200 answer to the outcome recorded.
    public static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private let lock = NSLock()
    private var received = 0, applied = 0, skipped = 0, failed = 0, retries = 0
    private var rejected: [Int: Int] = [:]
    private var buckets = [Int](repeating: 0, count: ListenMetrics.bounds.count)
    private var latencyCount = 0
    private var latencySum = 0.0
    /// All latencies seen, for the benchmark's median (bounded: the last 100 000).
    private var recent: [Double] = []

    public init() {}

    public enum Outcome { case applied, skipped, failed }

    public func received(_ n: Int = 1) { lock.withLock { received += n } }
    public func rejected(status: Int) { lock.withLock { rejected[status, default: 0] += 1 } }
    public func retried() { lock.withLock { retries += 1 } }

    public func finished(_ outcome: Outcome, latency: Double) {
        lock.withLock {
            switch outcome {
            case .applied: applied += 1
            case .skipped: skipped += 1
            case .failed: failed += 1
            }
            latencyCount += 1
            latencySum += latency
            if let i = ListenMetrics.bounds.firstIndex(where: { latency <= $0 }) { buckets[i] += 1 }
            if recent.count >= 100_000 { recent.removeFirst(50_000) }
            recent.append(latency)
        }
    }

    public struct Snapshot: Sendable {
        public var received, applied, skipped, failed, retries: Int
        public var latencies: [Double]
    }

    public var snapshot: Snapshot {
        lock.withLock { Snapshot(received: received, applied: applied, skipped: skipped, failed: failed, retries: retries, latencies: recent) }
    }

    public func text(pending: Int) -> String {
        lock.lock(); defer { lock.unlock() }
        var s = ""
        func counter(_ name: String, _ help: String, _ value: Int) {
            s += "# HELP \(name) \(help)\n# TYPE \(name) counter\n\(name) \(value)\n"
        }
        counter("templatec_listen_events_received_total", "Events answered 200: recorded durably in the inbox.", received)
        counter("templatec_listen_events_applied_total", "Events whose operations all succeeded.", applied)
        counter("templatec_listen_events_skipped_total", "Events with nothing to apply (another service, an event type or field that is not synced).", skipped)
        counter("templatec_listen_events_failed_total", "Events with an operation that failed permanently.", failed)
        counter("templatec_listen_apply_retries_total", "Retries after a transient failure (connection lost, lock timeout).", retries)
        s += "# HELP templatec_listen_requests_rejected_total Requests answered with an error status, by status.\n# TYPE templatec_listen_requests_rejected_total counter\n"
        for status in rejected.keys.sorted() { s += "templatec_listen_requests_rejected_total{status=\"\(status)\"} \(rejected[status]!)\n" }
        s += "# HELP templatec_listen_inbox_pending Events recorded and not yet applied.\n# TYPE templatec_listen_inbox_pending gauge\ntemplatec_listen_inbox_pending \(pending)\n"
        let name = "templatec_listen_apply_latency_seconds"
        s += "# HELP \(name) Time from the 200 answer to the event's outcome recorded.\n# TYPE \(name) histogram\n"
        var cumulative = 0
        for (i, bound) in ListenMetrics.bounds.enumerated() {
            cumulative += buckets[i]
            s += "\(name)_bucket{le=\"\(Self.format(bound))\"} \(cumulative)\n"
        }
        s += "\(name)_bucket{le=\"+Inf\"} \(latencyCount)\n\(name)_sum \(Self.format(latencySum))\n\(name)_count \(latencyCount)\n"
        return s
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return String(v)
    }
}
