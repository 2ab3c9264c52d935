import Foundation
import ReverseSync

/// `templatec runs`: list recorded sync runs, or show one.
enum RunsCommand: Command {
    static let name = "runs"
    static let summary = "list recorded sync runs or show one"
    static let help = """
    Usage: templatec runs [--state-dir DIR] [ID] [--format text|json] [--limit N]

    Lists the runs `templatec sync --state-dir DIR` and `templatec listen` recorded, newest first,
    or shows one run: its start and end, and every operation's result and message (for listen,
    one record per batch of events, each event with its outcome). DIR defaults to
    $TEMPLATEC_STATE_DIR, else `.templatec`. ID may be a unique prefix, or `last`.

    A run still going, or one whose process was killed before it wrote its record, is read from
    its journal (DIR/runs/ID.journal): it shows every result known when it stopped writing.

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["state-dir", "format", "limit"], flagOptions: [])
        let dir = args.value("state-dir") ?? ProcessInfo.processInfo.environment["TEMPLATEC_STATE_DIR"] ?? ".templatec"
        let format = args.value("format") ?? "text"
        guard ["text", "json"].contains(format) else { throw UsageError("unknown format `\(format)`: use text or json") }
        guard args.positional.count <= 1 else { throw UsageError("give at most one run id") }
        let limit = try args.value("limit").map { v throws(UsageError) -> Int in
            guard let n = Int(v), n > 0 else { throw UsageError("--limit takes a positive number") }
            return n
        } ?? 20
        let store = RunStore(stateDirectory: dir)
        let ids = store.ids()
        let iso = ISO8601DateFormatter()

        if let wanted = args.positional.first {
            let matches = wanted == "last" ? Array(ids.prefix(1)) : ids.filter { $0.hasPrefix(wanted) }
            guard matches.count == 1 else {
                Output.stderr("templatec runs: \(matches.isEmpty ? "no run `\(wanted)` in \(dir)" : "`\(wanted)` matches \(matches.count) runs; give more of the id")\n")
                return ExitStatus.usage
            }
            let record: RunRecord
            do { record = try store.load(matches[0]) } catch {
                Output.stderr("templatec runs: cannot read run \(matches[0]): \(error.localizedDescription)\n")
                return ExitStatus.usage
            }
            if format == "json" {
                let e = JSONEncoder()
                e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                e.dateEncodingStrategy = .iso8601
                Output.stdout(String(decoding: try e.encode(record), as: UTF8.self) + "\n")
                return ExitStatus.ok
            }
            var s = "run \(record.id)\(record.dryRun ? " (dry run)" : "")\(describe(record).map { " (\($0))" } ?? "")\n"
            s += "connector \(record.connector)\nstart \(iso.string(from: record.start))\nend   \(iso.string(from: record.end)) (\(String(format: "%.3f", record.end.timeIntervalSince(record.start))) s)\n"
            s += "operations \(record.operationCount), failed \(record.failedCount)\(record.notRunCount > 0 ? " (\(record.notRunCount) not run)" : "")\n"
            for p in record.pipelines {
                s += "\npipeline \(p.file) service \(p.serviceName ?? "?") (\(p.serviceId ?? "?"))\(p.success == false ? " FAILED: \(p.message ?? "")" : p.message.map { ": \($0)" } ?? "")\n"
                for o in p.operations {
                    s += "  \(o.success ? "ok  " : o.notRun == true ? "SKIP" : "FAIL") \(o.id) \(o.type) \(o.entity)\(o.message.map { ": \($0)" } ?? "")\n"
                }
            }
            Output.stdout(s)
            return ExitStatus.ok
        }

        if ids.isEmpty {
            Output.stdout("no runs recorded in \(dir)\n")
            return ExitStatus.ok
        }
        var s = ""
        var items: [JSON] = []
        for id in ids.prefix(limit) {
            guard let r = try? store.load(id) else {
                s += "\(id)  (unreadable record)\n"
                continue
            }
            let secs = r.end.timeIntervalSince(r.start)
            s += "\(id)  \(iso.string(from: r.start))  \(r.connector)\(r.dryRun ? " dry-run" : "")  \(r.operationCount) operations, \(r.failedCount) failed, \(String(format: "%.2f", secs)) s\(describe(r).map { "  \($0)" } ?? "")\n"
            items.append(.object([("id", .string(id)), ("start", .string(iso.string(from: r.start))), ("end", .string(iso.string(from: r.end))),
                                  ("connector", .string(r.connector)), ("dryRun", .bool(r.dryRun)),
                                  ("operations", .int(r.operationCount)), ("failed", .int(r.failedCount)),
                                  ("notRun", .int(r.notRunCount)), ("state", r.state.map { .string($0.rawValue) } ?? .string("finished"))]))
        }
        Output.stdout(format == "json" ? JSON.array(items).render(indent: 2) + "\n" : s)
        return ExitStatus.ok
    }

    /// What a record's state means, for people; nil for a run that simply finished.
    static func describe(_ record: RunRecord) -> String? {
        switch record.state {
        case nil: return nil
        case .stopped: return "stopped by \(record.stoppedBy ?? "a signal")"
        case .running: return "running: read from its journal"
        case .interrupted: return "interrupted: the process ended without its record; read from its journal"
        }
    }
}
