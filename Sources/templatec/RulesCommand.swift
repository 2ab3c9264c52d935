#if canImport(Glibc)
import Glibc
#endif
import TemplateCompiler
import TemplateWorkspace

/// `templatec rules`: every diagnostic code with its name, severity and summary.
///
/// Two hidden options regenerate the checked-in documentation from the code (tests compare the
/// checked-in files with what these write):
/// `--write-docs DIR` writes `DIR/<ID>.md` for every code and `DIR/README.md`, keeping a page that
/// lacks the generated marker (hand-written); `--write-grammars DIR` writes `DIR/<dialect>.md`.
enum RulesCommand: Command {
    static let name = "rules"
    static let summary = "list every diagnostic code"
    static let help = """
    Usage: templatec rules [--format text|json]

    Lists every diagnostic code templatec can report: id, name, severity and summary.
    `templatec explain CODE` prints one code's page.

    Options:
      --format F   text (default) or json: {"version": 1, "rules": [{"code", "name", "severity", "summary"}]}
      -h, --help   show this help

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["format", "write-docs", "write-grammars"], flagOptions: [])
        if !args.positional.isEmpty { throw UsageError("unexpected argument `\(args.positional[0])`") }
        if let dir = args.value("write-docs") { return writeDocs(dir) }
        if let dir = args.value("write-grammars") { return writeGrammars(dir) }
        let codes = DiagnosticCatalog.all
        switch args.value("format") ?? "text" {
        case "json":
            let rules = codes.map { c in
                JSON.object([("code", .string(c.id)), ("name", .string(c.name)),
                             ("severity", .string(c.severity.rawValue)), ("summary", .string(c.summary))])
            }
            Output.stdout(JSON.object([("version", .int(1)), ("rules", .array(rules))]).render(indent: 2) + "\n")
        case "text":
            let nameWidth = codes.map(\.name.count).max() ?? 0
            let idWidth = codes.map(\.id.count).max() ?? 0
            for c in codes {
                Output.stdout(pad(c.id, idWidth) + "  " + pad(c.name, nameWidth) + "  " + pad(c.severity.rawValue, 7) + "  " + c.summary + "\n")
            }
        case let other:
            throw UsageError("unknown format `\(other)`: use text or json")
        }
        return ExitStatus.ok
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - s.count))
    }

    static func writeDocs(_ dir: String) -> Int32 {
        guard makeDirectory(dir) else { return ExitStatus.usage }
        var written = 0, kept = 0
        for code in DiagnosticCatalog.all {
            let path = dir + "/" + code.id + ".md"
            if let existing = try? FileSystem.read(path),
               !String(decoding: existing, as: UTF8.self).hasPrefix(RuleDocumentation.generatedMarker) {
                kept += 1
                continue
            }
            guard write(path, RuleDocumentation.page(code)) else { return ExitStatus.usage }
            written += 1
        }
        guard write(dir + "/README.md", RuleDocumentation.index()) else { return ExitStatus.usage }
        Output.stdout("wrote \(written) pages and README.md to \(dir)\(kept > 0 ? "; kept \(kept) hand-written pages" : "")\n")
        return ExitStatus.ok
    }

    static func writeGrammars(_ dir: String) -> Int32 {
        guard makeDirectory(dir) else { return ExitStatus.usage }
        for id in DialectID.allCases {
            guard write(dir + "/" + id.rawValue + ".md", GrammarDocument.dialectPage(id)) else { return ExitStatus.usage }
        }
        Output.stdout("wrote \(DialectID.allCases.count) dialect grammars to \(dir)\n")
        return ExitStatus.ok
    }

    static func makeDirectory(_ dir: String) -> Bool {
        if FileSystem.isDirectory(dir) { return true }
        if mkdir(dir, 0o755) != 0 {
            Output.stderr("templatec rules: cannot create \(dir): \(String(cString: strerror(errno)))\n")
            return false
        }
        return true
    }

    static func write(_ path: String, _ text: String) -> Bool {
        if let problem = FileSystem.write(path, Array(text.utf8)) {
            Output.stderr("templatec rules: cannot write \(path): \(problem)\n")
            return false
        }
        return true
    }
}
