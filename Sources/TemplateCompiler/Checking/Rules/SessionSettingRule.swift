/// STM412: a statement that changes a setting the sync engine pins in its session (docs/sync.md,
/// "The session contract"). Run after the pins, it would make every later value be read
/// differently from how it was escaped (`SET standard_conforming_strings = off` makes `\'` end
/// a literal), so `check` and `sync` refuse it. Only words outside literals and comments count:
/// a description that mentions `sql_mode` is text.
public struct SessionSettingRule: Rule {
    public static let codes: [DiagnosticCode] = [.sessionSettingChange]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        guard let settings = SessionSettings.pinned[input.dialect.id] else { return }
        for s in input.sqlStatements {
            let words = input.significantTokens(s).filter { input.template.tokens[$0].kind == .word }
            let upper = words.map { input.upperWord($0) }
            for (n, word) in upper.enumerated() {
                let named = settings.names.contains(word) ? word
                    : settings.phrases.first { phrase in Array(upper[n...].prefix(phrase.count)) == phrase }?.joined(separator: " ")
                guard let named else { continue }
                let span = input.template.tokens[words[n]].span
                let shown = settings.names.contains(word) ? String(decoding: input.template.text[span.start..<span.end], as: UTF8.self) : named
                diagnostics.append(Diagnostic(
                    .sessionSettingChange,
                    "`\(shown)` changes a setting that templatec's \(input.dialect.displayName) sessions pin for the escaping to be right: values after it would be read differently from how they were escaped; remove this statement",
                    at: span))
                break
            }
        }
    }
}

/// The settings the executors pin, per dialect, as the words that change them.
enum SessionSettings {
    /// Setting (or function) names, upper case, and multi-word forms (`SET NAMES`).
    struct Words {
        var names: Set<String>
        var phrases: [[String]]
    }

    static let postgres = Words(
        names: ["STANDARD_CONFORMING_STRINGS", "CLIENT_ENCODING", "SET_CONFIG", "STATEMENT_TIMEOUT", "LOCK_TIMEOUT"],
        phrases: [["SET", "NAMES"], ["RESET", "ALL"], ["SET", "SESSION", "AUTHORIZATION"]])

    static let pinned: [DialectID: Words] = [
        .postgres: postgres,
        .redshift: postgres,
        .mysql: Words(
            names: ["SQL_MODE", "CHARACTER_SET_CLIENT", "CHARACTER_SET_CONNECTION", "CHARACTER_SET_RESULTS", "COLLATION_CONNECTION",
                    "MAX_STATEMENT_TIME", "LOCK_WAIT_TIMEOUT"],
            phrases: [["SET", "NAMES"], ["SET", "CHARACTER", "SET"], ["SET", "CHARSET"], ["SET", "CHAR", "SET"]]),
        .clickhouse: Words(names: ["MAX_EXECUTION_TIME"], phrases: []),
    ]
}
