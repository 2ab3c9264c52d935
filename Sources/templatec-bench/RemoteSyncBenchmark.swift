import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `templatec-bench remote`: `templatec sync` against local stand-ins of remote services.
/// - Trino that takes a fixed time per statement (100 ms, as a cloud warehouse takes 100–500 ms per
///   COMMENT), with `--parallel` 1, 4 and 16. Prints each run's rate next to the sequential floor
///   (1/delay), the most statements the stand-in saw at once, the connections it accepted, and the
///   peak memory of the templatec process. Goal (issue 10): 2,000 operations at `--parallel 16` at
///   least 10× the sequential rate (≥ 100 operations/s), under 100 MB.
/// - HTTPS: the same Trino answering at once, behind a local TLS front (Tests/Support/tls_standin.py,
///   a throw-away CA), through curl (a process and a TLS handshake per request) and through the
///   kept-alive openssl tunnel (one handshake per session): requests per second, handshakes.
/// - Snowflake taking 100 ms per request plus 2 ms per statement, with `--snowflake-batch` 1, 4,
///   16 and 64 at `--parallel 4`: operations per second and requests sent.
enum RemoteSyncBenchmark {
    static let delay = 0.1

    static func run() -> [String] {
        guard let binary = templatecBinary() else { return ["remote: no templatec binary"] }
        guard let slow = DelayedService(delay: delay), let fast = DelayedService(delay: 0.001) else { return ["remote: cannot listen on 127.0.0.1"] }
        var lines = ["remote sync against a stand-in taking \(Int(delay * 1000)) ms per statement (sequential floor \(String(format: "%.0f", 1 / delay)) ops/s), and memory for 100,000 operations at 1 ms:"]
        for (parallel, count, server) in [(1, 30, slow), (4, 400, slow), (16, 2000, slow), (16, 100_000, fast)] {
            server.reset()
            let (seconds, status, peakKB) = sync(binary, count, connector: "trino", service: "tr", link: "tr.hive.s",
                                                 ["--connection", "trino://127.0.0.1:\(server.port)/hive?timeout=30", "--parallel", String(parallel)])
            let rate = Double(count) / max(seconds, 1e-9)
            lines.append(String(format: "  --parallel %2d, %3.0f ms: %6d operations in %6.2f s = %7.1f ops/s (%5.1f× the floor), at most %2d at once, %2d connections, peak %5.1f MB%@",
                                parallel, server.delay * 1000, count, seconds, rate, rate * server.delay, server.mostInFlight, server.connections, Double(peakKB) / 1024,
                                status == 0 ? "" : " (exit \(status))"))
        }
        lines.append("  goal: 2,000 operations at --parallel 16 at least 10× the floor (100 ops/s), peak under 100 MB; memory bounded for 100,000")
        lines += https(binary)
        lines += snowflake(binary)
        return lines
    }

    /// HTTPS requests per second, curl per request against the kept-alive tunnel.
    static func https(_ binary: URL) -> [String] {
        guard let server = DelayedService(delay: 0) else { return ["  https: cannot listen on 127.0.0.1"] }
        guard let front = TLSFront(forwardingTo: server.port) else {
            return ["  https: skipped (needs python3 and openssl for the TLS stand-in, Tests/Support/tls_standin.py)"]
        }
        defer { front.stop() }
        setenv("SSL_CERT_FILE", front.caFile, 1)
        setenv("CURL_CA_BUNDLE", front.caFile, 1)
        defer { unsetenv("SSL_CERT_FILE"); unsetenv("CURL_CA_BUNDLE"); unsetenv("TEMPLATEC_HTTPS_CLIENT") }
        var lines = ["HTTPS against a local TLS stand-in answering at once (one request per statement), curl per request vs one openssl s_client tunnel per session:"]
        for (client, parallel, count) in [("curl", 1, 300), ("openssl", 1, 300), ("curl", 4, 1000), ("openssl", 4, 1000)] {
            setenv("TEMPLATEC_HTTPS_CLIENT", client, 1)
            let before = front.handshakes()
            let (seconds, status, _) = sync(binary, count, connector: "trino", service: "tr", link: "tr.hive.s",
                                            ["--connection", "trino+https://localhost:\(front.port)/hive?timeout=30", "--parallel", String(parallel)])
            let handshakes = front.handshakes() - before
            lines.append(String(format: "  %-7@ --parallel %d: %5d requests in %6.2f s = %7.1f requests/s, %4d TLS handshakes%@",
                                client, parallel, count, seconds, Double(count) / max(seconds, 1e-9), handshakes, status == 0 ? "" : " (exit \(status))"))
        }
        return lines
    }

