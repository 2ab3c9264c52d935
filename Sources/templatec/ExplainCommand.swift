import TemplateCompiler

/// `templatec explain CODE`: one code's page (summary, why, examples, fix). An unknown code is a
/// usage error with the closest known code suggested.
enum ExplainCommand: Command {
    static let name = "explain"
    static let summary = "explain a diagnostic code, with examples"
    static let help = """
    Usage: templatec explain CODE

    Prints what CODE reports, why it matters, a template that triggers it (and what templatec
    reports for it), one that does not, and the fix. CODE is an id (TPL009) or a name
    (unknown-variable), in any case. `templatec rules` lists every code.

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: [], flagOptions: [])
        guard args.positional.count == 1 else {
            throw UsageError(args.positional.isEmpty ? "which code? e.g. `templatec explain TPL009`" : "explain takes one code")
        }
        let wanted = args.positional[0]
        guard let code = DiagnosticCatalog.code(wanted) else {
            // `closest` compares lowercased text.
            let ids = DiagnosticCatalog.all.map { $0.id.lowercased() }
            let names = DiagnosticCatalog.all.map(\.name)
            let hint = closest(wanted, among: ids).map { $0.uppercased() } ?? closest(wanted, among: names)
            throw UsageError("unknown code `\(wanted)`\(hint.map { " (did you mean `\($0)`?)" } ?? ""): `templatec rules` lists every code")
        }
        Output.stdout(RuleDocumentation.explanation(code))
        return ExitStatus.ok
    }
}
