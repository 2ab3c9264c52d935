import Dispatch
import TemplateCompiler
import TemplateWorkspace

/// `templatec check`: lint templates, print diagnostics, exit 0/1/2.
enum CheckCommand: Command {
    static let name = "check"
    static let summary = "check templates and print diagnostics"
    static let help = """
    Usage: templatec check [PATH…] [options]

    Checks SQL templates: files, folders (searched recursively for *.sql and for JSON files that
    embed templates) or `-` for standard input. With no PATH, checks the current folder.

    Options:
      --dialect D          \(DialectID.allNames)
                           (aliases: unitycatalog, timescale, postgresql, tsql, sqlserver, mariadb)
      --update K[,K]       update kinds the templates serve: description, owner, tags
      --level L[,L]        levels: database, schema, table, column
    \(SettingsHelp.setOption)
      --format F           text (default), json, sarif (SARIF 2.1.0), github (Actions annotations)
      --config FILE        use this .templatec.json for every file (default: the nearest one
                           in each file's folder or above)
      --compat collate     also check the templates under the catalog's own f-string rendering
      --fix                apply the safe fixes to the files, then check again
      --unsafe-fixes       with --fix, apply the fixes that change what a template renders too
      --strict             warnings fail the check too (exit 1)
      --quiet              print only errors and warnings, no summary
      -h, --help           show this help

    Settings come from .templatec.json (docs/configuration.md), then the template's directive (`-- templatec: dialect=…
    update=… level=…`), then flags. `-- templatec: ignore[CODE] reason` silences CODE in the next
    statement (in the leading comments: in the whole template). Exit status: 0 no errors (warnings allowed unless --strict), 1 findings,
    2 usage error or unreadable input.

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["dialect", "update", "level", "format", "set", "config", "compat"],
                                 flagOptions: ["strict", "quiet", "fix", "unsafe-fixes"])
        let flags = try flagSettings(args)
        let format = args.value("format") ?? "text"
        guard ["text", "json", "sarif", "github"].contains(format) else {
            throw UsageError("unknown format `\(format)`: use text, json, sarif or github")
        }
        if args.flag("unsafe-fixes") && !args.flag("fix") { throw UsageError("--unsafe-fixes goes with --fix") }
        let paths = args.positional.isEmpty ? ["."] : args.positional
        let (files, missing) = TemplateInputs.expand(paths)
        let resolver = try Workspace.configuration(explicitPath: args.value("config"))
        var configs: [ContextSettings] = []
        configs.reserveCapacity(files.count)
        for f in files { configs.append(try resolver.settings(for: f)) }
        var reports = checkAll(files, configs: configs, flags: flags)
        if args.flag("fix") {
            let notes = applyFixes(&reports, files: files, configs: configs, flags: flags, unsafe: args.flag("unsafe-fixes"))
            for n in notes { format == "text" ? Output.stdout(n) : Output.stderr(n) }
        }

        let summary = Summary(reports, unreadable: missing.count)
        switch format {
        case "json": Output.stdout(JSONFormatter.format(reports, missing: missing, summary: summary))
        case "sarif": Output.stdout(SARIFFormatter.format(reports, missing: missing, cwd: Paths.currentDirectory()))
        case "github": Output.stdout(GitHubFormatter.format(reports, missing: missing))
        default:
            let color = Output.useColor(fd: 1)
            Output.stdout(TextFormatter.format(reports, color: color, quiet: args.flag("quiet")))
            for m in missing { Output.stderr("templatec check: \(m)\n") }
            if !args.flag("quiet") { Output.stdout(TextFormatter.summaryLine(summary, color: color)) }
        }
        if summary.unreadable > 0 { return ExitStatus.usage }
        if summary.errors > 0 || (args.flag("strict") && summary.warnings > 0) { return ExitStatus.findings }
        return ExitStatus.ok
    }

    /// Settings given by flags, which win over directives and configuration.
    static func flagSettings(_ args: Arguments) throws(UsageError) -> ContextSettings {
        var s = ContextSettings()
        for key in ["dialect", "update", "level", "compat"] {
            if let v = args.value(key), let problem = s.set(key, v.split(separator: ",").map(String.init)) {
                throw UsageError("--\(key): \(problem)")
            }
        }
        for kv in args.values("set") {
            guard let eq = kv.firstIndex(of: "=") else { throw UsageError("--set takes KEY=VALUE, got `\(kv)`") }
            if let problem = s.set(String(kv[..<eq]), kv[kv.index(after: eq)...].split(separator: ",").map(String.init)) {
                throw UsageError("--set: \(problem)")
            }
        }
        return s
    }

    /// Loads and analyses every file, on all cores; results keep the input order.
    static func checkAll(_ files: [String], configs: [ContextSettings], flags: ContextSettings) -> [FileReport] {
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<FileReport?>.allocate(capacity: files.count)
        results.initialize(repeating: nil)
        defer { _ = results.deinitialize(); results.deallocate() }
        // Each iteration writes only its own slot.
        let work: @Sendable (Int) -> Void = { i in
            let input = TemplateInputs.load(files[i])
            let analyses = input.templates.enumerated().map { k, source in
                TemplateCheck.analyze(source, embedded: input.embeddedSettings[k], config: configs[i], flags: flags)
            }
            results[i] = FileReport(path: input.path, analyses: analyses, readError: input.readError)
        }
        if files.count < 64 {
            for i in files.indices { work(i) }
        } else {
            DispatchQueue.concurrentPerform(iterations: files.count) { i in work(i) }
        }
        return results.map { $0! }
    }
}

extension CheckCommand {
    /// `--fix`: applies the fixes, writes the files, checks the changed files again (their
    /// reports replace the old ones) and returns one line per changed file.
    static func applyFixes(_ reports: inout [FileReport], files: [String], configs: [ContextSettings],
                           flags: ContextSettings, unsafe: Bool) -> [String] {
        var notes: [String] = []
        var changed: [Int] = []
        for (i, report) in reports.enumerated() where report.readError == nil && report.path != "-" {
            let plan = FixApplier.plan(report, includeUnsafe: unsafe)
            guard !plan.edits.isEmpty else { continue }
            if let problem = FileSystem.write(report.path, FixApplier.apply(plan)) {
                notes.append("\(report.path): could not write the fixes: \(problem)\n")
                continue
            }
            changed.append(i)
            let count = plan.applied.count
            notes.append("\(report.path): fixed \(count) finding\(count == 1 ? "" : "s"):\n" + plan.applied.map { "  \($0)\n" }.joined())
        }
        guard !changed.isEmpty else { return notes }
        let again = checkAll(changed.map { files[$0] }, configs: changed.map { configs[$0] }, flags: flags)
        for (k, i) in changed.enumerated() { reports[i] = again[k] }
        return notes
    }
}

/// The outcome of checking one file.
struct FileReport {
    let path: String
    let analyses: [Analysis]
    let readError: String?
}

struct Summary {
    var files = 0, errors = 0, warnings = 0, infos = 0, unreadable = 0

    init(_ reports: [FileReport], unreadable: Int) {
        files = reports.count
        self.unreadable = unreadable
        for r in reports {
            if r.readError != nil { self.unreadable += 1 }
            for a in r.analyses {
                for d in a.diagnostics {
                    switch d.severity {
                    case .error: errors += 1
                    case .warning: warnings += 1
                    case .info: infos += 1
                    }
                }
            }
        }
    }
}
