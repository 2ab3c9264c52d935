import TemplateCompiler

/// How a template's result can be read back from what the database stores, so a batch sync can
/// tell whether the catalog's value is already there.
///
/// A template that inserts the value whole (`IS {description}`, `OWNER TO {owner}`: the
/// placeholder bare, rendered as one complete literal or name) stores exactly the value: the
/// stored text is compared with the catalog's raw value. A template that wraps it
/// (`IS 'Synced: {description}'`) stores something else, and reading the value back out needs the
/// template run backwards (`CompiledTemplate.match`, being built in the core). Until then such
/// templates are `unknown`: the diff writes their operations every run, and says so.
///
/// The seam: `reading(of:)` is the one place that decides; when `match` lands, `.unknown` becomes
/// `.pattern(compiled)` and `CatalogDiff.differs` extracts the value with it.
enum StoredValueReading: Equatable {
    /// The database stores the value itself.
    case whole
    /// The stored text cannot (yet) be read back through the template.
    case unknown

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
            let r: StoredValueReading = !holes.isEmpty && holes.allSatisfy { $0.context == .bare } ? .whole : .unknown
            known[key] = r
            return r
        }
    }
}
