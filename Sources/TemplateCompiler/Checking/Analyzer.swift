/// The result of checking one template: the AST, the resolved settings and context, and every
/// diagnostic, sorted by position.
public struct Analysis: Sendable {
    public let template: Template
    public let settings: ContextSettings
    public let context: UpdateContext
    public let diagnostics: [Diagnostic]
    public let directive: Directive

    public var dialect: Dialect { template.dialect }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The same analysis with other findings (the workspace merges the analyses of a template
    /// that serves several updates one by one).
    public func replacingDiagnostics(_ diagnostics: [Diagnostic]) -> Analysis {
        Analysis(template: template, settings: settings, context: context, diagnostics: diagnostics, directive: directive)
    }
}

/// Lex, parse and check a template: the pure core of `templatec check`.
public enum Analyzer {
    /// - Parameters:
    ///   - config: settings from configuration (lowest priority).
    ///   - flags: settings from the command line or the embedding channel (highest priority).
    public static func analyze(_ source: TemplateSource, config: ContextSettings = ContextSettings(),
                               flags: ContextSettings = ContextSettings(), rules: [any Rule] = RuleSet.all) -> Analysis {
        var diagnostics: [Diagnostic] = []
        let directive = Directive.scan(source.text)
        var fromDirective = ContextSettings()
        for setting in directive.settings {
            if let problem = fromDirective.set(setting.key, setting.values) {
                diagnostics.append(Diagnostic(.invalidDirective, "directive: \(problem)", at: setting.span))
            }
        }
        let settings = config.overlaid(by: fromDirective).overlaid(by: flags)
        let dialectID: DialectID
        if let id = settings.dialect {
            dialectID = id
        } else {
            dialectID = .postgres
            diagnostics.append(Diagnostic(
                .noDialect,
                "no dialect given: checked with PostgreSQL's rules; name it with `-- templatec: dialect=…`, `--dialect` or .templatec.json",
                at: Span(0, 0)))
        }
        let dialect = Dialect.named(dialectID, options: settings.dialectOptions)
        let template = Parser.parse(source, dialect: dialect)
        diagnostics += template.lexed.diagnostics

        let context = resolveContext(template, settings, &diagnostics)
        let input = RuleInput(template: template, context: context, settings: settings)
        for rule in rules { rule.check(input, into: &diagnostics) }
        diagnostics = FollowOnFindings.apply(diagnostics, template: template)
        diagnostics = Suppressions.apply(diagnostics, template: template, directive: directive, settings: settings)
        diagnostics.sort { $0.span.start != $1.span.start ? $0.span.start < $1.span.start : $0.code < $1.code }
        capRepeats(&diagnostics)
        return Analysis(template: template, settings: settings, context: context, diagnostics: diagnostics, directive: directive)
    }

    /// At most this many diagnostics of one code per template: past it, one summary diagnostic says
    /// how many more there are. Hostile input (40,000 stray braces) stays readable and fast.
    public static let maximumPerCode = 100

    /// The codes `analyze` itself reports.
    static let codes: [DiagnosticCode] = [.contextInferred, .noDialect, .invalidDirective]

    static func capRepeats(_ diagnostics: inout [Diagnostic]) {
        guard diagnostics.count > maximumPerCode else { return }
        var counts: [String: Int] = [:]
        var kept: [Diagnostic] = []
        var lastOfCode: [String: Diagnostic] = [:]
        for d in diagnostics {
            let c = counts[d.code, default: 0] + 1
            counts[d.code] = c
            if c <= maximumPerCode { kept.append(d) } else { lastOfCode[d.code] = d }
        }
        for (code, last) in lastOfCode.sorted(by: { $0.key < $1.key }) {
            let more = counts[code]! - maximumPerCode
            var summary = last
            summary.message = "\(more) more \(code) finding\(more == 1 ? "" : "s") in this template, not shown; the last is here: \(last.message)"
            summary.fixes = []
            kept.append(summary)
        }
        diagnostics = kept
    }

    /// The declared update context, or one inferred from the classified statements, or else from the
    /// variables used. An inference is reported (CTX200) so users can make it explicit.
    static func resolveContext(_ template: Template, _ settings: ContextSettings, _ diagnostics: inout [Diagnostic]) -> UpdateContext {
        if let u = settings.updates, let l = settings.levels {
            return UpdateContext(updates: Array(u), levels: Array(l), inferred: false)
        }
        let classified = template.statements.compactMap(\.classification)
        var updates = Set(classified.map(\.kind.update))
        var levels = Set(classified.map(\.level))
        var basis = classified.isEmpty ? "" : "its statements"
        if updates.isEmpty || levels.isEmpty {
            // Fall back on the variables: {description} means a description update, and the
            // deepest name variable gives the level.
            let variables = Set(template.placeholders.compactMap(\.variable))
            if updates.isEmpty { updates = Set(variables.compactMap(\.update)) }
            if levels.isEmpty {
                let deepest = variables.compactMap(\.minimumLevel).max()
                    ?? (variables.contains(.database) ? Level.database : nil)
                if let d = deepest { levels = [d] }
            }
            if !updates.isEmpty || !levels.isEmpty { basis = basis.isEmpty ? "the variables it uses" : basis + " and variables" }
        }
        let context = UpdateContext(updates: Array(settings.updates ?? updates), levels: Array(settings.levels ?? levels), inferred: true)
        if context.isKnown {
            let start = template.statements.first { !$0.isEmpty }?.span.start ?? 0
            diagnostics.append(Diagnostic(
                .contextInferred,
                "update context inferred from \(basis): \(context.summary); declare it with `-- templatec: \(context.summary)` to check against it",
                at: Span(start, start)))
        }
        return context
    }
}

// MARK: - The codes the analyzer itself reports: the directive, the dialect, the inferred context

extension DiagnosticCode {
    public static let contextInferred = DiagnosticCode(
        "CTX200", "context-inferred", .info,
        "The update context (update kinds, levels) was inferred, not declared.",
        "Without a directive, flags or config, templatec infers which updates and levels a template serves from its statements (or its variables). Declaring it makes every other check exact: `-- templatec: dialect=postgres update=description level=table`.",
        triggering: ["-- templatec: dialect=postgres\n⟦⟧COMMENT ON TABLE {schema}.{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};"])

    public static let noDialect = DiagnosticCode(
        "CTX209", "no-dialect", .warning,
        "No dialect was given for the template.",
        "Quoting, escaping and comments differ by dialect, so without one templatec checks with PostgreSQL's rules. Name it in a directive (`-- templatec: dialect=snowflake`), with `--dialect`, or in `.templatec.json`.",
        triggering: ["⟦⟧COMMENT ON TABLE {table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres\nCOMMENT ON TABLE {table} IS {description};"])

    public static let invalidDirective = DiagnosticCode(
        "CTX210", "invalid-directive", .error,
        "A `-- templatec:` directive with an unknown key or value.",
        "Directives take `dialect=`, `update=` (description, owner, tags), `level=` (database, schema, table, column) and dialect options; values are comma-separated.",
        triggering: ["-- templatec: ⟦dialect=postgress⟧\nCOMMENT ON TABLE {table} IS {description};",
                     "-- templatec: dialect=postgres ⟦level=row⟧\nCOMMENT ON TABLE {table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=column quote_identifiers=always standard_conforming_strings=off\nCOMMENT ON COLUMN {table}.{column} IS {description};"])
}
