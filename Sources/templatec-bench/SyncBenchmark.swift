import Foundation
import ReverseSync
import TemplateCompiler

/// 10,000 description operations applied to PostgreSQL through one sync session, against
/// `psql -f` of the same statements in autocommit. Skips with a message when PostgreSQL is not
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
        guard shell(["psql", url, "-X", "-q", "-c", "DROP SCHEMA IF EXISTS bench_sync CASCADE; CREATE SCHEMA bench_sync; CREATE TABLE bench_sync.t (c int)"]) == 0 else {
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

        // One session.
        let spec: ConnectionSpec
        do { spec = try ConnectionURL.parse(url) } catch { return ["sync: skipped: \(error)"] }
        let runner = Runner(planner: planner, mode: .execute(openSession: { try makeExecutor(spec, environment: env) }))
        let t1 = Date()
        let outcome = runner.run(pipeline)
        let syncSeconds = Date().timeIntervalSince(t1)
        if outcome.response.success == false {
            return ["sync: skipped: \(outcome.response.message ?? "no session")"]
        }
        let failed = outcome.response.results.filter { !$0.success }.count

        // psql -f, autocommit.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-sync-\(getpid()).sql")
        try? statements.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let t2 = Date()
        let psqlStatus = shell(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file.path])
        let psqlSeconds = Date().timeIntervalSince(t2)
        _ = shell(["psql", url, "-X", "-q", "-c", "DROP SCHEMA IF EXISTS bench_sync CASCADE"])

        func rate(_ s: Double) -> String { String(format: "%.0f ops/s", Double(count) / max(s, 1e-9)) }
        return [
            "sync plan+render: \(count) operations in \(String(format: "%.3f", planSeconds)) s (\(rate(planSeconds)))",
            "sync one session: \(count) operations in \(String(format: "%.3f", syncSeconds)) s (\(rate(syncSeconds))), \(failed) failed",
            "psql -f autocommit: \(count) statements in \(String(format: "%.3f", psqlSeconds)) s (\(rate(psqlSeconds)))\(psqlStatus == 0 ? "" : " (psql failed)")",
        ]
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
