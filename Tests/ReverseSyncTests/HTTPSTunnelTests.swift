import Foundation
import XCTest
@testable import ReverseSync
#if canImport(Glibc)
import Glibc
#endif

/// HTTPS through the kept-alive `openssl s_client` tunnel, against a local TLS stand-in
/// (Tests/Support/tls_standin.py: a throw-away CA, a certificate for `localhost`, TLS ended in
/// Python's `ssl` and forwarded to a scripted plain-HTTP stand-in; it reports every handshake).
final class HTTPSTunnelTests: XCTestCase {
    typealias Server = StandInHTTPServer
    static let token = "tok-TUNNEL-SECRET-0987654321"

    /// The TLS front: its port, its CA file, and the handshakes it has reported.
    final class TLSFront {
        let process: ChildProcess
        let port: Int
        let caFile: String
        let directory: URL
        private var lines: [String] = []

        init(forwardingTo target: Int) throws {
            let environment = ProcessInfo.processInfo.environment
            guard findExecutable("openssl", path: environment["PATH"] ?? "") != nil else { throw XCTSkip("openssl not installed") }
            let python = environment["TEMPLATEC_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
                ?? findExecutable("python3", path: environment["PATH"] ?? "") ?? ""
            guard !python.isEmpty else { throw XCTSkip("no python3 for the TLS stand-in (set TEMPLATEC_PYTHON)") }
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-standin-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Support/tls_standin.py").path
            process = try ChildProcess(executable: python, arguments: [script, directory.path, String(target)], environment: environment)
            caFile = directory.appendingPathComponent("ca.pem").path
            var port = 0
            while case .line(let bytes) = process.readLine(deadline: .now() + 20) {
                let line = String(decoding: bytes, as: UTF8.self)
                if line.hasPrefix("ready ") { port = Int(line.dropFirst(6)) ?? 0; break }
                lines.append(line)
            }
            guard port > 0 else { throw NSError(domain: "tls_standin did not start: \(lines.joined(separator: " "))", code: 1) }
            self.port = port
        }

        deinit {
            process.terminate()
            try? FileManager.default.removeItem(at: directory)
        }

        /// Lines reported so far (waiting up to `seconds` for `until` to hold).
        func reported(waiting seconds: Double = 0.3, until: ([String]) -> Bool = { _ in false }) -> [String] {
            let end = DispatchTime.now() + seconds
            while !until(lines), case .line(let bytes) = process.readLine(deadline: end) {
                lines.append(String(decoding: bytes, as: UTF8.self))
            }
            return lines
        }

        var handshakes: Int { reported().filter { $0.hasPrefix("handshake") }.count }
    }

    /// A Trino stand-in that answers each statement after one poll (two requests a statement).
    static func trino(keepsAlive: Bool = true, onRequest: @escaping @Sendable (Server.Request, Int) -> Void = { _, _ in }) throws -> Server {
        try Server(keepsAlive: keepsAlive) { request, number in
            onRequest(request, number)
            if request.method == "POST" {
                return .json(200, ["id": "q\(number)", "nextUri": "https://localhost/v1/statement/executing/q\(number)/1", "stats": ["state": "RUNNING"]])
            }
            return .json(200, ["id": "q", "stats": ["state": "FINISHED"]])
        }
    }

    func trinoExecutor(_ transport: HTTPTransport) throws -> TrinoExecutor {
        try TrinoExecutor(spec: try ConnectionURL.parse("trino+https://alice@localhost:1/hive?timeout=10"),
                          environment: ["TRINO_TOKEN": Self.token], transport: transport)
    }

    func tunnel(_ front: TLSFront, host: String = "localhost", caFile: String?) -> TLSTunnelTransport {
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        if let caFile { environment["SSL_CERT_FILE"] = caFile }
        return TLSTunnelTransport(host: host, port: front.port, connectTimeout: 5, environment: environment,
                                  executable: findExecutable("openssl", path: environment["PATH"]!)!)
    }

