// templatec-bench: throughput figures for templatec, compared with scripts/bench/baseline.json.
//
//     swift run -c release templatec-bench [check|render|match|sync|remote|listen|catalog|lsp|all] [--write-baseline]
//     swift run -c release templatec-bench match-log [--mb N]     # `match -` over two logs of N MB (1024)
//
// TEMPLATEC_BENCH_BINARY=PATH measures that templatec binary instead of the sibling release build.
//
// It never fails on a slow figure: it prints each figure, its goal where there is one, and the
// ratio to the baseline (> 1 is better for rates, < 1 better for times). `--write-baseline` records
// the figures of this run as the new baseline. docs/performance.md explains the figures.
import Foundation
import TemplateCompiler

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let baselineURL = packageRoot.appendingPathComponent("scripts/bench/baseline.json")

/// One measured figure.
struct Figure {
    let key: String
    let label: String
    let value: Double
    let unit: String
    /// Rates are better high, times better low.
    let higherIsBetter: Bool
    let goal: Double?
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

// MARK: - The corpus: small templates across dialects, placeholders in every common context

enum Corpus {
    static let shapes: [DialectID: [String]] = [
        .postgres: ["COMMENT ON TABLE {schema}.{table} IS {description};",
                    "COMMENT ON COLUMN {schema}.{table}.{column} IS '{description}';",
                    "ALTER TABLE {schema}.\"{table}\" OWNER TO {owner};"],
        .redshift: ["COMMENT ON TABLE {schema}.{table} IS {description};"],
        .mysql: ["ALTER TABLE `{table}` COMMENT = {description};",
                 "/*!50100 ALTER TABLE {table} COMMENT = '{description}' */;"],
        .mssql: ["EXEC sp_addextendedproperty @name = N'MS_Description', @value = N{description}, @level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = N'{table}';",
                 "ALTER AUTHORIZATION ON OBJECT::[{schema}].[{table}] TO [{owner}];"],
        .oracle: ["COMMENT ON TABLE \"{schema}\".\"{table}\" IS {description}"],
        .snowflake: ["COMMENT ON TABLE {database}.{schema}.{table} IS {description};",
                     "ALTER TABLE {schema}.{table} SET TAG {tag_key} = '{tag_value}';"],
        .bigquery: ["ALTER TABLE `{database}.{schema}.{table}` SET OPTIONS (description = {description});",
                    "ALTER TABLE `{schema}.{table}` SET OPTIONS (labels = {tags});"],
        .clickhouse: ["ALTER TABLE {schema}.{table} MODIFY COMMENT {description};"],
        .databricks: ["COMMENT ON TABLE {database}.{schema}.{table} IS {description};",
                      "ALTER TABLE {database}.{schema}.{table} SET TAGS {tags};"],
        .trino: ["COMMENT ON TABLE {database}.{schema}.{table} IS {description};"],
        .athena: ["ALTER TABLE {table} SET TBLPROPERTIES ('comment' = '{description}');"],
    ]

