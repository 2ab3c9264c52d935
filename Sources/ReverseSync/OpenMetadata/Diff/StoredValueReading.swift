import TemplateCompiler

/// How a template's result can be read back from what the database stores, so a batch sync can
/// tell whether the catalog's value is already there.
///
/// A template that inserts the value whole (`IS {description}`, `OWNER TO {owner}`: the
/// placeholder bare, rendered as one complete literal or name) stores exactly the value: the
/// stored text is the catalog's raw value. A template that wraps it (`IS 'Synced: {description}'`)
/// stores something else: the value is read back out through the compiled template run backwards
/// (`CompiledTemplate.storedValue`, docs/match.md), so an object whose stored comment is
/// `Synced: X` is unchanged when the catalog says `X`. A template that cannot be read back (it
/// does not compile, or the variable stands nowhere a stored value can be read) is `unknown`: its
/// operations are written every run, and the summary says so.
enum StoredValueReading {
    /// The database stores the value itself.
    case whole
    /// The database stores the template's text around the value.
    case through(CompiledTemplate)
    /// The stored text cannot be read back through the template.
    case unknown

    var isReadable: Bool {
        if case .unknown = self { return false }
        return true
    }

    /// The value `stored` holds through this reading, or nil when it holds none (no comment, or
    /// text the template does not produce: a comment written by hand, which differs).
    func value(of variable: Variable, in stored: String?, names: [Variable: String]) -> String? {
        switch self {
        case .whole: return stored ?? ""
        case .unknown: return nil
        case .through(let template):
            guard let stored else { return nil }
            if case .success(let value) = template.storedValue(of: variable, in: stored, given: RenderValues(names)) { return value }
            return nil
        }
    }

    /// The reading of `template` (nil: the connector's default, which inserts values whole) for
    /// `variable` at `level`, cached per template text.
    final class Cache {
        private var known: [Key: StoredValueReading] = [:]
        let dialect: DialectID

        private struct Key: Hashable {
            let text: String
            let variable: Variable
            let update: UpdateKind
            let level: Level
        }

        init(dialect: DialectID) { self.dialect = dialect }

        func reading(of template: String?, _ variable: Variable, _ update: UpdateKind, _ level: Level) -> StoredValueReading {
            guard let template else { return .whole }
            let key = Key(text: template, variable: variable, update: update, level: level)
            if let r = known[key] { return r }
            let analysis = Analyzer.analyze(TemplateSource(path: "channel template", template),
                                            flags: ContextSettings(dialect: dialect, updates: [update], levels: [level]))
            let holes = analysis.template.placeholders.filter { $0.variable == variable }
            let r: StoredValueReading
            if holes.isEmpty {
                r = .unknown
            } else if holes.allSatisfy({ $0.context == .bare }) {
                r = .whole
            } else if let compiled = Compiler.compile(analysis), (try? compiled.matcher()) != nil {
                r = .through(compiled)
            } else {
                r = .unknown
            }
            known[key] = r
            return r
        }
    }
}
