import Foundation
import XCTest

/// Real engines that run in process behind a stand-in of their network interface, started once
/// per test run on an ephemeral loopback port (scripts/engines/): ClickHouse 26 (chdb behind the
/// HTTP interface) and Spark SQL (pyspark behind the Databricks SQL Statement Execution API).
///
/// Each is started on first use and stops when the test process ends (its standard input
/// closes). A URL in the environment (TEMPLATEC_CLICKHOUSE26_URL, TEMPLATEC_SPARK_URL) is used
/// instead. When the engine's Python package is not installed the tests skip with the reason;
/// under TEMPLATEC_REQUIRE_DATABASES=1 (CI, where scripts/test.sh installed it) they fail.
enum LocalEngines {
    enum Engine: String, CaseIterable {
        case clickhouse26, spark

        var script: String { self == .clickhouse26 ? "chdb_front.py" : "spark_standin.py" }
        var module: String { self == .clickhouse26 ? "chdb" : "pyspark" }
        var environmentKey: String { self == .clickhouse26 ? "TEMPLATEC_CLICKHOUSE26_URL" : "TEMPLATEC_SPARK_URL" }
        /// A Spark session takes 6–10 s to start, more on a busy machine.
        var startTimeout: Double { self == .clickhouse26 ? 60 : 240 }
    }

    /// The bearer token the Spark stand-in accepts (DATABRICKS_TOKEN for the executor).
    static let sparkToken = "standin-token"

    struct Started {
        let url: String
        /// What the first line said after `version=`.
        let version: String
    }

    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var started: [Engine: Result<Started, StartFailure>] = [:]
        /// The write ends of the engines' standard input: kept open for the whole run.
        var inputs: [FileHandle] = []
    }
    private static let state = State()

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
        let toolMissing: Bool
    }

    /// The engine's URL and version, starting it if needed; XCTSkip (or a failure in CI) if it
    /// cannot run here.
    static func start(_ engine: Engine) throws -> Started {
        let env = ProcessInfo.processInfo.environment
        if let url = env[engine.environmentKey], !url.isEmpty { return Started(url: url, version: env[engine.environmentKey + "_VERSION"] ?? "") }
        state.lock.lock()
        defer { state.lock.unlock() }
        let result = state.started[engine] ?? launch(engine)
        state.started[engine] = result
        switch result {
        case .success(let s): return s
        case .failure(let f):
            if f.toolMissing && env["TEMPLATEC_REQUIRE_DATABASES"] != "1" { throw XCTSkip(f.description) }
            throw TestDatabases.TestFailure(description: f.description)
        }
    }

    private static func launch(_ engine: Engine) -> Result<Started, StartFailure> {
        let python = TestPython.executable
        // Is the package there at all? (A missing tool skips; a broken one fails.)
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = [python, "-c", "import \(engine.module)"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch {
            return .failure(StartFailure(description: "\(engine): cannot run \(python): \(error)", toolMissing: true))
        }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else {
            return .failure(StartFailure(description: "\(engine): Python package `\(engine.module)` is not installed for \(python): run scripts/ci/python-deps.sh", toolMissing: true))
        }
        if engine == .spark {
            let java = Process()
            java.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            java.arguments = ["java", "-version"]
            java.standardOutput = FileHandle.nullDevice
            java.standardError = FileHandle.nullDevice
            let ran = (try? java.run()) != nil
            if ran { java.waitUntilExit() }
            guard ran, java.terminationStatus == 0 else {
                return .failure(StartFailure(description: "spark: no Java runtime (`java -version` fails): run scripts/engines/setup.sh", toolMissing: true))
            }
        }
        let script = TestDatabases.repositoryRoot.appendingPathComponent("scripts/engines/\(engine.script)").path
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("templatec-\(engine)-\(getpid()).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script, "--port", "0"] + (engine == .spark ? ["--token", sparkToken] : [])
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = (try? FileHandle(forWritingTo: log)) ?? FileHandle.nullDevice
        do { try process.run() } catch {
            return .failure(StartFailure(description: "\(engine): cannot start \(script): \(error)", toolMissing: false))
        }
        state.inputs.append(input.fileHandleForWriting)
        // The first line says where it listens.
        let line = LineBox()
        let ready = DispatchSemaphore(value: 0)
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            var bytes: [UInt8] = []
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                bytes.append(contentsOf: chunk)
                if let nl = bytes.firstIndex(of: 0x0A) {
                    line.text = String(decoding: bytes[..<nl], as: UTF8.self)
                    break
                }
            }
            ready.signal()
            // Keep draining so the engine never blocks on a full pipe.
            while !reader.availableData.isEmpty {}
        }
        let waited = ready.wait(timeout: .now() + engine.startTimeout)
        let first = line.text
        guard waited == .success, first.hasPrefix("listening ") else {
            let why = (try? String(contentsOf: log, encoding: .utf8)).map { String($0.suffix(2000)) } ?? ""
            if process.isRunning { process.terminate() }
            return .failure(StartFailure(description: "\(engine) did not start within \(Int(engine.startTimeout)) s (\(script)): \(first) \(why)", toolMissing: false))
        }
        let words = first.split(separator: " ")
        let url = String(words[1])
        let version = words.first { $0.hasPrefix("version=") }.map { String($0.dropFirst("version=".count)) } ?? ""
        return .success(Started(url: url, version: version))
    }

    private final class LineBox: @unchecked Sendable { var text = "" }
}
