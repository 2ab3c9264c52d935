import Foundation

/// `templatec sync --from-openmetadata` on a catalog of 10,000 tables × 10 columns served by the
/// stand-in (Tests/Support/openmetadata_standin.py, entities validated with OpenMetadata's models),
/// against the same tables in PostgreSQL (schemas `batch_bench_0…9`, made and dropped here):
///
/// 1. `--plan` against a database with no comments: 110,000 operations planned (goal ≤ 10 s);
/// 2. the apply run that writes them;
/// 3. a second run with nothing changed: no operation, nothing executed (goal ≤ 5 s).
///
/// Each figure is the wall time of the release binary and its peak resident memory (getrusage of
/// the child), which stays bounded: the catalog is read 500 entities a page, and only differences
/// are kept. Skips with a message when PostgreSQL or the Python models are not there.
enum CatalogSyncBenchmark {
    static let tables = 10_000
    static let columns = 10
    static let schemas = 10

    static func run() -> [String] {
        let env = ProcessInfo.processInfo.environment
        var url = env["TEMPLATEC_PG_URL"]
        if url == nil, let text = try? String(contentsOfFile: (env["TEMPLATEC_DB_DIR"] ?? ".db") + "/env", encoding: .utf8) {
            url = text.split(separator: "\n").first { $0.hasPrefix("TEMPLATEC_PG_URL=") }.map { String($0.dropFirst("TEMPLATEC_PG_URL=".count)) }
        }
        guard let url else { return ["catalog sync: skipped: PostgreSQL not configured (run scripts/db/start.sh)"] }
        guard SyncBenchmark.shell(["psql", url, "-X", "-q", "-c", "SELECT 1"]) == 0 else { return ["catalog sync: skipped: PostgreSQL not running at \(url)"] }
        guard let binary = templatecBinary() else { return ["catalog sync: skipped: no release templatec"] }
        let python = env["TEMPLATEC_PYTHON"] ?? packageRoot.appendingPathComponent(".build/venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else { return ["catalog sync: skipped: no Python venv (scripts/ci/python-deps.sh)"] }

        // The tables, in one psql script.
        let names = (0..<schemas).map { "batch_bench_\($0)" }
        let drop = names.map { "DROP SCHEMA IF EXISTS \($0) CASCADE;" }.joined(separator: "\n")
        var script = drop + "\n" + names.map { "CREATE SCHEMA \($0);" }.joined(separator: "\n") + "\n"
        let perSchema = (tables + schemas - 1) / schemas
        let columnList = (0..<columns).map { "c\($0) int" }.joined(separator: ", ")
        for n in 0..<tables { script += "CREATE TABLE batch_bench_\(n / perSchema).t\(n) (\(columnList));\n" }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-catalog-\(getpid()).sql")
        defer { try? FileManager.default.removeItem(at: file) }
        try? script.write(to: file, atomically: true, encoding: .utf8)
        guard SyncBenchmark.shell(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file.path]) == 0 else {
            return ["catalog sync: skipped: could not create the bench tables"]
        }
        defer {
            try? drop.write(to: file, atomically: true, encoding: .utf8)
            SyncBenchmark.shell(["psql", url, "-X", "-q", "-f", file.path])
        }
        let database = SyncBenchmark.output(["psql", url, "-X", "-Atc", "SELECT current_database()"])

        // The stand-in, on an ephemeral port; it prints `PORT n` once every entity is validated.
        let standIn = Process()
        standIn.executableURL = URL(fileURLWithPath: python)
        standIn.arguments = [packageRoot.appendingPathComponent("Tests/Support/openmetadata_standin.py").path, "--generate",
                             "service=bench,database=\(database),schemas=\(schemas),tables=\(tables),columns=\(columns),schemaPrefix=batch_bench_"]
        var standInEnv = env
        standInEnv["PYTHONPATH"] = packageRoot.appendingPathComponent("Tests/Support").path
        standIn.environment = standInEnv
        let out = Pipe()
        standIn.standardOutput = out
        standIn.standardError = FileHandle.nullDevice
        do { try standIn.run() } catch { return ["catalog sync: skipped: cannot start the stand-in: \(error)"] }
        defer { standIn.terminate(); standIn.waitUntilExit() }
        // One byte at a time: readData(ofLength:) waits for all the bytes asked for.
        var firstLine = Data()
        while firstLine.count < 32 {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            firstLine.append(byte)
        }
        let first = String(decoding: firstLine, as: UTF8.self)
        guard first.hasPrefix("PORT "), let port = Int(first.dropFirst(5).prefix { $0.isNumber }) else {
            return ["catalog sync: skipped: the stand-in did not start (OpenMetadata's models missing? scripts/ci/python-deps.sh)"]
        }

        let base = ["sync", "--from-openmetadata", "http://127.0.0.1:\(port)", "--service", "bench", "--connector", "postgres", "--connection", url]
        let plan = runMeasured(binary, base + ["--plan"])
        let apply = runMeasured(binary, base)
        let again = runMeasured(binary, base)
        let operations = tables * (columns + 1)
        func line(_ what: String, _ m: (seconds: Double, status: Int32, maxRSS: Int), goal: Double?) -> String {
            var text = "catalog sync \(what): \(String(format: "%.2f", m.seconds)) s, peak memory \(m.maxRSS / 1024) MiB"
            if let goal { text += " (goal ≤ \(Int(goal)) s: \(m.seconds <= goal ? "met" : "MISSED"))" }
            if m.status != 0 { text += " (exit status \(m.status))" }
            return text
        }
        return [
            "catalog sync: \(tables) tables × \(columns) columns from the stand-in catalog, PostgreSQL at \(url.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression))",
            line("--plan, nothing in line (\(operations) operations)", plan, goal: 10),
            line("apply (\(operations) statements)", apply, goal: nil),
            line("second run, nothing changed (no operation)", again, goal: 5),
        ]
    }
}
