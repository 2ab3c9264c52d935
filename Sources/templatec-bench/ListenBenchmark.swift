import Foundation
import ReverseSync
import TemplateCompiler
#if canImport(Glibc)
import Glibc
#endif

/// `templatec listen` on the local PostgreSQL, in process (the receiver, inbox and applier of the
/// command, on a port the system chose), fed over loopback by keep-alive HTTP clients:
///
/// - latency: events sent one at a time, each after the previous one is applied; the figure is the
///   median time from the event being durable (its 200 answer) to its outcome recorded after the
///   database applied it, as the receiver's own histogram measures it (goal ≤ 50 ms);
/// - throughput: 1,000 events on one connection, one after another (as the catalog sends them),
///   and TEMPLATEC_BENCH_LISTEN_EVENTS (default 5,000) events from 8 connections at once, from
///   the first request to the last event applied (goal ≥ 500 events/s).
///
/// Every event is signed and checked, as with TEMPLATEC_WEBHOOK_SECRET set. Skips with a message
/// when PostgreSQL is not running (scripts/db/start.sh).
enum ListenBenchmark {
    static let secret = "bench-secret"

    static func run() -> [String] {
        let env = ProcessInfo.processInfo.environment
        var url = env["TEMPLATEC_PG_URL"]
        if url == nil, let text = try? String(contentsOfFile: (env["TEMPLATEC_DB_DIR"] ?? ".db") + "/env", encoding: .utf8) {
            url = text.split(separator: "\n").first { $0.hasPrefix("TEMPLATEC_PG_URL=") }.map { String($0.dropFirst("TEMPLATEC_PG_URL=".count)) }
        }
        guard let url else { return ["listen: skipped: PostgreSQL not configured (run scripts/db/start.sh)"] }
        guard SyncBenchmark.shell(["psql", url, "-X", "-q", "-c", "DROP SCHEMA IF EXISTS bench_listen CASCADE; CREATE SCHEMA bench_listen; CREATE TABLE bench_listen.t (c int)"]) == 0 else {
            return ["listen: skipped: PostgreSQL not running at \(url)"]
        }
        defer { _ = SyncBenchmark.shell(["psql", url, "-X", "-q", "-c", "DROP SCHEMA IF EXISTS bench_listen CASCADE"]) }
        let spec: ConnectionSpec
        do { spec = try ConnectionURL.parse(url) } catch { return ["listen: skipped: \(error)"] }
        let database = spec.database ?? "postgres"
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("bench-listen-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: state) }

        var options = Listener.Options(connector: Connectors.connector(.postgres), stateDirectory: state,
                                       openSession: { try makeExecutor(spec, environment: env) })
        options.service = "pg"
        options.secret = secret
        let listener: Listener
        do {
            listener = try Listener(options)
            try listener.start()
        } catch { return ["listen: could not start: \(error)"] }
        defer { listener.stop() }
        let fqn = "pg.\(database).bench_listen.t"

        // Latency, one event at a time.
        let client = KeepAliveClient(port: listener.port)
        let sequential = 200
        for i in 0..<sequential {
            guard client.post(event(fqn, "latency \(i)")) == 200 else { return ["listen: an event was not answered 200"] }
            let target = i + 1
            let deadline = Date().addingTimeInterval(10)
            while listener.metrics.snapshot.applied < target, Date() < deadline { usleep(200) }
        }
        let latencies = listener.metrics.snapshot.latencies
        let p50 = median(latencies) * 1000
        let p95 = (latencies.sorted().dropFirst(Int(Double(latencies.count) * 0.95)).first ?? 0) * 1000

        // Throughput on one connection, as the catalog sends (each request waits for its fsync).
        let single = 1_000
        let singleBodies = (0..<single).map { event(fqn, "one connection \($0)") }
        let singleBefore = listener.metrics.snapshot.applied
        let singleStarted = Date()
        for body in singleBodies where client.post(body) != 200 { return ["listen: an event was not answered 200"] }
        let singleDeadline = Date().addingTimeInterval(60)
        while listener.metrics.snapshot.applied < singleBefore + single, Date() < singleDeadline { usleep(1000) }
        let singleRate = Double(single) / Date().timeIntervalSince(singleStarted)

        // Throughput, 8 connections at once.
        let count = max(Int(env["TEMPLATEC_BENCH_LISTEN_EVENTS"] ?? "") ?? 5_000, 8)
        let connections = 8
        let before = listener.metrics.snapshot.applied
        let bodies = (0..<count).map { event(fqn, "load \($0)") }
        let started = Date()
        let group = DispatchGroup()
        let refused = Counter()
        for c in 0..<connections {
            group.enter()
            DispatchQueue.global().async {
                let client = KeepAliveClient(port: listener.port)
                for i in stride(from: c, to: count, by: connections) where client.post(bodies[i]) != 200 { refused.add() }
                group.leave()
            }
        }
        group.wait()
        let answered = Date().timeIntervalSince(started)
        let deadline = Date().addingTimeInterval(120)
        while listener.metrics.snapshot.applied + listener.metrics.snapshot.failed < before + count, Date() < deadline { usleep(1000) }
        let elapsed = Date().timeIntervalSince(started)
        let snapshot = listener.metrics.snapshot
        var lines = [
            "listen: latency from the 200 answer to applied on PostgreSQL, \(sequential) events one at a time: median \(String(format: "%.1f", p50)) ms, p95 \(String(format: "%.1f", p95)) ms (goal ≤ 50 ms: \(p50 <= 50 ? "met" : "MISSED"))",
            "listen: \(single) signed events on one keep-alive connection, one after another: \(Int(singleRate)) events/s until all applied (each 200 waits for its fsync)",
            "listen: \(count) signed events from \(connections) keep-alive connections: answered in \(String(format: "%.2f", answered)) s (\(Int(Double(count) / answered)) events/s received), all applied in \(String(format: "%.2f", elapsed)) s: \(Int(Double(count) / elapsed)) events/s sustained (goal ≥ 500: \(Double(count) / elapsed >= 500 ? "met" : "MISSED"))",
        ]
        if refused.value > 0 || snapshot.failed > 0 { lines.append("listen: note: \(refused.value) not answered 200, \(snapshot.failed) failed") }
        return lines
    }

    static func event(_ fqn: String, _ description: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONDocument.object([
            "id": .string(UUID().uuidString.lowercased()), "eventType": .string("entityUpdated"), "entityType": .string("table"),
            "entityId": .string("0b7a1c1e-4f5e-4c3b-9a47-3f2a1c1e4f5e"), "entityFullyQualifiedName": .string(fqn),
            "timestamp": .number(Date().timeIntervalSince1970 * 1000), "userName": .string("admin"),
            "incrementalChangeDescription": .object(["fieldsUpdated": .array([.object([
                "name": .string("description"), "oldValue": .string(""), "newValue": .string(description)])])]),
        ]).write(into: &out)
        return out
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.withLock { n += 1 } }
        var value: Int { lock.withLock { n } }
    }

