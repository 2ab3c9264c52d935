import Foundation
import ReverseSync
import TemplateCompiler

/// 10,000 description operations applied to PostgreSQL through one sync session, against
/// `psql -f` of the same statements in autocommit, in alternating rounds (TEMPLATEC_BENCH_ROUNDS,
/// default 5) whose medians are compared. Skips with a message when PostgreSQL is not
/// running (scripts/db/start.sh) or this build has no PostgreSQL executor.
enum SyncBenchmark {
    static let count = 10_000

    static func run() -> [String] {
        let env = ProcessInfo.processInfo.environment
        var url = env["TEMPLATEC_PG_URL"]
        if url == nil, let text = try? String(contentsOfFile: (env["TEMPLATEC_DB_DIR"] ?? ".db") + "/env", encoding: .utf8) {
            url = text.split(separator: "\n").first { $0.hasPrefix("TEMPLATEC_PG_URL=") }.map { String($0.dropFirst("TEMPLATEC_PG_URL=".count)) }
        }
        guard let url else { return ["sync: skipped: PostgreSQL not configured (run scripts/db/start.sh)"] }
        guard shell(["psql", url, "-X", "-q", "-c", "SELECT 1"]) == 0 else {
            return ["sync: skipped: PostgreSQL not running at \(url)"]
        }

        // Plan: the same path `templatec sync` takes (entity link, template, rendering).
        var ops: [String] = []
        for i in 0..<count {
            ops.append(#"{"id": "\#(String(format: "00000000-0000-4000-8000-%012d", i))", "entityLink": "<#E::table::pg.db.bench_sync.t>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "description \#(i) it's"}}"#)
        }
        let doc = #"{"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-000000000001", "type": "databaseService", "name": "pg"}, "operations": [\#(ops.joined(separator: ","))]}"#
        let pipeline: ReverseIngestionPipeline
        do { pipeline = try PipelineReader.read(Data(doc.utf8)) } catch { return ["sync: pipeline error: \(error)"] }
        let planner = Planner(connector: Connectors.connector(.postgres))
        let t0 = Date()
        let plans = planner.plan(pipeline)
        let planSeconds = Date().timeIntervalSince(t0)
        var statements: [String] = []
        for p in plans { if case .steps(let s, _) = p.outcomes.first?.outcome { statements += s.map(\.sql) } }

        // Rounds alternate which side goes first (the server warms up, other work on the machine
        // comes and goes); each measurement starts on a freshly created table.
        let spec: ConnectionSpec
        do { spec = try ConnectionURL.parse(url) } catch { return ["sync: skipped: \(error)"] }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-sync-\(getpid()).sql")
        try? statements.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let rounds = max(Int(env["TEMPLATEC_BENCH_ROUNDS"] ?? "") ?? 5, 1)
        var batches: [Int] = [], syncTimes: [Double] = [], syncCPU: [Double] = [], psqlTimes: [Double] = [], failed = 0, psqlFailed = false
        func reset() { _ = shell(["psql", url, "-X", "-q", "-c", "DROP SCHEMA IF EXISTS bench_sync CASCADE; CREATE SCHEMA bench_sync; CREATE TABLE bench_sync.t (c int)"]) }
        func measureSync() -> String? {
            reset()
            let runner = Runner(planner: planner, mode: .execute(openSession: { try makeExecutor(spec, environment: env) }))
            if let size = env["TEMPLATEC_BENCH_BATCH"].flatMap(Int.init) { runner.batchSize = size }
            var reported = 0
            batches = []
            runner.progress = { done, _ in batches.append(done - reported); reported = done }
            let t = Date(), cpu = cpuSeconds()
            let outcome = runner.run(pipeline)
            syncTimes.append(Date().timeIntervalSince(t))
            syncCPU.append(cpuSeconds() - cpu)
            if outcome.response.success == false { return "sync: skipped: \(outcome.response.message ?? "no session")" }
            failed = max(failed, outcome.response.results.filter { !$0.success }.count)
            return nil
        }
        func measurePsql() {
            reset()
            let t = Date()
            if shell(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file.path]) != 0 { psqlFailed = true }
            psqlTimes.append(Date().timeIntervalSince(t))
        }
        for round in 0..<rounds {
            if round % 2 == 0 {
                if let skip = measureSync() { return [skip] }
                measurePsql()
            } else {
                measurePsql()
                if let skip = measureSync() { return [skip] }
            }
        }
        _ = shell(["psql", url, "-X", "-q", "-c", "DROP SCHEMA IF EXISTS bench_sync CASCADE"])

        func rate(_ s: Double) -> Double { Double(count) / max(s, 1e-9) }
        func perSecond(_ s: Double) -> String { String(format: "%.0f ops/s", rate(s)) }
        func spread(_ xs: [Double]) -> String { String(format: "%.0f–%.0f", rate(xs.max()!), rate(xs.min()!)) }
        let ratios = zip(syncTimes, psqlTimes).map { $1 / $0 }
        return [
            "sync plan+render: \(count) operations in \(String(format: "%.3f", planSeconds)) s (\(perSecond(planSeconds)))",
            "sync one session (plan, render, execute): \(count) operations, median \(String(format: "%.3f", median(syncTimes))) s (\(perSecond(median(syncTimes)))), rounds \(spread(syncTimes)) ops/s, \(failed) failed",
            "sync batches (last round): \(batches.map(String.init).joined(separator: ", "))",
            "sync CPU in this process (plan, render, pipe, results): median \(String(format: "%.3f", median(syncCPU))) s",
            "psql -f autocommit: \(count) statements, median \(String(format: "%.3f", median(psqlTimes))) s (\(perSecond(median(psqlTimes)))), rounds \(spread(psqlTimes)) ops/s\(psqlFailed ? " (psql failed)" : "")",
            "sync / psql -f: \(String(format: "%.0f%%", 100 * median(psqlTimes) / median(syncTimes))) of the median rates (goal ≥ 80%), per round \(ratios.map { String(format: "%.0f%%", 100 * $0) }.joined(separator: " ")), \(rounds) rounds",
        ]
    }

    /// User + system CPU time of this process (all threads) so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    /// What a command prints on standard output, trimmed.
    static func output(_ args: [String]) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    static func shell(_ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
