/// Renders a dialect's lexical rules and statement forms as `Grammars/dialects/<dialect>.md`.
///
/// The page has two kinds of content: prose and tables for people, and fenced blocks tagged
/// `lexical`, `ddl-lexical` and `forms` with one item per line in a fixed format, which
/// `GrammarAgreementTests` parses and compares with the code field by field. The pages are
/// generated (`templatec rules --write-grammars Grammars/dialects`, or `scripts/gen-grammars.sh`)
/// and then reviewed by hand; the test fails when code and page disagree.
///
/// Line formats (values never contain spaces, except quoted ones):
///
///     string NAME prefix=P|- prefix-case=any|exact quote=Q triple=yes|no escapes=E newlines=yes|no escapable=yes|no continuation=yes|no
///     identifier NAME open=Q close=Q escapes=E
///     line-comment MARKER following-space=required|no
///     block-comment nest=yes|no executable=yes|no
///     dollar-quoting none|tagged|untagged-only
///     alternative-quoting yes|no
///     compound-block none | openers=A,B closer=W not-when-followed-by=X,Y
///     value-literal NAME
///     identifier-quote NAME
///     separator ;
///     ddl-keywords A,B,C                      (ddl-lexical only)
///     KIND LEVEL "PATTERN" [note="…"] [unsupported="…"]   (forms)
///
/// where E is doubling, backslash, both or none, and Q is single-quote, double-quote, backtick or
/// the character itself.
public enum GrammarDocument {
    /// The byte that ends a statement outside literals, comments and compound blocks (the lexer's
    /// `chSemicolon`).
    public static let separator = ";"

    public static func escapesName(_ e: EscapeSyntax) -> String {
        switch (e.doubledQuote, e.backslash) {
        case (true, true): return "both"
        case (true, false): return "doubling"
        case (false, true): return "backslash"
        case (false, false): return "none"
        }
    }

    static func yesNo(_ b: Bool) -> String { b ? "yes" : "no" }
    static func char(_ b: UInt8) -> String { String(UnicodeScalar(b)) }

    /// A quote byte in a machine-checkable line: quote characters by name, so values never hold
    /// the `"` that quotes pattern strings.
    public static func quoteName(_ b: UInt8) -> String {
        switch b {
        case UInt8(ascii: "'"): return "single-quote"
        case UInt8(ascii: "\""): return "double-quote"
        case UInt8(ascii: "`"): return "backtick"
        default: return char(b)
        }
    }

    public static func dollarQuotingName(_ d: DollarQuoting) -> String {
        switch d {
        case .none: return "none"
        case .tagged: return "tagged"
        case .untaggedOnly: return "untagged-only"
        }
    }

    public static func levelName(_ l: StatementForm.LevelSource) -> String {
        switch l {
        case .fixed(let level): return level.rawValue
        case .extendedPropertyArguments: return "extended-property-arguments"
        case .namedByTarget(let level): return "named-by-target(\(level.rawValue))"
        }
    }

