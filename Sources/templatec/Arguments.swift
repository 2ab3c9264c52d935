import TemplateCompiler
/// A small command-line parser: `--flag`, `--option value`, `--option=value`, repeated options,
/// positional arguments, `--` to end options. No package dependency, by the user's constraint.
struct Arguments {
    private(set) var positional: [String] = []
    private var options: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Options that take a value; anything else that starts with `--` is a flag.
    init(_ args: [String], valueOptions: Set<String>, flagOptions: Set<String>, shortAliases: [String: String] = [:]) throws(UsageError) {
        var i = 0
        var onlyPositional = false
        while i < args.count {
            var a = args[i]
            i += 1
            if onlyPositional || a == "-" || !a.hasPrefix("-") {
                positional.append(a)
                continue
            }
            if a == "--" { onlyPositional = true; continue }
            if let long = shortAliases[a] { a = long }
            var inlineValue: String? = nil
            if let eq = a.firstIndex(of: "=") {
                inlineValue = String(a[a.index(after: eq)...])
                a = String(a[..<eq])
            }
            let name = String(a.drop { $0 == "-" })
            if valueOptions.contains(name) {
                let value: String
                if let v = inlineValue {
                    value = v
                } else {
                    guard i < args.count else { throw UsageError("option --\(name) needs a value") }
                    value = args[i]
                    i += 1
                }
                options[name, default: []].append(value)
            } else if flagOptions.contains(name) {
                if inlineValue != nil { throw UsageError("option --\(name) takes no value") }
                flags.insert(name)
            } else {
                let known = (valueOptions.union(flagOptions)).sorted()
                let hint = closest(name, among: known)
                throw UsageError("unknown option `\(a)`\(hint.map { " (did you mean --\($0)?)" } ?? "")")
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }
    func value(_ name: String) -> String? { options[name]?.last }
    func values(_ name: String) -> [String] { options[name] ?? [] }
}

/// A usage error: printed with the command's usage line, exit status 2.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Exit statuses of the command-line contract.
enum ExitStatus {
    static let ok: Int32 = 0
    static let findings: Int32 = 1
    static let usage: Int32 = 2
}
