import TemplateCompiler

/// One `templatec` subcommand. Each lives in its own file and is listed in `Commands.all`.
protocol Command: SendableMetatype {
    static var name: String { get }
    /// One line for `templatec --help`.
    static var summary: String { get }
    /// The full `--help` text.
    static var help: String { get }
    /// Runs the command; returns the exit status. Usage errors are thrown.
    static func run(_ args: [String]) throws -> Int32
}

/// A command as the dispatcher sees it (closures rather than `any Command.Type`, which crashes
/// the 6.3 compiler's SILGen when its typed-throwing members are called).
struct CommandEntry: Sendable {
    let name: String
    let summary: String
    let help: String
    let run: @Sendable ([String]) throws -> Int32

    init<C: Command>(_ c: C.Type) {
        name = C.name
        summary = C.summary
        help = C.help
        run = { try C.run($0) }
    }
}

/// Help text shared by the commands that take settings.
enum SettingsHelp {
    /// The `--set KEY=VALUE` option and every key it takes, from `ContextSettings`' table, so
    /// `--help` lists what the binary accepts. Indented for an options list.
    static var setOption: String {
        var s = "  --set KEY=VALUE      a dialect or checking option (repeatable); the keys:\n"
        for line in ContextSettings.optionHelp { s += "                         " + line + "\n" }
        return String(s.dropLast())
    }
}

enum Commands {
    static let all: [CommandEntry] = [
        // In the order of the workflow: lint, compile, render, then sync.
        CommandEntry(CheckCommand.self),
        CommandEntry(CompileCommand.self),
        CommandEntry(RenderCommand.self),
        CommandEntry(MatchCommand.self),
        CommandEntry(DefaultsCommand.self),
        CommandEntry(SyncCommand.self),
        CommandEntry(HistoryCommand.self),
        CommandEntry(ListenCommand.self),
        CommandEntry(RunsCommand.self),
        CommandEntry(RulesCommand.self),
        CommandEntry(ExplainCommand.self),
        CommandEntry(LspCommand.self),
    ]

    static var usage: String {
        var s = """
        templatec: compile, check and render reverse-metadata SQL templates.

        Usage: templatec <command> [options]

        Commands:

        """
        let width = all.map { $0.name.count }.max() ?? 8
        for c in all {
            s += "  " + c.name + String(repeating: " ", count: width - c.name.count + 2) + c.summary + "\n"
        }
        s += "\nRun `templatec <command> --help` (or `templatec help <command>`) for a command's options. Exit status: 0 ok, 1 findings or failures, 2 usage error or unreadable input.\n"
        return s
    }
}