    /// `count` templates, each with its directive and a comment that makes it distinct.
    static func templates(_ count: Int) -> [(DialectID, String)] {
        let dialects = DialectID.allCases
        var out: [(DialectID, String)] = []
        out.reserveCapacity(count)
        for k in 0..<count {
            let id = dialects[k % dialects.count]
            let list = shapes[id] ?? ["COMMENT ON TABLE {table} IS {description};"]
            let body = list[(k / dialects.count) % list.count]
            out.append((id, "-- templatec: dialect=\(id.rawValue)\n-- template \(k)\n\(body)\n"))
        }
        return out
    }
}

// MARK: - check

func benchAnalyzer() -> [Figure] {
    let corpus = Corpus.templates(22_000).map { TemplateSource(path: "t.sql", $0.1) }
    // Warm up.
    for s in corpus.prefix(1_000) { _ = Analyzer.analyze(s) }
    var diagnostics = 0
    let start = now()
    for s in corpus { diagnostics &+= Analyzer.analyze(s).diagnostics.count }
    let seconds = now() - start
    if diagnostics < 0 { print(diagnostics) }
    return [Figure(key: "check.analyzer_templates_per_s", label: "lex+parse+check in process (one core)",
                   value: Double(corpus.count) / seconds, unit: "templates/s", higherIsBetter: true, goal: nil)]
}

/// The release `templatec` next to this executable, built if missing.
func templatecBinary() -> URL? {
    // Another build to measure (an older binary, for a baseline).
    if let other = ProcessInfo.processInfo.environment["TEMPLATEC_BENCH_BINARY"] { return URL(fileURLWithPath: other) }
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let sibling = here.appendingPathComponent("templatec")
    if FileManager.default.isExecutableFile(atPath: sibling.path) { return sibling }
    print("building templatec (release) …")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["swift", "build", "-c", "release", "--product", "templatec", "--package-path", packageRoot.path]
    try? p.run()
    p.waitUntilExit()
    let built = packageRoot.appendingPathComponent(".build/release/templatec")
    return FileManager.default.isExecutableFile(atPath: built.path) ? built : nil
}

/// Runs the binary with posix_spawn and waitpid (Foundation's `Process.waitUntilExit` polls a run
/// loop and adds tens of milliseconds); returns wall seconds and exit status, output discarded.
func runTimed(_ binary: URL, _ args: [String], stdin: String? = nil) -> (Double, Int32) {
    let m = runMeasured(binary, args, stdin: stdin)
    return (m.seconds, m.status)
}

/// `runTimed` plus the child's peak resident memory in KiB (wait4's rusage). `stdin`: a file path.
func runMeasured(_ binary: URL, _ args: [String], stdin: String? = nil) -> (seconds: Double, status: Int32, maxRSS: Int) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let stdin { posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([binary.path] + args).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for p in envp { free(p) } }
    var pid: pid_t = 0
    let start = now()
    guard posix_spawn(&pid, binary.path, &actions, nil, argv, envp) == 0 else { return (0, -1, 0) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let seconds = now() - start
    return (seconds, (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1, usage.ru_maxrss)
}

func benchCheckCommand() -> [Figure] {
    guard let binary = templatecBinary() else {
        print("templatec check: no release binary (swift build -c release --product templatec failed); skipped")
        return []
    }
    var figures: [Figure] = []
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("templatec-bench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: dir) }
    let count = 20_000
    // 20 folders of 1,000 files: a realistic repository layout, not one huge folder.
    for (k, (id, text)) in Corpus.templates(count).enumerated() {
        let sub = dir.appendingPathComponent("\(id.rawValue)-\(k % 20)")
        if k < 20 * DialectID.allCases.count {
            try? FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        }
        _ = FileManager.default.createFile(atPath: sub.appendingPathComponent("t\(k).sql").path, contents: Data(text.utf8))
    }
    _ = runTimed(binary, ["check", dir.path, "--quiet"])  // warm the page cache
    var walls: [Double] = []
    var status: Int32 = 0
    for _ in 0..<3 {
        let (w, s) = runTimed(binary, ["check", dir.path, "--quiet"])
        walls.append(w)
        status = s
    }
    let wall = median(walls)
    if status > 1 { print("note: templatec check \(dir.path) exited \(status)") }
    figures.append(Figure(key: "check.dir_files_per_s", label: "templatec check DIR, \(count) files (median of 3)",
                          value: Double(count) / wall, unit: "files/s", higherIsBetter: true, goal: 20_000))
    figures.append(Figure(key: "check.dir_wall_s", label: "templatec check DIR, \(count) files, wall time",
                          value: wall, unit: "s", higherIsBetter: false, goal: 1.0))

    let one = dir.appendingPathComponent("one.sql")
    _ = FileManager.default.createFile(atPath: one.path, contents: Data(Corpus.templates(1)[0].1.utf8))
    _ = runTimed(binary, ["check", one.path])
    let runs = (0..<50).map { _ in runTimed(binary, ["check", one.path]).0 * 1000 }
    figures.append(Figure(key: "check.one_file_ms", label: "templatec check FILE, one file (median of 50)",
                          value: median(runs), unit: "ms", higherIsBetter: false, goal: 15))
    return figures
}

// MARK: - report

func loadBaseline() -> [String: Double] {
    guard let data = try? Data(contentsOf: baselineURL),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let values = object["figures"] as? [String: Any] else { return [:] }
    return values.compactMapValues { ($0 as? NSNumber)?.doubleValue }
}

func format(_ v: Double) -> String {
    v >= 100 ? String(Int(v.rounded())) : String(format: "%.2f", v)
}

func report(_ figures: [Figure], writeBaseline: Bool) {
    let baseline = loadBaseline()
    for f in figures {
        var line = "\(f.label): \(format(f.value)) \(f.unit)"
        if let g = f.goal {
            let met = f.higherIsBetter ? f.value >= g : f.value <= g
            line += " (goal \(f.higherIsBetter ? "≥" : "<") \(format(g)): \(met ? "met" : "MISSED"))"
        }
        if let b = baseline[f.key], b > 0 {
            line += ", \(String(format: "%.2f", f.value / b))× baseline \(format(b))"
        }
        print(line)
    }
    guard writeBaseline else { return }
    var merged = baseline
    for f in figures { merged[f.key] = (f.value * 100).rounded() / 100 }
    let machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB"
    let doc: [String: Any] = ["machine": machine, "figures": merged]
    if let data = try? JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys]) {
        try? FileManager.default.createDirectory(at: baselineURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? (data + Data("\n".utf8)).write(to: baselineURL)
        print("baseline written to \(baselineURL.path)")
    }
}

// MARK: - main

let args = Array(CommandLine.arguments.dropFirst())
let writeBaseline = args.contains("--write-baseline")
let what = args.first { !$0.hasPrefix("-") } ?? "all"
guard ["check", "render", "match", "match-log", "sync", "remote", "listen", "catalog", "lsp", "all"].contains(what) else {
    print("usage: templatec-bench [check|render|match|match-log|sync|remote|listen|catalog|lsp|all] [--write-baseline] [--mb N]")
    exit(2)
}
#if DEBUG
print("note: a debug build; figures are meaningful only with `swift run -c release templatec-bench`")
#endif
var figures: [Figure] = []
if what == "check" || what == "all" {
    figures += benchAnalyzer()
    figures += benchCheckCommand()
}
if what == "render" || what == "all" {
    for line in RenderBenchmark.run() { print(line) }
}
if what == "match" || what == "all" {
    for line in MatchBenchmark.run() { print(line) }
    figures += MatchBenchmark.logFigures(megabytes: 256)
}
if what == "match-log" {
    let mb = args.firstIndex(of: "--mb").flatMap { $0 + 1 < args.count ? Int(args[$0 + 1]) : nil } ?? 1024
    figures += MatchBenchmark.logFigures(megabytes: mb)
}
if what == "sync" || what == "all" {
    for line in SyncBenchmark.run() { print(line) }
}
if what == "remote" || what == "all" {
    for line in RemoteSyncBenchmark.run() { print(line) }
}
if what == "listen" || what == "all" {
    for line in ListenBenchmark.run() { print(line) }
}
if what == "catalog" || what == "all" {
    for line in CatalogSyncBenchmark.run() { print(line) }
}
if what == "lsp" || what == "all" {
    for line in LSPBenchmark.run() { print(line) }
}
report(figures, writeBaseline: writeBaseline)
