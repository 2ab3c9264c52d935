import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `templatec-bench remote`: `templatec sync --connector trino` against a local stand-in that
/// takes a fixed time per statement (100 ms, as a cloud warehouse takes 100–500 ms per COMMENT),
/// with `--parallel` 1, 4 and 16. Prints each run's rate next to the sequential floor (1/delay),
/// the most statements the stand-in saw at once, the connections it accepted, and the peak memory
/// of the templatec process. Goal (issue 10): 2,000 operations at `--parallel 16` at least 10× the
/// sequential rate (≥ 100 operations/s), under 100 MB.
enum RemoteSyncBenchmark {
    static let delay = 0.1

    static func run() -> [String] {
        guard let binary = templatecBinary() else { return ["remote: no templatec binary"] }
        guard let slow = DelayedTrino(delay: delay), let fast = DelayedTrino(delay: 0.001) else { return ["remote: cannot listen on 127.0.0.1"] }
        var lines = ["remote sync against a stand-in taking \(Int(delay * 1000)) ms per statement (sequential floor \(String(format: "%.0f", 1 / delay)) ops/s), and memory for 100,000 operations at 1 ms:"]
        for (parallel, count, server) in [(1, 30, slow), (4, 400, slow), (16, 2000, slow), (16, 100_000, fast)] {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-remote-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: file) }
            let ops = (0..<count).map { i in
                #"{"id": "00000000-0000-4000-8000-\#(String(format: "%012d", i))", "entityLink": "<#E::table::tr.hive.s.t\#(i % 500)::columns::c\#(i / 500)>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "column \#(i)"}}"#
            }
            let pipeline = #"{"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-0000000000ff", "type": "databaseService", "name": "tr"}, "operations": [\#(ops.joined(separator: ","))]}"#
            try? pipeline.write(to: file, atomically: true, encoding: .utf8)
            server.reset()
            let (seconds, status, peakKB) = runMeasured(binary, ["sync", file.path, "--connector", "trino", "--connection", "trino://127.0.0.1:\(server.port)/hive?timeout=30",
                                                                 "--parallel", String(parallel)])
            let rate = Double(count) / max(seconds, 1e-9)
            lines.append(String(format: "  --parallel %2d, %3.0f ms: %6d operations in %6.2f s = %7.1f ops/s (%5.1f× the floor), at most %2d at once, %2d connections, peak %5.1f MB%@",
                                parallel, server.delay * 1000, count, seconds, rate, rate * server.delay, server.mostInFlight, server.connections, Double(peakKB) / 1024,
                                status == 0 ? "" : " (exit \(status))"))
        }
        lines.append("  goal: 2,000 operations at --parallel 16 at least 10× the floor (100 ops/s), peak under 100 MB; memory bounded for 100,000")
        return lines
    }
}

/// Trino's statement API reduced to one answer: each `POST /v1/statement` waits `delay`, then
/// answers a finished query. Keeps connections alive; counts statements in flight and connections.
final class DelayedTrino: @unchecked Sendable {
    let delay: Double
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var inFlight = 0
    private var most = 0
    private var accepted = 0

    init?(delay: Double) {
        self.delay = delay
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 128) == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let server = self
        Thread.detachNewThread {
            while true {
                let fd = accept(server.listener, nil, nil)
                if fd < 0 { continue }
                Thread.detachNewThread { server.serve(fd) }
            }
        }
    }

    var mostInFlight: Int { lock.lock(); defer { lock.unlock() }; return most }
    var connections: Int { lock.lock(); defer { lock.unlock() }; return accepted }

    func reset() {
        lock.lock(); most = 0; accepted = 0; lock.unlock()
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        lock.lock(); accepted += 1; lock.unlock()
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let answer = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 39\r\n\r\n{\"id\":\"q\",\"stats\":{\"state\":\"FINISHED\"}}".utf8)
        while true {
            // One request: the head, then Content-Length bytes of body.
            var end: Int?
            var need = 0
            while end == nil || buffer.count < end! + 4 + need {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
                if end == nil, let e = (0..<max(0, buffer.count - 3)).first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10 }) {
                    end = e
                    let head = String(decoding: buffer[..<e], as: UTF8.self).lowercased()
                    if let line = head.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                        need = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
            buffer.removeFirst(end! + 4 + need)
            lock.lock(); inFlight += 1; most = max(most, inFlight); lock.unlock()
            Thread.sleep(forTimeInterval: delay)
            lock.lock(); inFlight -= 1; lock.unlock()
            var offset = 0
            while offset < answer.count {
                let n = answer.withUnsafeBytes { send(fd, $0.baseAddress! + offset, answer.count - offset, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
