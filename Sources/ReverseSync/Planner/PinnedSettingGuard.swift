import TemplateCompiler

/// A custom template may hold statements of its own (`SET …`), which run in the session after the
/// executor pinned its settings (docs/sync.md, "The session contract"). A statement that changes a
/// pinned setting would make every later value be read differently from how it was escaped
/// (`SET standard_conforming_strings = off` turns `''` into the end of a literal), so templates that
/// name one are refused before anything runs. The template's text is scanned, never a value.
enum PinnedSettingGuard {
    /// Lower-cased words (and phrases with single spaces) that change a pinned setting, per dialect.
    static let words: [DialectID: [String]] = [
        .postgres: ["standard_conforming_strings", "client_encoding", "set_config", "reset all", "set names", "statement_timeout", "lock_timeout"],
        .redshift: ["standard_conforming_strings", "client_encoding", "set_config", "reset all", "set names", "statement_timeout", "lock_timeout"],
        .mysql: ["sql_mode", "set names", "set character set", "set charset", "character_set_client", "character_set_connection",
                 "character_set_results", "collation_connection", "max_statement_time", "lock_wait_timeout"],
        .clickhouse: ["max_execution_time"],
    ]

    /// Why the template may not run, or nil.
    static func problem(in text: String, dialect: DialectID) -> String? {
        guard let list = words[dialect] else { return nil }
        // Lower case, runs of blanks as one space: `SET   NAMES` is `set names`.
        let normalized = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        guard let word = list.first(where: { normalized.contains($0) }) else { return nil }
        return "it names `\(word)`, a setting the session pins for the escaping to be right (docs/sync.md, \"The session contract\"); templatec runs no template that could change it: remove that statement"
    }
}
