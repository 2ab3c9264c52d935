import TemplateCompiler
import TemplateWorkspace

/// Checks and compiles templates once per (text, update, level): custom templates are analysed
/// against the connector's dialect and the operation's real context before anything runs, with
/// the `.templatec.json` settings `check` gives the file that holds them, so `check` passes
/// exactly what runs here. Their errors point at `file:line:col` in that file, as `check`'s do.
final class TemplateLibrary {
    struct Ready {
        let compiled: CompiledTemplate
        let usesTags: Bool
        let variables: Set<Variable>
    }

    private struct Key: Hashable {
        let text: String
        /// Where the template is (the same text in two files may get two configurations).
        let path: String
        let update: UpdateKind
        let level: Level
        let custom: Bool
    }

    let connector: Connector
    /// The session's options (`SQLExecutor.session`): every template is compiled with exactly these.
    let options: DialectOptions
    /// The workspace configuration of the files templates come from; nil: none.
    let configuration: ConfigResolver?
    private var cache: [Key: Result<Ready, TemplateProblem>] = [:]

    init(connector: Connector, options: DialectOptions = .default, configuration: ConfigResolver? = nil) {
        self.connector = connector
        self.options = options
        self.configuration = configuration
    }

    /// Flags that pin the session's options over any directive or default (flags come last).
    private func sessionFlags(_ flags: ContextSettings) -> ContextSettings {
        var flags = flags
        flags.standardConformingStrings = options.standardConformingStrings
        flags.noBackslashEscapes = options.noBackslashEscapes
        return flags
    }

    struct TemplateProblem: Error { let message: String }

    /// A custom template (operation's or channel's), checked as the connector's dialect for
    /// exactly this update and level.
    func custom(_ source: TemplateSource, label: String, _ update: UpdateKind, _ level: Level) -> Result<Ready, TemplateProblem> {
        let key = Key(text: String(decoding: source.text, as: UTF8.self), path: source.path, update: update, level: level, custom: true)
        if let r = cache[key] { return r }
        let flags = ContextSettings(dialect: connector.dialect, updates: [update], levels: [level])
        // The sync command resolved every input's configuration before planning: a failure here
        // cannot happen for its files, and a library user without files gets none.
        let config = (try? configuration?.settings(for: source.path)) ?? ContextSettings()
        let r = prepare(source, config: config, flags: sessionFlags(flags), label: label,
                        imposedBy: "the \(connector.id.rawValue) connector")
        cache[key] = r
        return r
    }

    /// A built-in default: its directive declares the context.
    func builtIn(_ t: DefaultTemplate) -> Result<Ready, TemplateProblem> {
        let key = Key(text: t.text, path: "", update: t.update, level: t.level, custom: false)
        if let r = cache[key] { return r }
        let r = prepare(TemplateSource(path: "default \(connector.id.rawValue) \(t.update.rawValue) \(t.level.rawValue) \(t.action.rawValue)", t.text),
                        config: ContextSettings(), flags: sessionFlags(ContextSettings()), label: "the default template")
        cache[key] = r
        return r
    }

    private func prepare(_ source: TemplateSource, config: ContextSettings, flags: ContextSettings, label: String,
                         imposedBy: String? = nil) -> Result<Ready, TemplateProblem> {
        let analysis = Analyzer.analyze(source, config: config, flags: flags)
        // A directive the connector or the operation contradicts is an error (CTX212), not a
        // silent override.
        let conflicts = imposedBy.map { DirectiveConflict.diagnostics(analysis.directive, against: flags, imposedBy: $0) } ?? []
        let errors = conflicts + analysis.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            let locator = SourceLocator(source)
            let list = errors.map { d -> String in
                let loc = locator.location(d.span.start)
                return "\(source.path):\(loc.line):\(loc.column): error[\(d.code)]: \(d.message)"
            }
            return .failure(TemplateProblem(message: "\(label) has \(errors.count) error\(errors.count == 1 ? "" : "s") and was not run: " + list.joined(separator: "; ")))
        }
        guard let compiled = Compiler.compile(analysis) else {
            return .failure(TemplateProblem(message: "\(label) could not be compiled"))
        }
        let variables = Set(analysis.template.placeholders.compactMap(\.variable))
        return .success(Ready(compiled: compiled, usesTags: variables.contains(.tags), variables: variables))
    }
}
