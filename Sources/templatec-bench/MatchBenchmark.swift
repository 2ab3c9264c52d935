import Foundation
import TemplateCompiler

/// Matching speed (docs/performance.md, "Matching"): in-process matches per second for a
/// one-statement template (goal ≥ 1,000,000/s), and `templatec match -` over a generated log of
/// JSON lines, in MB/s (goal ≥ 100 MB/s).
enum MatchBenchmark {
    static let template = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};"

    /// A log line: mostly rendered statements, some by hand (comments, folded names), some other
    /// statements, as a statement history holds them.
    static func statement(_ i: Int) -> String {
        switch i % 8 {
        case 0...4: return "COMMENT ON TABLE sales.orders_\(i % 97) IS 'Orders placed by customer \(i); it''s one row per order.';"
        case 5: return "comment on table Sales.\"Order Items\" /* by hand */ is 'line \(i)'"
        case 6: return "SELECT count(*) FROM sales.orders_\(i % 97) WHERE id = \(i)"
        default: return "COMMENT ON COLUMN sales.orders.c\(i % 13) IS 'not a table comment'"
        }
    }

    static func run() -> [String] {
        var lines: [String] = ["== matching"]
        guard case .success(let compiled) = Compiler.compile(TemplateSource(template)),
              let matcher = try? compiled.matcher() else { return lines + ["cannot compile the benchmark template"] }
        let sqls = (0..<1000).map { statement($0 % 5) }
        let mixed = (0..<1000).map(statement)
        for (label, corpus) in [("rendered statements", sqls), ("a mixed log (5/8 rendered)", mixed)] {
            var matched = 0
            for s in corpus { if case .success = matcher.match(s) { matched += 1 } }
            // A fixed amount of work, timed by the wall clock and by this thread's CPU time: the
            // machine may be shared, and the CPU figure is the matcher's own speed.
            let rounds = 1000
            let wallStart = now(), cpuStart = threadCPUTime()
            for _ in 0..<rounds {
                for s in corpus { if case .success = matcher.match(s) { matched &+= 1 } }
            }
            let wall = now() - wallStart, cpu = threadCPUTime() - cpuStart
            let count = Double(rounds * corpus.count)
            lines.append("match in process, \(label): \(RenderBenchmark.format(count / wall)) statements/s wall, \(RenderBenchmark.format(count / cpu)) per CPU second (goal ≥ 1,000,000/s)")
            if matched == -1 { lines.append("") }
        }
        lines += logThroughput("rendered statements", { statement($0 % 5) })
        lines += logThroughput("a mixed log", statement)
        return lines
    }

    static func threadCPUTime() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// `templatec match TEMPLATE -` over a log of about 200 MB, output discarded.
    static func logThroughput(_ label: String, _ statement: (Int) -> String) -> [String] {
        guard let binary = templatecBinary() else { return ["templatec match -: no release binary; skipped"] }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("templatec-match-bench-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let templateURL = dir.appendingPathComponent("t.sql")
        let logURL = dir.appendingPathComponent("log.jsonl")
        _ = FileManager.default.createFile(atPath: templateURL.path, contents: Data(template.utf8))
        var chunk = Data()
        for i in 0..<10_000 {
            var line: [UInt8] = []
            JSONDocument.writeString(statement(i), into: &line)
            chunk.append(Data("{\"sql\":".utf8) + Data(line) + Data("}\n".utf8))
        }
        let repeats = max(1, 200_000_000 / chunk.count)
        guard let handle = FileManager.default.createFile(atPath: logURL.path, contents: nil) ? FileHandle(forWritingAtPath: logURL.path) : nil else {
            return ["templatec match -: cannot write the log; skipped"]
        }
        for _ in 0..<repeats { handle.write(chunk) }
        try? handle.close()
        let size = Double(chunk.count * repeats)
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let cpuBefore = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        let (wall, status) = runTimed(binary, ["match", templateURL.path, "-"], stdin: logURL.path)
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6 - cpuBefore
        guard status == 0, wall > 0 else { return ["templatec match -: exited \(status); skipped"] }
        return ["templatec match - over a \(Int(size / 1e6)) MB log of \(label): \(Int(size / 1e6 / wall)) MB/s wall, \(Int(size / 1e6 / cpu)) MB per CPU second (goal ≥ 100 MB/s)"]
    }
}
