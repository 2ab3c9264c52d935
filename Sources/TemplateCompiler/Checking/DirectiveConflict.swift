/// CTX212: a template's directive says one thing and the place that uses it another.
///
/// Settings from flags win over the directive, which is right for `check --dialect` on a folder,
/// but wrong when the user never chose: the sync renders a channel's or operation's template with
/// its connector's dialect and the operation's update and level, and a template whose directive
/// says `dialect=mysql` would be quoted with PostgreSQL's rules under `sync --connector postgres`.
/// Callers that impose settings (the sync engine's template library) call this after `analyze`.
public enum DirectiveConflict {
    public static let codes: [DiagnosticCode] = [.directiveConflict]

    /// One error per directive setting (dialect, update, level) that `imposed` contradicts.
    /// - Parameter imposedBy: who imposes the settings, for the message (`the postgres connector`).
    public static func diagnostics(_ directive: Directive, against imposed: ContextSettings, imposedBy who: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for setting in directive.settings {
            var declared = ContextSettings()
            guard declared.set(setting.key, setting.values) == nil else { continue }
            let written = "\(setting.key)=\(setting.values.joined(separator: ","))"
            if let d = declared.dialect, let used = imposed.dialect, d != used {
                let usedName = Dialect.named(used).displayName, declaredName = Dialect.named(d).displayName
                out.append(Diagnostic(.directiveConflict,
                    "the directive says `\(written)`, but \(who) renders it as \(usedName): its quoting and escaping would be \(usedName)'s, not \(declaredName)'s; write the template for \(usedName) and its directive `dialect=\(used.rawValue)`, or use it with a \(declaredName) connector",
                    at: setting.span))
            }
            if let d = declared.updates, let used = imposed.updates, !used.isSubset(of: d) {
                out.append(Diagnostic(.directiveConflict,
                    "the directive says `\(written)`, but \(who) uses it for \(used.map(\.rawValue).sorted().joined(separator: ", ")) updates: declare the update it serves, or use the template where that update is made",
                    at: setting.span))
            }
            if let d = declared.levels, let used = imposed.levels, !used.isSubset(of: d) {
                out.append(Diagnostic(.directiveConflict,
                    "the directive says `\(written)`, but \(who) uses it at \(used.map(\.rawValue).sorted().joined(separator: ", ")) level: declare the level it serves, or use the template at its level",
                    at: setting.span))
            }
        }
        return out
    }
}

extension DiagnosticCode {
    public static let directiveConflict = DiagnosticCode(
        "CTX212", "directive-conflict", .error,
        "The template's directive names another dialect, update or level than the one it is used with (`sync --connector postgres` on a `dialect=mysql` template).",
        "The sync renders a custom template with its connector's dialect and the operation's update and level. A directive that says otherwise means the template was written for something else: rendered anyway, its quoting and escaping would follow the wrong rules. Write the template for the connector and fix its directive, or use it with the connector it was written for.",
        triggering: [], nonTriggering: [])
}