    func testASessionReusesOneTunnelAndTheTokenIsNeverOnACommandLine() throws {
        let commandLines = Box<[String]>([])
        let server = try Self.trino { request, number in
            // While a request is being answered, the tunnel runs: sample every command line.
            if number == 2, let ps = findExecutable("ps", path: ProcessInfo.processInfo.environment["PATH"] ?? "/bin:/usr/bin") {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: ps)
                process.arguments = ["-eo", "args"]
                let pipe = Pipe()
                process.standardOutput = pipe
                try? process.run()
                let out = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                commandLines.value = String(decoding: out, as: UTF8.self).components(separatedBy: "\n")
            }
        }
        guard findExecutable("ps", path: ProcessInfo.processInfo.environment["PATH"] ?? "/bin:/usr/bin") != nil else { throw XCTSkip("no ps to sample command lines with") }
        let front = try TLSFront(forwardingTo: server.port)
        let transport = tunnel(front, caFile: front.caFile)
        let trino = try trinoExecutor(transport)
        for i in 0..<5 { XCTAssertEqual(trino.execute("COMMENT ON TABLE t IS 'n\(i)'"), .ok, "statement \(i)") }
        XCTAssertEqual(server.requests.count, 10, "a POST and a poll per statement")
        XCTAssertEqual(transport.tunnelsOpened, 1)
        XCTAssertEqual(front.handshakes, 1, "\(front.reported())")
        XCTAssertEqual(server.connections, 1, "one upstream connection: the TLS connection stayed open")
        XCTAssertTrue(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.token)" })
        let lines = commandLines.value
        XCTAssertTrue(lines.contains { $0.contains("s_client") && $0.contains("localhost:\(front.port)") }, "ps was sampled while the tunnel ran: \(lines.filter { $0.contains("openssl") })")
        XCTAssertEqual(lines.filter { $0.contains(Self.token) }, [], "the token is on no command line")
        XCTAssertFalse(transport.arguments(front).contains { $0.contains(Self.token) })
    }

    func testSyncThroughTheBinaryUsesOneHandshakePerSession() throws {
        let server = try Self.trino()
        let front = try TLSFront(forwardingTo: server.port)
        let file = try TemplatecProcess.pipelineFile(service: "tr", (0..<6).map { ("<#E::table::tr.hive.s.t\($0 % 3)>", "d\($0)") })
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try TemplatecProcess.run(["sync", file.path, "--connector", "trino", "--connection", "trino+https://localhost:\(front.port)/hive", "--parallel", "2"],
                                                        environment: ["SSL_CERT_FILE": front.caFile, "TRINO_TOKEN": Self.token])
        XCTAssertEqual(status, 0, String(decoding: output, as: UTF8.self))
        XCTAssertEqual(server.requests.count, 12, "a POST and a poll for each of the 6 statements")
        XCTAssertEqual(front.reported(waiting: 1) { $0.filter { $0.hasPrefix("handshake") }.count >= 2 }.filter { $0.hasPrefix("handshake") }.count, 2,
                       "one TLS handshake per session (--parallel 2), not one per request")
    }

    /// The catalog client (`sync --from-openmetadata`, `--to-openmetadata`) rides the same tunnel
    /// over HTTPS: a lookup and a patch after another on one handshake, the token in the header.
    func testTheCatalogClientReusesOneTunnel() throws {
        let server = try Server(keepsAlive: true) { request, _ in
            request.target.hasPrefix("/api/v1/users/name/") ? .json(200, ["id": "u1", "name": "alice"]) : .json(200, ["id": "t1", "name": "t"])
        }
        let front = try TLSFront(forwardingTo: server.port)
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "SSL_CERT_FILE": front.caFile]
        let client = try CatalogClient(location: CatalogLocation.parse("https://localhost:\(front.port)"), token: Self.token, environment: environment)
        XCTAssertTrue(client.transport is TLSTunnelTransport, "\(type(of: client.transport))")
        for _ in 0..<3 {
            XCTAssertEqual(try client.user(named: "alice")?.id, "u1")
            try client.patch("/api/v1/tables/t1", jsonPatch: #"[{"op":"add","path":"/description","value":"x"}]"#, what: "table `t`")
        }
        XCTAssertEqual(server.requests.count, 6)
        XCTAssertTrue(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.token)" })
        XCTAssertEqual(front.handshakes, 1, "\(front.reported())")
        // A certificate that does not name the address (it is for localhost): refused before anything is sent.
        let untrusted = try CatalogClient(location: CatalogLocation.parse("https://127.0.0.1:\(front.port)"), token: Self.token, environment: environment)
        untrusted.sleep = { _ in XCTFail("a certificate that does not verify is not retried") }
        XCTAssertThrowsError(try untrusted.user(named: "alice")) {
            XCTAssertEqual(($0 as? CatalogError)?.kind, .invalidURL)
            XCTAssertTrue("\($0)".contains("certificate verification") && "\($0)".contains("mismatch"), "\($0)")
        }
        XCTAssertEqual(server.requests.count, 6, "nothing reached the catalog")
    }

