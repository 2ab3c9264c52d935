/// One cause gets one finding, and no fix is offered where the text's meaning is unknown.
///
/// Two kinds of error make later findings unreliable:
/// - an unterminated string, identifier, comment or dollar quote swallows the rest of the
///   template: what follows it is not the SQL the author wrote, so findings in the statements it
///   reaches are guesses, and a fix there (a CTX203 "write `{{schema}}`" for a placeholder that is
///   only "inside a comment" because the comment was never closed) would make the template worse;
/// - a malformed or misspelt placeholder (`{tabel}`, `{table IS`, `{description:>10}`) is reported
///   by its own TPL code; the statement rules that then miss `{table}` or `{description}`
///   (STM401, STM402, STM403, STM404, STM409) report the same mistake a second time.
enum FollowOnFindings {
    /// The lexical errors after which the rest of the template is uncertain.
    static let unterminated: Set<String> = [
        DiagnosticCode.unterminatedString.id, DiagnosticCode.unterminatedIdentifier.id,
        DiagnosticCode.unterminatedComment.id, DiagnosticCode.unterminatedDollarQuote.id,
    ]

    /// Findings that are derived from the structure of the text, which an unterminated construct
    /// makes unknown. The template language's own codes (TPL, LEX) and the directive's (CTX209,
    /// CTX210) stand on their own.
    static func isDerived(_ code: String) -> Bool {
        code.hasPrefix("STM") || (code.hasPrefix("CTX") && code != DiagnosticCode.noDialect.id
            && code != DiagnosticCode.invalidDirective.id)
    }

    /// Statement findings a malformed placeholder in the same statement explains.
    static let explainedByPlaceholder: Set<String> = [
        DiagnosticCode.statementNotVerified.id, DiagnosticCode.statementLevelMismatch.id,
        DiagnosticCode.targetIncomplete.id, DiagnosticCode.updateKindMismatch.id,
        DiagnosticCode.unusedUpdateContext.id,
    ]

    /// Mistakes recognised in a statement that matches no form: they say what is wrong with it,
    /// so the note that it is unverified (STM401) would only repeat that.
    static let explainsUnverified: Set<String> = [
        DiagnosticCode.ownerAsString.id, DiagnosticCode.descriptionAsIdentifier.id, DiagnosticCode.expressionValue.id,
    ]

    static func isPlaceholderError(_ d: Diagnostic) -> Bool { d.code.hasPrefix("TPL") && d.severity == .error }

    static func apply(_ diagnostics: [Diagnostic], template: Template) -> [Diagnostic] {
        let uncertainFrom = diagnostics.filter { unterminated.contains($0.code) }.map(\.span.start).min()
        let statements = template.statements
        // The statement a finding belongs to: the one whose span holds its start. Statements are in
        // text order, so a binary search keeps hostile input (thousands of findings) fast.
        func statement(of d: Diagnostic) -> Statement? {
            var low = 0, high = statements.count
            while low < high {
                let mid = (low + high) / 2
                if statements[mid].span.start <= d.span.start { low = mid + 1 } else { high = mid }
            }
            guard low > 0 else { return nil }
            let s = statements[low - 1]
            return s.span.contains(d.span.start) || s.span.start == d.span.start ? s : nil
        }
        let placeholderErrors = diagnostics.filter(isPlaceholderError)
        let statementsWithPlaceholderErrors = Set(placeholderErrors.compactMap { statement(of: $0)?.index })
        let statementsWithMistakes = Set(diagnostics.filter { explainsUnverified.contains($0.code) }.compactMap { statement(of: $0)?.index })
        var kept: [Diagnostic] = []
        kept.reserveCapacity(diagnostics.count)
        for var d in diagnostics {
            let s = statement(of: d)
            if let from = uncertainFrom {
                let reachesRegion = max(d.span.end, s?.span.end ?? 0) > from
                if isDerived(d.code), reachesRegion || d.code == DiagnosticCode.emptyTemplate.id { continue }
                if !unterminated.contains(d.code) {
                    d.fixes.removeAll { fix in fix.edits.contains { $0.span.end > from || $0.span.start >= from } }
                }
            }
            if explainedByPlaceholder.contains(d.code), let s, statementsWithPlaceholderErrors.contains(s.index) { continue }
            if d.code == DiagnosticCode.statementNotVerified.id, let s, statementsWithMistakes.contains(s.index) { continue }
            // STM409 is about the whole template: a broken `{description:>10}` anywhere explains it.
            if d.code == DiagnosticCode.unusedUpdateContext.id, !placeholderErrors.isEmpty { continue }
            kept.append(d)
        }
        return kept
    }
}
