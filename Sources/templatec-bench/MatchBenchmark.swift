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
        return lines
    }

    /// `templatec match -` over generated logs of `megabytes` each: one of rendered statements
    /// only (the fast path), one mixed as a statement history is (5/8 rendered, the rest by hand
    /// or other statements: the general path). MB/s by the wall clock (goal ≥ 100) and per CPU
    /// second of the child (user + system, both cores counted), with the load average around the
    /// run: the wall figure means little on a busy machine, the CPU figure stays comparable.
    static func logFigures(megabytes: Int) -> [Figure] {
        [("rendered", "rendered statements", { statement($0 % 5) }), ("mixed", "mixed statements (5/8 rendered)", statement)]
            .flatMap { key, label, statement in logThroughput(key, label, megabytes: megabytes, statement) }
    }

    static func threadCPUTime() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// `templatec match TEMPLATE -` over a log of about `megabytes` MB, output discarded.
    static func logThroughput(_ key: String, _ label: String, megabytes: Int, _ statement: (Int) -> String) -> [Figure] {
        guard let binary = templatecBinary() else { print("templatec match -: no release binary; skipped"); return [] }
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
        let repeats = max(1, megabytes * 1_000_000 / chunk.count)
        guard let handle = FileManager.default.createFile(atPath: logURL.path, contents: nil) ? FileHandle(forWritingAtPath: logURL.path) : nil else {
            print("templatec match -: cannot write the log; skipped")
            return []
        }
        for _ in 0..<repeats { handle.write(chunk) }
        try? handle.close()
        let size = Double(chunk.count * repeats)
        let loadBefore = loadAverage()
        let cpuBefore = childrenCPUTime()
        let (wall, status) = runTimed(binary, ["match", templateURL.path, "-"], stdin: logURL.path)
        let cpu = childrenCPUTime() - cpuBefore
        guard status == 0, wall > 0, cpu > 0 else { print("templatec match -: exited \(status); skipped"); return [] }
        print("templatec match - over a \(Int(size / 1e6)) MB log of \(label): \(format(wall)) s wall, \(format(cpu)) s CPU; load average \(format(loadBefore)) before, \(format(loadAverage())) after (2 cores: above 2, others share them)")
        return [Figure(key: "match.log_\(key)_mb_s", label: "templatec match - over a log of \(label), by the wall clock",
                       value: size / 1e6 / wall, unit: "MB/s", higherIsBetter: true, goal: 100),
                Figure(key: "match.log_\(key)_mb_per_cpu_s", label: "templatec match - over a log of \(label), per CPU second",
                       value: size / 1e6 / cpu, unit: "MB/CPU-s", higherIsBetter: true, goal: nil)]
    }

    /// User and system time of the waited-for children, in seconds.
    static func childrenCPUTime() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// The one-minute load average.
    static func loadAverage() -> Double {
        var load = [0.0, 0.0, 0.0]
        return getloadavg(&load, 3) > 0 ? load[0] : -1
    }
}