    func testVerificationFailsClosedForAWrongHostNameAndAnUnknownCA() throws {
        let server = try Self.trino()
        let front = try TLSFront(forwardingTo: server.port)
        // The certificate is for `localhost`: asked for 127.0.0.1, the name does not match.
        let wrongName = try trinoExecutor(tunnel(front, host: "127.0.0.1", caFile: front.caFile)).execute("COMMENT ON TABLE t IS 'x'")
        // No CA file: the system store does not know the stand-in's authority.
        let unknownCA = try trinoExecutor(tunnel(front, caFile: nil)).execute("COMMENT ON TABLE t IS 'x'")
        for (outcome, cause) in [(wrongName, "IP address mismatch"), (unknownCA, "unable to get local issuer certificate")] {
            guard !outcome.success, let message = outcome.message else { return XCTFail("\(outcome)") }
            XCTAssertTrue(message.contains("TLS certificate verification by openssl s_client failed (\(cause))"), message)
            XCTAssertTrue(message.contains("nothing was sent"), message)
            XCTAssertFalse(message.contains(Self.token))
        }
        XCTAssertEqual(server.requests.count, 0, "nothing reached the service")
        XCTAssertEqual(front.reported(waiting: 2) { $0.filter { $0.hasPrefix("refused") }.count >= 2 }.filter { $0.hasPrefix("refused") }.count, 2)
        XCTAssertEqual(front.handshakes, 0)
    }

    func testATunnelKilledBetweenStatementsIsReopenedAndUnderAStatementIsNotResent() throws {
        let killNow = Box<pid_t?>(nil)
        let server = try Self.trino { request, _ in
            // Kill the tunnel under a request: its answer never arrives.
            if request.body.contains("doomed") || request.target.hasSuffix("/poll-dies"), let pid = killNow.value {
                killNow.value = nil
                kill(pid, SIGKILL)
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        let front = try TLSFront(forwardingTo: server.port)
        let transport = tunnel(front, caFile: front.caFile)
        let trino = try trinoExecutor(transport)
        XCTAssertEqual(trino.execute("COMMENT ON TABLE t IS 'one'"), .ok)

        // Between statements: the dead tunnel is seen before anything is sent, and replaced.
        let first = try XCTUnwrap(transport.tunnelPID)
        kill(first, SIGKILL)
        while kill(first, 0) == 0, transport.tunnelPID != nil { usleep(5_000) }
        XCTAssertEqual(trino.execute("COMMENT ON TABLE t IS 'two'"), .ok)
        XCTAssertEqual(transport.tunnelsOpened, 2)
        XCTAssertEqual(server.requests.filter { $0.body.contains("two") }.count, 1, "sent once")

        // Under a statement's POST: its outcome is unknown, so it is not sent again.
        killNow.value = transport.tunnelPID
        let lost = trino.execute("COMMENT ON TABLE t IS 'doomed'")
        guard !lost.success, let message = lost.message else { return XCTFail("\(lost)") }
        XCTAssertTrue(message.contains("session with localhost:\(front.port) ended"), message)
        XCTAssertTrue(message.contains("not known") && message.contains("not sent again"), message)
        XCTAssertEqual(TransientFailure.kind(of: message), .connection, "worded as a lost session")
        XCTAssertEqual(server.requests.filter { $0.body.contains("doomed") }.count, 1, "not resent")

        // Under a poll (idempotent): sent once more on a new tunnel.
        _ = try transport.send(method: "GET", target: "/warm", headers: [], body: [], timeout: 5)
        let opened = transport.tunnelsOpened
        killNow.value = transport.tunnelPID
        let poll = try transport.send(method: "GET", target: "/v1/statement/poll-dies", headers: [], body: [], timeout: 5)
        XCTAssertEqual(poll.status, 200)
        XCTAssertEqual(server.requests.filter { $0.target.hasSuffix("/poll-dies") }.count, 2, "the poll was asked again")
        XCTAssertEqual(transport.tunnelsOpened, opened + 1)
        XCTAssertEqual(trino.execute("COMMENT ON TABLE t IS 'three'"), .ok, "the session goes on")
    }
}

/// A value shared with a stand-in's handler thread.
final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

extension TLSTunnelTransport {
    func arguments(_ front: HTTPSTunnelTests.TLSFront) -> [String] {
        TLSTunnelTransport.arguments(host: host, port: port, environment: environment)
    }
}
