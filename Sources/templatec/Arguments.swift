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
                let hint = closestOption(name, known)
                throw UsageError("unknown option `\(a)`\(hint.map { " (did you mean --\($0)?)" } ?? "")")
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }
    func value(_ name: String) -> String? { options[name]?.last }
    func values(_ name: String) -> [String] { options[name] ?? [] }
}

private func closestOption(_ name: String, _ known: [String]) -> String? {
    known.min { distance($0, name) < distance($1, name) }.flatMap { distance($0, name) <= 2 ? $0 : nil }
}

private func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var prev = Array(0...b.count)
    for i in 1...a.count {
        var cur = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
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