    /// Snowflake multi-statement requests: operations per second by statements per request.
    static func snowflake(_ binary: URL) -> [String] {
        let perStatement = 0.002
        guard let server = DelayedService(delay: delay, perStatement: perStatement) else { return ["  snowflake: cannot listen on 127.0.0.1"] }
        setenv("SNOWFLAKE_TOKEN", "bench-token", 1)
        defer { unsetenv("SNOWFLAKE_TOKEN") }
        var lines = ["Snowflake stand-in taking \(Int(delay * 1000)) ms per request + \(Int(perStatement * 1000)) ms per statement, 2,000 operations at --parallel 4:"]
        for batch in [1, 4, 16, 64] {
            server.reset()
            let (seconds, status, _) = sync(binary, 2000, connector: "snowflake", service: "sf", link: "sf.DB.SCH",
                                            ["--connection", "snowflake+http://127.0.0.1:\(server.port)/DB/SCH?timeout=60", "--parallel", "4", "--snowflake-batch", String(batch)])
            lines.append(String(format: "  --snowflake-batch %2d: %6.2f s = %7.1f ops/s, %4d requests%@",
                                batch, seconds, 2000 / max(seconds, 1e-9), server.requests, status == 0 ? "" : " (exit \(status))"))
        }
        return lines
    }

    /// `templatec sync` on `count` description operations on 500 tables of `link` (`service.db.schema`).
    static func sync(_ binary: URL, _ count: Int, connector: String, service: String, link: String, _ args: [String]) -> (Double, Int32, Int) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-remote-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let ops = (0..<count).map { i in
            #"{"id": "00000000-0000-4000-8000-\#(String(format: "%012d", i))", "entityLink": "<#E::table::\#(link).t\#(i % 500)::columns::c\#(i / 500)>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "column \#(i)"}}"#
        }
        let pipeline = #"{"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-0000000000ff", "type": "databaseService", "name": "\#(service)"}, "operations": [\#(ops.joined(separator: ","))]}"#
        try? pipeline.write(to: file, atomically: true, encoding: .utf8)
        let m = runMeasured(binary, ["sync", file.path, "--connector", connector] + args)
        return (m.seconds, m.status, m.maxRSS)
    }
}

/// Tests/Support/tls_standin.py in front of a stand-in: TLS with a throw-away CA, reporting each
/// handshake on its output.
final class TLSFront: @unchecked Sendable {
    let port: Int
    let caFile: String
    private let process: Process
    private let output: FileHandle
    private let directory: URL
    private var lines = ""
    private let lock = NSLock()

    init?(forwardingTo target: Int) {
        let python = ProcessInfo.processInfo.environment["TEMPLATEC_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-tls-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        caFile = directory.appendingPathComponent("ca.pem").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, packageRoot.appendingPathComponent("Tests/Support/tls_standin.py").path, directory.path, String(target)]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        output = pipe.fileHandleForReading
        guard (try? process.run()) != nil else { return nil }
        var port = 0
        while port == 0 {
            let data = output.availableData
            if data.isEmpty { break }
            lines += String(decoding: data, as: UTF8.self)
            if let line = lines.split(separator: "\n").first(where: { $0.hasPrefix("ready ") }) { port = Int(line.dropFirst(6)) ?? 0 }
        }
        guard port > 0 else { process.terminate(); return nil }
        self.port = port
        // Handshake lines are read as they come, so the pipe never fills.
        output.readabilityHandler = { [weak self] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            guard let self else { return }
            self.lock.lock(); self.lines += text; self.lock.unlock()
        }
    }

    /// Handshakes reported so far.
    func handshakes() -> Int {
        Thread.sleep(forTimeInterval: 0.2)
        lock.lock(); defer { lock.unlock() }
        return lines.split(separator: "\n").filter { $0.hasPrefix("handshake") }.count
    }

    func stop() {
        output.readabilityHandler = nil
        process.terminate()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A statement API reduced to one answer: each request waits `delay` (plus `perStatement` for each
/// statement of a Snowflake multi-statement request, by its `MULTI_STATEMENT_COUNT`), then answers
/// success — a finished query for Trino, 200 with `statementHandles` for Snowflake, in one body
/// both accept. Keeps connections alive; counts requests and statements in flight and connections.
final class DelayedService: @unchecked Sendable {
    let delay: Double
    let perStatement: Double
    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var inFlight = 0
    private var most = 0
    private var accepted = 0
    private var received = 0

    init?(delay: Double, perStatement: Double = 0) {
        self.delay = delay
        self.perStatement = perStatement
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
    var requests: Int { lock.lock(); defer { lock.unlock() }; return received }

    func reset() {
        lock.lock(); most = 0; accepted = 0; received = 0; lock.unlock()
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        lock.lock(); accepted += 1; lock.unlock()
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let body = #"{"id":"q","stats":{"state":"FINISHED"},"statementHandle":"h","statementHandles":["h"]}"#
        let answer = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
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
            let request = String(decoding: buffer[(end! + 4)..<(end! + 4 + need)], as: UTF8.self)
            buffer.removeFirst(end! + 4 + need)
            let statements = DelayedService.statementCount(request)
            lock.lock(); inFlight += 1; most = max(most, inFlight); received += 1; lock.unlock()
            Thread.sleep(forTimeInterval: delay + perStatement * Double(statements))
            lock.lock(); inFlight -= 1; lock.unlock()
            var offset = 0
            while offset < answer.count {
                let n = answer.withUnsafeBytes { send(fd, $0.baseAddress! + offset, answer.count - offset, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// A Snowflake request's `MULTI_STATEMENT_COUNT`, else 1.
    static func statementCount(_ body: String) -> Int {
        guard let range = body.range(of: #""MULTI_STATEMENT_COUNT":""#) else { return 1 }
        return Int(body[range.upperBound...].prefix { $0.isNumber }) ?? 1
    }
}
