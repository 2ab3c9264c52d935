import TemplateCompiler

/// Checks a template as the command that runs it will use it. A `.sql` file is analysed once,
/// with its settings. A template embedded in a pipeline or channel file is also analysed once per
/// update it serves, because `sync` hands it one update at a time and refuses the operation when
/// the template cannot do that update: a description template on a channel that pushes owners
/// too fails every owner operation, so `check` reports it, where an analysis of all updates at
/// once only warns that some go unused.
public enum TemplateCheck {
    /// Findings that speak about the template as a whole: reported only when every update's
    /// analysis reports them (a suppression one update needs is not unused).
    static let wholeTemplateCodes: Set<String> = ["STM430", "STM409"]

    public static func analyze(_ source: TemplateSource, embedded: ContextSettings, config: ContextSettings,
                               flags: ContextSettings) -> Analysis {
        let settings = embedded.overlaid(by: flags)
        let whole = Analyzer.analyze(source, config: config, flags: settings)
        guard case .embedded = source.origin, let updates = settings.updates, updates.count > 1 else { return whole }
        let each = updates.sorted().map { update -> [Diagnostic] in
            var one = settings
            one.updates = [update]
            return Analyzer.analyze(source, config: config, flags: one).diagnostics
        }
        return whole.replacingDiagnostics(merge(each))
    }

    /// The union of the analyses' findings, one per code and span, in source order; whole-template
    /// findings only where all analyses agree.
    static func merge(_ analyses: [[Diagnostic]]) -> [Diagnostic] {
        struct Key: Hashable { let code: String; let span: Span }
        var seen = Set<Key>()
        var merged: [Diagnostic] = []
        for (k, diagnostics) in analyses.enumerated() {
            for d in diagnostics where seen.insert(Key(code: d.code, span: d.span)).inserted {
                if wholeTemplateCodes.contains(d.code) {
                    let everywhere = analyses.indices.allSatisfy { i in
                        i == k || analyses[i].contains { $0.code == d.code && $0.span == d.span }
                    }
                    if !everywhere { continue }
                }
                merged.append(d)
            }
        }
        return merged.sorted { ($0.span.start, $0.span.end) < ($1.span.start, $1.span.end) }
    }
}
