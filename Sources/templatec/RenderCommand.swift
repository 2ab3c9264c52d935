import TemplateCompiler
import TemplateWorkspace

/// `templatec render`: render a template (or a compiled artifact) with values, print the SQL.
enum RenderCommand: Command {
    static let name = "render"
    static let summary = "render a template with values and print the SQL (--serve: JSON lines)"
    static let help = """
    Usage: templatec render (PATH | --compiled FILE) [options] (--var NAME=VALUE … | --vars FILE.json)
           templatec render --serve

    Renders a template safely: every value is validated (no NUL, the dialect's length and character
    rules) and escaped for exactly where its placeholder stands. A value that cannot be written
    safely is refused with a message naming the variable, the rule and the limit.

    Options:
      --compiled FILE      render an artifact from `templatec compile` (no parsing)
      --var NAME=VALUE     a value (repeatable): database, schema, table, column, description,
                           owner, tag_key, tag_value
      --tag KEY=VALUE      one tag of the {tags} list (repeatable)
      --vars FILE.json     values as a JSON object; "tags" is [["key", "value"], …]
      --dialect D, --update K[,K], --level L[,L], --set KEY=VALUE, --config FILE
                           as for `templatec compile`
      --serve              read JSON requests from standard input, one per line, and answer
                           each with one JSON line (see docs/rendering.md)
      -h, --help           show this help

    Exit status: 0 rendered, 1 the template has errors or a value was refused, 2 usage error.

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["dialect", "update", "level", "set", "config", "compiled", "var", "vars", "tag"],
                                 flagOptions: ["serve"])
        if args.flag("serve") {
            guard args.positional.isEmpty, args.value("compiled") == nil, args.values("var").isEmpty, args.value("vars") == nil else {
                throw UsageError("--serve takes its templates and values from the requests on standard input")
            }
            return ServeCommand.serve()
        }
        let values = try readValues(args)
        let template: CompiledTemplate
        if let path = args.value("compiled") {
            guard args.positional.isEmpty else { throw UsageError("give a template PATH or --compiled FILE, not both") }
            let bytes: [UInt8]
            do { bytes = try FileSystem.read(path) } catch { throw UsageError("\(path): cannot read the compiled template") }
            do {
                template = try CompiledTemplate(jsonText: String(decoding: bytes, as: UTF8.self))
            } catch {
                Output.stderr("templatec render: \(path): \(error.code): \(error.message)\n")
                return ExitStatus.findings
            }
        } else {
            let flags = try CheckCommand.flagSettings(args)
            let file = try TemplateFile.analyze(args.positional, command: name, flags: flags, configPath: args.value("config"))
            guard let compiled = Compiler.compile(file.analysis) else {
                TemplateFile.printDiagnostics(file)
                return ExitStatus.findings
            }
            template = compiled
        }
        do {
            Output.stdout(try template.render(values))
            return ExitStatus.ok
        } catch {
            Output.stderr("templatec render: error[\(error.code)]: \(error.message)\n")
            return ExitStatus.findings
        }
    }

    /// Values from --var, --tag and --vars; unknown names are usage errors with a suggestion.
    static func readValues(_ args: Arguments) throws -> RenderValues {
        var values = RenderValues()
        if let path = args.value("vars") {
            let bytes: [UInt8]
            do { bytes = try FileSystem.read(path) } catch { throw UsageError("\(path): cannot read the values file") }
            let json: JSONDocument
            do { json = try JSONDocument.parse(bytes) } catch { throw UsageError("\(path): \(error)") }
            do {
                values = try RenderValues(json: json)
            } catch {
                throw UsageError("\(path): \(error.message)")
            }
        }
        for kv in args.values("var") {
            guard let eq = kv.firstIndex(of: "=") else { throw UsageError("--var takes NAME=VALUE, got `\(kv)`") }
            let name = String(kv[..<eq])
            guard let v = Variable(name: name), v != .tags else {
                if name == "tags" { throw UsageError("give {tags} with --tag KEY=VALUE (repeatable) or \"tags\" in --vars") }
                let hint = Variable.suggestion(for: name).map { " (did you mean `\($0.0.rawValue)`?)" } ?? ""
                throw UsageError("unknown variable `\(name)`\(hint): the variables are \(Variable.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            values[v] = String(kv[kv.index(after: eq)...])
        }
        for kv in args.values("tag") {
            guard let eq = kv.firstIndex(of: "=") else { throw UsageError("--tag takes KEY=VALUE, got `\(kv)`") }
            values.tags.append((String(kv[..<eq]), String(kv[kv.index(after: eq)...])))
        }
        return values
    }
}