    /// The machine-checkable lines of one set of lexical rules.
    public static func lexicalLines(_ r: LexicalRules, ddlKeywords: Set<String>? = nil) -> [String] {
        var lines: [String] = []
        for s in r.strings {
            lines.append("string \(s.name) prefix=\(s.prefix.isEmpty ? "-" : s.prefix) prefix-case=\(s.prefixCaseSensitive ? "exact" : "any") quote=\(quoteName(s.quote)) triple=\(yesNo(s.triple)) escapes=\(escapesName(s.escapes)) newlines=\(yesNo(s.newlinesAllowed)) escapable=\(yesNo(s.escapable)) continuation=\(yesNo(s.backslashNewlineContinuation))")
        }
        for q in r.identifierQuotes {
            lines.append("identifier \(q.name) open=\(quoteName(q.open)) close=\(quoteName(q.close)) escapes=\(escapesName(q.escapes))")
        }
        for m in r.comments.lineMarkers {
            lines.append("line-comment \(m.marker) following-space=\(m.needsFollowingSpace ? "required" : "no")")
        }
        lines.append("block-comment nest=\(yesNo(r.comments.blockCommentsNest)) executable=\(yesNo(r.comments.executableComments))")
        lines.append("dollar-quoting \(dollarQuotingName(r.dollarQuoting))")
        lines.append("alternative-quoting \(yesNo(r.alternativeQuoting))")
        if let b = r.compoundBlock {
            lines.append("compound-block openers=\(b.openers.sorted().joined(separator: ",")) closer=\(b.closer) not-when-followed-by=\(b.notBlockWhenFollowedBy.sorted().joined(separator: ","))")
        } else {
            lines.append("compound-block none")
        }
        lines.append("value-literal \(r.valueLiteral.name)")
        lines.append("identifier-quote \(r.identifierQuote.name)")
        lines.append("separator \(separator)")
        if let k = ddlKeywords { lines.append("ddl-keywords \(k.sorted().joined(separator: ","))") }
        return lines
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    /// The machine-checkable lines of a dialect's statement forms, in matching order.
    public static func formLines(_ forms: [StatementForm]) -> [String] {
        forms.map { f in
            var line = "\(f.kind.rawValue) \(levelName(f.level)) \(quoted(f.pattern))"
            if let n = f.note { line += " note=\(quoted(n))" }
            if let u = f.unsupportedMessage { line += " unsupported=\(quoted(u))" }
            return line
        }
    }

    // MARK: - Pages

    /// `Grammars/dialects/<id>.md`.
    public static func dialectPage(_ id: DialectID) -> String {
        let d = Dialect.named(id)
        let aliases = DialectID.aliases.filter { $0.value == id }.keys.sorted()
        var out = """
        <!-- Generated from Sources/TemplateCompiler/Dialects by `templatec rules --write-grammars Grammars/dialects`
             (scripts/gen-grammars.sh), then reviewed. The fenced `lexical`, `ddl-lexical` and `forms` blocks are
             compared with the code by Tests/TemplateCompilerTests/GrammarAgreementTests.swift: change both together. -->
        # \(d.displayName) (`\(id.rawValue)`)

        """
        if !aliases.isEmpty {
            out += "\nAlso accepted as: " + aliases.map { "`\($0)`" }.joined(separator: ", ") + ".\n"
        }
        out += "\nThe lexical rules below are for the default dialect options (see `templatec check --help`, `--set`).\n"
        if let ddl = d.ddlLexical {
            out += """

            Statements are lexed with two sets of rules. A statement whose first keyword is one of
            \(d.ddlKeywords.sorted().map { "`\($0)`" }.joined(separator: ", ")) is DDL and follows
            `\(ddl.name)` (Hive's rules); every other statement follows `\(d.lexical.name)` (Trino's rules).

            """
            out += section("Lexical rules: DML and other statements (`\(d.lexical.name)`)", d.lexical, tag: "lexical", ddlKeywords: nil)
            out += section("Lexical rules: DDL (`\(ddl.name)`)", ddl, tag: "ddl-lexical", ddlKeywords: d.ddlKeywords)
        } else {
            out += section("Lexical rules (`\(d.lexical.name)`)", d.lexical, tag: "lexical", ddlKeywords: nil)
        }
        out += formsSection(d)
        return out
    }

    static func section(_ title: String, _ r: LexicalRules, tag: String, ddlKeywords: Set<String>?) -> String {
        var out = "\n## \(title)\n\n"
        out += "String literals, in the order the lexer tries them (the first whose prefix and quote match wins):\n\n"
        out += "| name | opens with | escapes | raw newline | a placeholder inside can be escaped |\n|---|---|---|---|---|\n"
        for s in r.strings {
            var opening = code(s.opening)
            if !s.prefix.isEmpty { opening += s.prefixCaseSensitive ? " (prefix case-sensitive)" : " (prefix in any case)" }
            var escapes = escapesPhrase(s.escapes, quote: char(s.quote))
            if s.backslashNewlineContinuation { escapes += "; backslash-newline is deleted" }
            out += "| \(s.name) | \(opening) | \(escapes) | \(s.newlinesAllowed ? "allowed" : "not allowed") | \(s.escapable ? "yes" : "no (refused, CTX206)") |\n"
        }
        out += "\nQuoted identifiers:\n\n| name | quotes | escapes |\n|---|---|---|\n"
        for i in r.identifierQuotes {
            out += "| \(i.name) | \(code(char(i.open) + "…" + char(i.close))) | \(escapesPhrase(i.escapes, quote: char(i.close))) |\n"
        }
        out += "\nComments: line comments start with "
        out += r.comments.lineMarkers.map { "`\($0.marker)`" + ($0.needsFollowingSpace ? " (only when followed by whitespace or the end)" : "") }.joined(separator: ", ")
        out += "; block comments `/* … */` " + (r.comments.blockCommentsNest ? "nest" : "do not nest")
        out += r.comments.executableComments ? "; `/*! … */` and `/*M! … */` are executable: their contents are SQL.\n" : ".\n"
        switch r.dollarQuoting {
        case .none: out += "No dollar quoting.\n"
        case .tagged: out += "Dollar quoting: `$$…$$` and `$tag$…$tag$` (nothing inside is escaped).\n"
        case .untaggedOnly: out += "Dollar quoting: `$$…$$` only (nothing inside is escaped).\n"
        }
        if r.alternativeQuoting { out += "Alternative quoting `q'[…]'` (also `nq'…'`, any delimiter; nothing inside is escaped).\n" }
        if let b = r.compoundBlock {
            out += "Statements end at `\(separator)`, except inside \(b.openers.sorted().map { "`\($0)`" }.joined(separator: "/")) … `\(b.closer)` blocks (not when the opener is followed by \(b.notBlockWhenFollowedBy.sorted().map { "`\($0)`" }.joined(separator: ", "))).\n"
        } else {
            out += "Statements end at `\(separator)`.\n"
        }
        let v = r.valueLiteral
        let closing = String(repeating: char(v.quote), count: v.triple ? 3 : 1)
        out += "A bare text placeholder renders a complete `\(v.name)` literal (\(code(v.opening + "…" + closing))); a name that needs quoting is written \(code(char(r.identifierQuote.open) + "…" + char(r.identifierQuote.close))).\n"
        out += "\n```\(tag)\n" + lexicalLines(r, ddlKeywords: ddlKeywords).joined(separator: "\n") + "\n```\n"
        return out
    }

    /// Markdown inline code that survives backticks inside.
    static func code(_ s: String) -> String {
        var longest = 0, run = 0
        for c in s.utf8 {
            if c == UInt8(ascii: "`") { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        guard longest > 0 else { return "`" + s + "`" }
        let fence = String(repeating: "`", count: longest + 1)
        return fence + " " + s + " " + fence
    }

    static func escapesPhrase(_ e: EscapeSyntax, quote: String) -> String {
        switch (e.doubledQuote, e.backslash) {
        case (true, true): return code(quote + quote) + " and backslash"
        case (true, false): return code(quote + quote)
        case (false, true): return "backslash"
        case (false, false): return "none"
        }
    }

    static func formsSection(_ d: Dialect) -> String {
        var out = """

        ## Statement forms

        Metadata statements templatec recognises, tried in this order (the first match classifies the
        statement). Pattern language (`Syntax/StatementForm.swift`): `WORD` a keyword, `A|B` one of them,
        `[ … ]` optional, `<target>` a qualified name, `<name>` one name, `<value>` one value, `<list>` a
        list or placeholder, `*` any tokens (as few as possible), `...` the rest of the statement.
        A form marked *unsupported* exists in SQL but not in this dialect: a matching statement is an error.


        """
        if d.statementForms.isEmpty {
            out += "None yet: statements are kept unclassified and still checked lexically.\n"
        } else {
            out += "| does | level | pattern | note |\n|---|---|---|---|\n"
            for f in d.statementForms {
                let note = f.unsupportedMessage.map { "*unsupported*: \($0)" } ?? (f.note ?? "")
                out += "| \(f.kind.rawValue) | \(levelName(f.level)) | `\(f.pattern.replacingAll("|", with: "\\|"))` | \(note) |\n"
            }
        }
        out += "\n```forms\n" + formLines(d.statementForms).map { $0 + "\n" }.joined() + "```\n"
        return out
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation in the core).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.utf8)
        guard !t.isEmpty else { return self }
        let s = Array(utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            if i + t.count <= s.count, Array(s[i..<(i + t.count)]) == t {
                out += replacement.utf8
                i += t.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
