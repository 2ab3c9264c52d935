import TemplateCompiler
import TemplateWorkspace

/// `templatec compile`: check a template, then write its compiled artifact (deterministic JSON).
enum CompileCommand: Command {
    static let name = "compile"
    static let summary = "check a template and write its compiled artifact (JSON)"
    static let help = """
    Usage: templatec compile PATH [options]

    Checks one template (a .sql file, or `-` for standard input) and, when it has no errors, writes
    its compiled form: versioned, deterministic JSON (sorted keys, no timestamps) holding the SQL
    text and the typed holes, each with the escaper chosen from where it stands. Render it with
    `templatec render --compiled FILE` or the library (`CompiledTemplate(jsonText:)`).

    Options:
      --dialect D          \(DialectID.allNames)
      --update K[,K]       update kinds the template serves: description, owner, tags
      --level L[,L]        levels: database, schema, table, column
    \(SettingsHelp.setOption)
      --config FILE        use this .templatec.json (default: the nearest one in the template's
                           folder or above)
      -o, --output FILE    write the artifact to FILE (default: standard output)
      -h, --help           show this help

    Settings come from .templatec.json, then the template's directive, then flags, as for
    `templatec check`: a folder configured for MySQL is compiled as MySQL.

    Exit status: 0 compiled, 1 the template has errors (printed like `templatec check`), 2 usage
    error or unreadable input.

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["dialect", "update", "level", "set", "config", "output"], flagOptions: [],
                                 shortAliases: ["-o": "--output"])
        let flags = try CheckCommand.flagSettings(args)
        let analysis = try TemplateFile.analyze(args.positional, command: name, flags: flags, configPath: args.value("config"))
        guard let compiled = Compiler.compile(analysis.analysis) else {
            TemplateFile.printDiagnostics(analysis)
            return ExitStatus.findings
        }
        let text = compiled.jsonText + "\n"
        if let out = args.value("output") {
            if let problem = FileSystem.write(out, Array(text.utf8)) {
                Output.stderr("templatec compile: cannot write \(out): \(problem)\n")
                return ExitStatus.usage
            }
        } else {
            Output.stdout(text)
        }
        return ExitStatus.ok
    }
}

/// One template read from a path and analysed, for compile and render, with the workspace's
/// configuration as `check` applies it.
struct TemplateFile {
    let path: String
    let analysis: Analysis

    static func analyze(_ positional: [String], command: String, flags: ContextSettings, configPath: String?) throws -> TemplateFile {
        guard positional.count == 1 else {
            throw UsageError(positional.isEmpty ? "give the template file (or `-` for standard input)" : "give one template file, not \(positional.count)")
        }
        let path = positional[0]
        if path != "-" && !FileSystem.exists(path) { throw UsageError("\(path): no such file") }
        let input = TemplateInputs.load(path)
        if let e = input.readError { throw UsageError(e) }
        guard input.templates.count == 1, let source = input.templates.first else {
            throw UsageError("\(path): expected one template, found \(input.templates.count)")
        }
        let settings = input.embeddedSettings.first ?? ContextSettings()
        let config = try Workspace.configuration(explicitPath: configPath).settings(for: path)
        return TemplateFile(path: path, analysis: TemplateCheck.analyze(source, embedded: settings, config: config, flags: flags))
    }

    /// Prints the diagnostics as `templatec check` does.
    static func printDiagnostics(_ f: TemplateFile) {
        let report = FileReport(path: f.path, analyses: [f.analysis], readError: nil)
        Output.stderr(TextFormatter.format([report], color: Output.useColor(fd: 2), quiet: true))
    }
}
