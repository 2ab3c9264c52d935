import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A running `templatec listen` (the built binary) on a port the system chose.
final class ListenProcess: @unchecked Sendable {
    let process = Process()
    let stateDirectory: String
    private(set) var port = 0
    private let errors = Pipe()
    private let lock = NSLock()
    private var errText = ""

    var url: String { "http://127.0.0.1:\(port)/events" }
    var stderr: String { lock.withLock { errText } }

    /// Starts the receiver and waits for its "listening on" line; throws with its output if it
    /// exits instead.
    init(connector: String, connection: String, stateDirectory: String, extra: [String] = [], secret: String? = nil) throws {
        self.stateDirectory = stateDirectory
        guard FileManager.default.isExecutableFile(atPath: TemplatecBinary.path) else { throw XCTSkip("build templatec first: \(TemplatecBinary.path)") }
        process.executableURL = TemplatecBinary.url
        process.arguments = ["listen", "--connector", connector, "--connection", connection, "--port", "0", "--state-dir", stateDirectory] + extra
        var environment = ProcessInfo.processInfo.environment
        environment["TEMPLATEC_WEBHOOK_SECRET"] = secret
        process.environment = environment
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.errText += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let range = stderr.range(of: #"listening on http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                port = Int(stderr[range].split(separator: ":").last!)!
                return
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        throw ListenE2E.Failure(description: "templatec listen did not start: \(stderr)")
    }

    /// SIGTERM, then the exit status (waits at most 30 s).
    @discardableResult
    func terminate() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        usleep(50_000)  // the last stderr bytes
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    /// The values of `/metrics` (sample name with labels → value).
    func metrics() throws -> [String: Double] {
        let response = try ListenE2E.request(port: port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        var values: [String: Double] = [:]
        for line in response.body.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let v = Double(parts[1]) { values[String(parts[0])] = v }
        }
        return values
    }
}

enum ListenE2E {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static let support = TemplatecBinary.repository.appendingPathComponent("Tests/Support").path

    static func temporaryDirectory(_ test: XCTestCase) -> String {
        let d = NSTemporaryDirectory() + "listen-e2e-\(UUID().uuidString)"
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }

    /// Sends changes through the stand-in catalog (Tests/Support/webhook_sender.py), which builds
    /// each ChangeEvent, validates it with OpenMetadata's models and signs it. One answer per change.
    static func send(_ changes: [[String: Any]], to listener: ListenProcess, secret: String? = nil, signature: String = "good",
                     retry: Double = 0) throws -> [(id: String, status: Int, body: String)] {
        let input = try changes.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n") + "\n"
        var args = [support + "/webhook_sender.py", listener.url, "--signature", signature, "--retry", String(retry)]
        if let secret { args += ["--secret", secret] }
        let out = try python(args, stdin: input)
        return try out.split(separator: "\n").map { line in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return (o["id"] as! String, o["status"] as! Int, o["body"] as! String)
        }
    }

    /// Runs a Python tool of Tests/Support with the project's interpreter; skips when
    /// OpenMetadata's models are not installed (scripts/ci/python-deps.sh), except in CI.
    static func python(_ args: [String], stdin: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [TestPython.executable] + args
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = support
        p.environment = environment
        let inp = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = inp
        p.standardOutput = out
        p.standardError = err
        try p.run()
        inp.fileHandleForWriting.write(Data(stdin.utf8))
        try inp.fileHandleForWriting.close()
        final class Box: @unchecked Sendable { var data = Data() }
        let e = Box()
        let errHandle = err.fileHandleForReading
        let g = DispatchGroup()
        g.enter(); DispatchQueue.global().async { e.data = errHandle.readDataToEndOfFile(); g.leave() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        g.wait()
        p.waitUntilExit()
        let errText = String(decoding: e.data, as: UTF8.self)
        if p.terminationStatus != 0 {
            if errText.contains("openmetadata-ingestion is not installed") || errText.contains("No module named 'pydantic'") {
                if ProcessInfo.processInfo.environment["TEMPLATEC_REQUIRE_DATABASES"] == "1" { throw Failure(description: errText) }
                throw XCTSkip("OpenMetadata's models are not installed (scripts/ci/python-deps.sh): \(errText)")
            }
            throw Failure(description: "\(args[0]) failed: \(errText)")
        }
        return String(decoding: o, as: UTF8.self)
    }

    struct Response {
        var status: Int
        var body: String
    }

    /// One raw request on a new connection: the bytes exactly as given, then the answer (read until
    /// the server closes or `timeout` passes).
    static func request(port: Int, _ text: String, timeout: Double = 10) throws -> Response {
        try request(port: port, Array(text.utf8), timeout: timeout)
    }

    static func request(port: Int, _ bytes: [UInt8], timeout: Double = 10, pauseAfter: Double = 0) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { throw Failure(description: "cannot connect to 127.0.0.1:\(port)") }
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server may answer (413) and close before reading everything
            sent += n
        }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            answer += chunk[0..<n]
            if let text = complete(answer) { return text }
        }
        if let text = complete(answer) { return text }
        throw Failure(description: "no complete answer: \(String(decoding: answer, as: UTF8.self))")
    }

    /// The status and body once the head and Content-Length bytes are there.
    private static func complete(_ bytes: [UInt8]) -> Response? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
        let head = text[..<headEnd.lowerBound]
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        let body = Array(text[headEnd.upperBound...].utf8)
        guard body.count >= length else { return nil }
        return Response(status: status, body: String(decoding: body.prefix(length), as: UTF8.self))
    }

    /// Polls `condition` until it holds or `timeout` passes.
    static func eventually(_ timeout: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    /// `templatec runs --format json` of the state directory, every record's events.
    static func recordedEvents(_ stateDirectory: String) throws -> [[String: Any]] {
        let list = try TemplatecBinary.run(["runs", "--state-dir", stateDirectory, "--format", "json", "--limit", "1000"])
        guard let ids = (try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8))) as? [[String: Any]] else { return [] }
        var events: [[String: Any]] = []
        for id in ids.compactMap({ $0["id"] as? String }).reversed() {
            let one = try TemplatecBinary.run(["runs", "--state-dir", stateDirectory, id, "--format", "json"])
            let record = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as! [String: Any]
            events += record["pipelines"] as? [[String: Any]] ?? []
        }
        return events
    }

    /// A TCP port nothing listens on now (bound and released), for a database that is down.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts Tests/Support/tcp_proxy.py on `port` forwarding to host:target: the database is back.
    static func startProxy(port: Int, host: String, target: Int, _ test: XCTestCase) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [TestPython.executable, support + "/tcp_proxy.py", String(port), host, String(target)]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        test.addTeardownBlock { if p.isRunning { p.terminate(); p.waitUntilExit() } }
        let line = out.fileHandleForReading.availableData
        guard String(decoding: line, as: UTF8.self).hasPrefix("ready") else { throw Failure(description: "tcp_proxy did not start") }
        return p
    }

    // MARK: changes in the sender's compact form

    static func description(_ entityType: String, _ fqn: String, _ text: String, field: String = "description") -> [String: Any] {
        ["entityType": entityType, "fqn": fqn, "updated": [["name": field, "old": "", "new": text]]]
    }

    static func owners(_ fqn: String, _ name: String, entityType: String = "table") -> [String: Any] {
        ["entityType": entityType, "fqn": fqn,
         "added": [["name": "owners", "new": [["id": "0b7a1c1e-4f5e-4c3b-9a47-3f2a1c1e4f5e", "type": "user", "name": name]]]]]
    }
}
