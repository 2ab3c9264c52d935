/// Helpers the statement rules share: where a statement starts, its words, the level variables.
extension RuleInput {
    /// Statements that hold SQL (not only comments or whitespace).
    var sqlStatements: [Statement] { template.statements.filter { !$0.isEmpty } }

    /// Indices of the statement's significant tokens (no trivia, no separator), at most `limit`.
    /// The token array is read once: through `template.tokens` each element would cost a retain.
    func significantTokens(_ s: Statement, limit: Int = Int.max) -> [Int] {
        let tokens = template.tokens
        var out: [Int] = []
        for i in s.tokens where !tokens[i].kind.isTrivia && tokens[i].kind != .separator {
            out.append(i)
            if out.count >= limit { break }
        }
        return out
    }

    /// The statement's first token: where a statement-wide diagnostic points.
    func firstTokenSpan(_ s: Statement) -> Span {
        for i in s.tokens where !template.tokens[i].kind.isTrivia { return template.tokens[i].span }
        return Span(s.span.start, s.span.start)
    }

    /// From the statement's start to the end of its first line (or of the statement): enough to
    /// underline the form without underlining a whole block.
    func headSpan(_ s: Statement) -> Span {
        let text = template.text
        let tokens = template.tokens
        var end = s.span.start
        for i in s.tokens {
            let t = tokens[i]
            guard t.span.start >= s.span.start else { continue }
            if t.kind == .separator { break }
            if t.kind == .whitespace, text[t.span.start..<t.span.end].contains(chLF) { break }
            if !t.kind.isTrivia { end = t.span.end }
        }
        return Span(s.span.start, max(s.span.start, end))
    }

    /// The uppercase text of a word token.
    func upperWord(_ tokenIndex: Int) -> String {
        let t = template.tokens[tokenIndex]
        var s = ""
        s.unicodeScalars.reserveCapacity(t.span.length)
        for i in t.span.start..<t.span.end { s.unicodeScalars.append(UnicodeScalar(upper(template.text[i]))) }
        return s
    }

    /// The placeholders of a statement.
    func placeholders(of s: Statement) -> [Placeholder] {
        s.nodes.compactMap { node in
            if case .placeholder(let i) = node { return template.placeholders[i] }
            return nil
        }
    }

    /// The classification of a statement when it matched a form the dialect has.
    func supportedClassification(_ s: Statement) -> Classification? {
        guard let c = s.classification, c.form.unsupportedMessage == nil else { return nil }
        return c
    }
}

extension Level {
    /// The variable that names a target of this level.
    var namingVariable: Variable {
        switch self {
        case .database: return .database
        case .schema: return .schema
        case .table: return .table
        case .column: return .column
        }
    }

    /// "the table", "a column": for messages.
    var phrase: String { "the \(rawValue)" }
}

extension UpdateKind {
    /// "a description", "an owner", "tags".
    var phrase: String {
        switch self {
        case .description: return "a description"
        case .owner: return "an owner"
        case .tags: return "tags"
        }
    }
}

/// Statements that change data or permissions rather than metadata (STM407).
enum DestructiveStatements {
    /// Keywords that make a statement destructive wherever they start it.
    static let leading: Set<String> = ["DROP", "TRUNCATE", "DELETE", "UPDATE", "INSERT", "MERGE", "REPLACE", "UPSERT",
                                       "RENAME", "GRANT", "REVOKE", "DENY"]
    /// Keywords that make an `ALTER` (or a compound block) destructive anywhere in it.
    static let inside: Set<String> = ["DROP", "TRUNCATE", "DELETE", "INSERT", "MERGE", "RENAME", "GRANT", "REVOKE", "DENY"]
    /// Keywords after which a block starts a new statement (T-SQL `BEGIN … END`, `THEN`, `ELSE`).
    static let blockStarts: Set<String> = ["BEGIN", "THEN", "ELSE"]

    /// The destructive keyword token of an unclassified statement, if any.
    static func keyword(_ s: Statement, _ input: RuleInput) -> Int? {
        guard s.classification == nil else { return nil }
        // A destructive clause stands near the start of a statement; a statement of thousands of
        // tokens is no metadata DDL, and scanning all of it would make hostile input slow.
        let significant = input.significantTokens(s, limit: 4097)
        guard let first = significant.first, input.template.tokens[first].kind == .word else { return nil }
        let firstWord = input.upperWord(first)
        if leading.contains(firstWord) { return first }
        var previous = firstWord
        for i in significant.dropFirst() {
            guard input.template.tokens[i].kind == .word else {
                previous = ""
                continue
            }
            let w = input.upperWord(i)
            if inside.contains(w) { return i }
            if leading.contains(w), blockStarts.contains(previous) { return i }
            previous = w
        }
        return nil
    }
}

extension RuleInput {
    /// The token of a statement that holds a span (a placeholder inside a literal or a name).
    /// Tokens are in text order, so this is a binary search (hostile input has thousands).
    func token(holding span: Span, in s: Statement) -> Int? {
        var low = s.tokens.lowerBound, high = s.tokens.upperBound
        while low < high {
            let mid = (low + high) / 2
            if template.tokens[mid].span.start <= span.start { low = mid + 1 } else { high = mid }
        }
        guard low > s.tokens.lowerBound, template.tokens[low - 1].span.contains(span) else { return nil }
        return low - 1
    }

    /// The significant token before `tokenIndex` in its statement, if any.
    func significantToken(before tokenIndex: Int, in s: Statement) -> Int? {
        var k = tokenIndex - 1
        while k >= s.tokens.lowerBound {
            if !template.tokens[k].kind.isTrivia { return k }
            k -= 1
        }
        return nil
    }

    /// A finding on the quoted token around a placeholder (`'{owner}'`, `"{description}"`) that
    /// should stand bare. When the token holds only the placeholder, the fix writes it bare; it
    /// changes what renders, so it is unsafe.
    func quotedPlaceholderFinding(_ code: DiagnosticCode, token tokenIndex: Int, _ p: Placeholder,
                                  _ message: (_ quoted: String) -> String) -> Diagnostic {
        let span = template.tokens[tokenIndex].span
        let bare = "{\(p.name)}"
        let onlyThePlaceholder = span.start == p.span.start - 1 && span.end == p.span.end + 1
        return Diagnostic(code, message(template.string(span)), at: span,
                          fixes: onlyThePlaceholder ? [Fix("write the bare `\(bare)`", [TextEdit(span, bare)], .unsafe)] : [])
    }
}