    /// One keep-alive HTTP/1.1 connection on loopback, POSTing signed events to /events.
    final class KeepAliveClient {
        let port: Int
        private var fd: Int32 = -1

        init(port: Int) { self.port = port }
        deinit { if fd >= 0 { close(fd) } }

        private func connectIfNeeded() -> Bool {
            if fd >= 0 { return true }
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            if ok != 0 { close(fd); fd = -1 }
            return fd >= 0
        }

        /// The status of the answer, 0 when the connection failed.
        func post(_ body: [UInt8]) -> Int {
            guard connectIfNeeded() else { return 0 }
            let head = "POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-OM-Signature: \(WebhookSignature.header(secret: ListenBenchmark.secret, body: body))\r\nContent-Length: \(body.count)\r\n\r\n"
            let request = Array(head.utf8) + body
            var sent = 0
            while sent < request.count {
                let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { close(fd); fd = -1; return 0 }
                sent += n
            }
            var answer: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &chunk, chunk.count, 0)
                if n <= 0 { close(fd); fd = -1; return 0 }
                answer += chunk[0..<n]
                let text = String(decoding: answer, as: UTF8.self)
                guard let end = text.range(of: "\r\n\r\n") else { continue }
                let headText = text[..<end.lowerBound]
                let length = headText.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if text[end.upperBound...].utf8.count >= length {
                    return Int(headText.split(separator: " ").dropFirst().first ?? "") ?? 0
                }
            }
        }
    }
}
