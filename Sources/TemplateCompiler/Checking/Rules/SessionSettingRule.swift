/// STM412: a statement that changes a setting the sync engine pins in its session (docs/sync.md,
/// "The session contract"). Run after the pins, it would make every later value be read
/// differently from how it was escaped (`SET standard_conforming_strings = off` makes `\'` end
/// a literal), so `check` and `sync` refuse it. Only words outside literals and comments count:
/// a description that mentions `sql_mode` is text.
///
/// Settings change in statements that start with `SET` or `RESET` (scanned word by word) or
/// through a function (`set_config(…)`, looked for by length and bytes, without allocating, so a
/// 5 MB statement costs one pass).
public struct SessionSettingRule: Rule {
    public static let codes: [DiagnosticCode] = [.sessionSettingChange]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        guard let settings = input.dialect.pinnedSessionSettings else { return }
        for s in input.sqlStatements {
            let words = input.significantTokens(s).filter { input.template.tokens[$0].kind == .word }
            guard let first = words.first else { continue }
            if ["SET", "RESET"].contains(input.upperWord(first)) {
                let upper = words.map { input.upperWord($0) }
                for (n, word) in upper.enumerated() {
                    if settings.names.contains(word) {
                        report(input, words[n], shown: text(input, words[n]), into: &diagnostics)
                        break
                    }
                    if let phrase = settings.phrases.first(where: { Array(upper[n...].prefix($0.count)) == $0 }) {
                        report(input, words[n], shown: phrase.joined(separator: " "), into: &diagnostics)
                        break
                    }
                }
            } else if let function = words.first(where: { index in settings.functions.contains { Self.equalsIgnoringCase(input, index, $0) } }) {
                report(input, function, shown: text(input, function), into: &diagnostics)
            }
        }
    }

    private func report(_ input: RuleInput, _ token: Int, shown: String, into diagnostics: inout [Diagnostic]) {
        diagnostics.append(Diagnostic(
            .sessionSettingChange,
            "`\(shown)` changes a setting that templatec's \(input.dialect.displayName) sessions pin for the escaping to be right: values after it would be read differently from how they were escaped; remove this statement",
            at: input.template.tokens[token].span))
    }

    private func text(_ input: RuleInput, _ token: Int) -> String {
        let span = input.template.tokens[token].span
        return String(decoding: input.template.text[span.start..<span.end], as: UTF8.self)
    }

    /// The word token equals `lower` (ASCII lower case) in any case.
    static func equalsIgnoringCase(_ input: RuleInput, _ token: Int, _ lower: [UInt8]) -> Bool {
        let span = input.template.tokens[token].span
        guard span.length == lower.count else { return false }
        for (k, b) in lower.enumerated() {
            let c = input.template.text[span.start + k]
            // Only letters fold: `_` | 0x20 would be DEL.
            if c != b && !(b >= 0x61 && b <= 0x7A && c | 0x20 == b) { return false }
        }
        return true
    }
}

extension DiagnosticCode {
    public static let sessionSettingChange = DiagnosticCode(
        "STM412", "session-setting-change", .error,
        "A statement that changes a session setting the sync engine pins: `SET standard_conforming_strings`, `client_encoding`, `set_config(…)`, MySQL `sql_mode`, `SET NAMES`, the statement timeouts.",
        "`templatec sync` sets, at session start, the settings its escaping relies on (PostgreSQL `standard_conforming_strings = on` and `client_encoding = UTF8`, MySQL `SET NAMES utf8mb4` and its `sql_mode`) and compiles every template for them. A statement of the template that changes one would make the values of later statements be read differently from how they were escaped: with `standard_conforming_strings = off`, `\\'` ends a literal and the rest of the value runs as SQL. Remove the statement; give settings in the connection URL where docs/sync.md allows it.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nSET ⟦standard_conforming_strings⟧ = off;\nCOMMENT ON TABLE {schema}.{table} IS {description};",
                     "-- templatec: dialect=mysql update=description level=table\nSET SESSION ⟦sql_mode⟧ = 'ANSI_QUOTES';\nALTER TABLE {schema}.{table} COMMENT = {description};",
                     "-- templatec: dialect=mysql update=description level=table\n⟦SET⟧ NAMES latin1;\nALTER TABLE {schema}.{table} COMMENT = {description};",
                     "-- templatec: dialect=postgres update=description level=table\nSELECT ⟦set_config⟧('client_encoding', 'SJIS', false);\nCOMMENT ON TABLE {schema}.{table} IS {description};"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS 'uses standard_conforming_strings';",
                        "-- templatec: dialect=postgres update=description level=table\nSET search_path = app;\nCOMMENT ON TABLE {table} IS {description};",
                        "-- templatec: dialect=mysql update=description level=table\nALTER TABLE {schema}.{table} COMMENT = {description};"])
}
