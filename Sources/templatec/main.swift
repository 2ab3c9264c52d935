#if canImport(Glibc)
import Glibc
#endif

/// Entry point: dispatch to a subcommand. Every failure is a message and an exit status, never a
/// crash or a stack trace.
func runMain() -> Int32 {
    let args = Array(CommandLine.arguments.dropFirst())
    guard let first = args.first else {
        Output.stderr(Commands.usage)
        return ExitStatus.usage
    }
    if first == "--help" || first == "-h" || first == "help" {
        // `templatec help check` is `templatec check --help`.
        if first == "help", args.count > 1 {
            guard let command = Commands.all.first(where: { $0.name == args[1] }) else {
                Output.stderr("templatec help: unknown command `\(args[1])`\n\n" + Commands.usage)
                return ExitStatus.usage
            }
            Output.stdout(command.help)
            return ExitStatus.ok
        }
        Output.stdout(Commands.usage)
        return ExitStatus.ok
    }
    if first == "--version" {
        Output.stdout("templatec \(Version.string)\n")
        return ExitStatus.ok
    }
    guard let command = Commands.all.first(where: { $0.name == first }) else {
        let hint = Commands.all.map(\.name).first { $0.hasPrefix(String(first.prefix(3))) }
        Output.stderr("templatec: unknown command `\(first)`\(hint.map { " (did you mean `\($0)`?)" } ?? "")\n\n" + Commands.usage)
        return ExitStatus.usage
    }
    let rest = Array(args.dropFirst())
    if rest.contains("--help") || rest.contains("-h") {
        Output.stdout(command.help)
        return ExitStatus.ok
    }
    do {
        return try command.run(rest)
    } catch let error as UsageError {
        Output.stderr("templatec \(command.name): \(error.message)\nRun `templatec \(command.name) --help` for usage.\n")
        return ExitStatus.usage
    } catch {
        Output.stderr("templatec \(command.name): \(error)\n")
        return ExitStatus.findings
    }
}

enum Version {
    static let string = "0.1.0"
}

let status = runMain()
Output.flush()
exit(status)
