/// Inline suppressions and configured severities, applied after every rule has run.
///
/// - `-- templatec: ignore[CODE,…] reason` in the template's leading comments silences the codes
///   for the whole template (the `Directive` scanner collects those);
/// - the same comment anywhere else silences them in the next statement;
/// - a suppression that silences nothing is reported (STM430), so stale ones do not pile up;
/// - then `ContextSettings.ruleLevels` drops (`off`) or re-grades codes.
public enum Suppressions {
    struct Entry {
        var codes: [String]
        var span: Span
        /// The template bytes it covers.
        var scope: Span
        var used = false
    }

    public static func apply(_ diagnostics: [Diagnostic], template: Template, directive: Directive,
                             settings: ContextSettings) -> [Diagnostic] {
        var entries = directive.ignores.map { Entry(codes: $0.codes, span: $0.span, scope: Span(0, template.text.count)) }
        entries += inlineEntries(template)
        var kept: [Diagnostic] = []
        kept.reserveCapacity(diagnostics.count)
        if entries.isEmpty {
            kept = diagnostics
        } else {
            for d in diagnostics {
                var suppressed = false
                for k in entries.indices where entries[k].codes.contains(d.code) && entries[k].scope.contains(d.span.start) {
                    entries[k].used = true
                    suppressed = true
                }
                if !suppressed { kept.append(d) }
            }
            for e in entries where !e.used {
                let codes = e.codes.joined(separator: ", ")
                let unknown = e.codes.filter { DiagnosticCatalog.code($0) == nil }
                let why = unknown.isEmpty
                    ? "nothing here reports \(codes)"
                    : "\(unknown.joined(separator: ", ")) is no templatec code"
                kept.append(Diagnostic(.unusedSuppression, "this suppression silences nothing (\(why)): remove it", at: e.span))
            }
        }
        guard !settings.ruleLevels.isEmpty else { return kept }
        return kept.compactMap { d in
            guard let level = settings.ruleLevels[d.code] else { return d }
            guard let severity = level.severity else { return nil }
            var r = d
            r.severity = severity
            return r
        }
    }

    /// `templatec: ignore[…]` comments after the first statement has started: each covers the
    /// next statement that holds SQL.
    static func inlineEntries(_ template: Template) -> [Entry] {
        let tokens = template.tokens
        guard let firstSQL = tokens.firstIndex(where: { !$0.kind.isTrivia }) else { return [] }
        var out: [Entry] = []
        let text = template.text
        for i in (firstSQL + 1)..<tokens.count {
            let t = tokens[i]
            guard t.kind == .lineComment || t.kind == .blockComment, t.span.length > 12 else { continue }
            var bodyStart = t.span.start
            var bodyEnd = t.span.end
            if t.kind == .blockComment {
                bodyStart += 2
                bodyEnd = max(bodyStart, bodyEnd - 2)
            } else {
                // `--`, `//` or `#`.
                bodyStart += text[bodyStart] == UInt8(ascii: "#") ? 1 : 2
            }
            var parsed = Directive()
            parsed.parseComment(text, bodyStart, bodyEnd)
            guard !parsed.ignores.isEmpty else { continue }
            let next = template.statements.first { !$0.isEmpty && $0.span.start >= t.span.end }
            let scope = next.map { Span($0.span.start, max($0.span.end, $0.span.start + 1)) } ?? Span(t.span.end, t.span.end)
            for ignore in parsed.ignores { out.append(Entry(codes: ignore.codes, span: ignore.span, scope: scope)) }
        }
        return out
    }
}

extension Suppressions {
    static let codes: [DiagnosticCode] = [.unusedSuppression]
}

extension DiagnosticCode {
    public static let unusedSuppression = DiagnosticCode(
        "STM430", "unused-suppression", .warning,
        "A `-- templatec: ignore[CODE]` comment that suppresses nothing.",
        "`ignore[CODE] reason` in the leading comments silences CODE for the whole template; elsewhere it silences CODE in the next statement. One that silences nothing is stale (the problem was fixed, or the code is misspelt) and would hide a future finding: remove it.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\n-- templatec: ⟦ignore[CTX205]⟧ staging names\nCOMMENT ON TABLE {schema}.{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\n-- templatec: ignore[CTX205] staging names\nCOMMENT ON TABLE stg_{table} IS {description};"])
}
