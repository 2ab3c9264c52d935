/// Matches a statement's significant tokens against the dialect's statement forms.
///
/// Patterns are short and fixed, so matching is a small backtracking search whose depth is
/// bounded by the pattern, never by the input.
struct StatementClassifier {
    let text: [UInt8]
    let tokens: [Token]
    let placeholders: [Placeholder]
    let rules: LexicalRules
    /// Indices (into `tokens`) of the statement's significant tokens, separator excluded.
    let significant: [Int]

    init(text: [UInt8], tokens: [Token], placeholders: [Placeholder], rules: LexicalRules, range: Range<Int>) {
        self.text = text
        self.tokens = tokens
        self.placeholders = placeholders
        self.rules = rules
        self.significant = range.filter { !tokens[$0].kind.isTrivia && tokens[$0].kind != .separator }
    }

    func classify(_ forms: [StatementForm]) -> Classification? {
        // Statements longer than this are not metadata DDL; matching them would only cost time.
        guard !significant.isEmpty, significant.count < 4096 else { return nil }
        for form in forms {
            var captures = Captures()
            if match(form.elements[...], at: 0, &captures) {
                let level: Level
                switch form.level {
                case .fixed(let l): level = l
                case .extendedPropertyArguments: level = extendedPropertyLevel()
                }
                let targetSpan = captures.targetStart.map { Span(tokens[significant[$0]].span.start, tokens[significant[captures.targetEnd - 1]].span.end) }
                let definitionTokens = captures.skipStart.map { captures.skipEnd - $0 }
                // `COMMENT = ''` writes no description: it is the form's removal.
                var kind = form.kind
                if kind == .setDescription, let v = captures.valueToken, isEmptyStringLiteral(tokens[v]) { kind = .removeDescription }
                return Classification(form: form, kind: kind, level: level,
                                      targetPlaceholders: captures.targetPlaceholders, targetSpan: targetSpan,
                                      valueToken: captures.valueToken, listToken: captures.listToken,
                                      firstSkipTokenCount: definitionTokens)
            }
        }
        return nil
    }

    struct Captures {
        var targetPlaceholders: [Int] = []
        var targetStart: Int? = nil
        var targetEnd: Int = 0
        var valueToken: Int? = nil
        /// Token index of the `<list>` element's first token.
        var listToken: Int? = nil
        /// Where the pattern's first `*` started and ended (significant positions).
        var skipStart: Int? = nil
        var skipEnd: Int = 0
    }

    // MARK: matching

    func match(_ elements: ArraySlice<PatternElement>, at position: Int, _ captures: inout Captures) -> Bool {
        guard let element = elements.first else { return position == significant.count }
        let rest = elements.dropFirst()
        switch element {
        case .rest:
            return true
        case .lazySkip:
            var p = position
            while p <= significant.count {
                var attempt = captures
                if attempt.skipStart == nil {
                    attempt.skipStart = position
                    attempt.skipEnd = p
                }
                if match(rest, at: p, &attempt) {
                    captures = attempt
                    return true
                }
                p += 1
            }
            return false
        case .optional(let group):
            var attempt = captures
            if let end = matchSequence(group[...], at: position, &attempt) {
                var withGroup = attempt
                if match(rest, at: end, &withGroup) {
                    captures = withGroup
                    return true
                }
            }
            return match(rest, at: position, &captures)
        default:
            var attempt = captures
            guard let end = matchOne(element, at: position, &attempt) else { return false }
            if match(rest, at: end, &attempt) {
                captures = attempt
                return true
            }
            return false
        }
    }

    /// Matches a group of simple elements in order; returns where it ends.
    func matchSequence(_ elements: ArraySlice<PatternElement>, at position: Int, _ captures: inout Captures) -> Int? {
        var p = position
        for e in elements {
            guard let next = matchOne(e, at: p, &captures) else { return nil }
            p = next
        }
        return p
    }

    /// Matches one element that consumes a fixed, greedy run of tokens.
    func matchOne(_ element: PatternElement, at position: Int, _ captures: inout Captures) -> Int? {
        guard position < significant.count else { return nil }
        let token = tokens[significant[position]]
        switch element {
        case .keyword(let alternatives):
            guard token.kind == .word else { return nil }
            let word = upperText(token.span)
            return alternatives.contains(word) ? position + 1 : nil
        case .punctuation(let p):
            if let first = p.utf8.first, first == chQuote {
                // A literal such as 'comment' in `TBLPROPERTIES ('comment' = …)`.
                guard case .string = token.kind, upperText(token.span) == p.uppercased() else { return nil }
                return position + 1
            }
            var q = position
            var matched = 0
            let bytes = Array(p.utf8)
            while matched < bytes.count, q < significant.count {
                let t = tokens[significant[q]]
                guard t.kind == .punctuation, text[t.span.start] == bytes[matched] else { return nil }
                matched += 1
                q += 1
            }
            return matched == bytes.count ? q : nil
        case .target:
            var q = namePart(from: position, captures: &captures, inTarget: true)
            guard q > position else { return nil }
            while q + 1 < significant.count, isDot(q) {
                let next = namePart(from: q + 1, captures: &captures, inTarget: true)
                guard next > q + 1 else { break }
                q = next
            }
            captures.targetStart = position
            captures.targetEnd = q
            return q
        case .name:
            let q = namePart(from: position, captures: &captures, inTarget: false, allowPunctuation: true)
            return q > position ? q : nil
        case .value:
            switch token.kind {
            case .string, .dollarString, .alternativeString, .placeholder, .word, .number, .invalidField:
                captures.valueToken = significant[position]
                return position + 1
            default:
                return nil
            }
        case .list:
            captures.listToken = significant[position]
            if case .placeholder = token.kind { return position + 1 }
            guard token.kind == .punctuation else { return nil }
            let open = text[token.span.start]
            let close: UInt8 = open == UInt8(ascii: "(") ? UInt8(ascii: ")") : (open == UInt8(ascii: "[") ? UInt8(ascii: "]") : 0)
            guard close != 0 else { return nil }
            var depth = 0
            var q = position
            while q < significant.count {
                let t = tokens[significant[q]]
                if t.kind == .punctuation {
                    let c = text[t.span.start]
                    if c == open { depth += 1 } else if c == close {
                        depth -= 1
                        if depth == 0 { return q + 1 }
                    }
                }
                q += 1
            }
            return nil
        case .any:
            return position + 1
        case .lazySkip, .rest, .optional:
            return nil
        }
    }

    /// `''` or `""` (any prefix): a literal with no content.
    func isEmptyStringLiteral(_ token: Token) -> Bool {
        guard case .string(let index) = token.kind, index < rules.strings.count else { return false }
        let kind = rules.strings[index]
        let quotes = kind.triple ? 6 : 2
        return token.span.length == kind.prefix.utf8.count + quotes
    }

    func isDot(_ position: Int) -> Bool {
        let t = tokens[significant[position]]
        return t.kind == .punctuation && text[t.span.start] == chDot
    }

    /// One part of a name: a run of touching words, placeholders, numbers and quoted identifiers
    /// (`stg_{table}`, `"{schema}"`). `allowPunctuation` admits `@`, `-` and `.` for owner names
    /// such as `{owner}@example.com`.
    func namePart(from position: Int, captures: inout Captures, inTarget: Bool, allowPunctuation: Bool = false) -> Int {
        var q = position
        var lastEnd = -1
        while q < significant.count {
            let t = tokens[significant[q]]
            if lastEnd >= 0 && t.span.start != lastEnd { break }
            var ok = false
            switch t.kind {
            case .word, .number, .quotedIdentifier:
                ok = true
            case .placeholder, .invalidField:
                ok = true
            case .punctuation:
                let c = text[t.span.start]
                ok = allowPunctuation && lastEnd >= 0 && (c == UInt8(ascii: "@") || c == UInt8(ascii: "-") || c == chDot)
            default:
                ok = false
            }
            guard ok else { break }
            if inTarget { collectPlaceholders(in: t, into: &captures.targetPlaceholders) }
            lastEnd = t.span.end
            q += 1
        }
        return q
    }

    func collectPlaceholders(in token: Token, into list: inout [Int]) {
        if case .placeholder(let i) = token.kind {
            list.append(i)
            return
        }
        if case .quotedIdentifier = token.kind {
            for (i, p) in placeholders.enumerated() where token.span.contains(p.span) { list.append(i) }
        }
    }

    func upperText(_ span: Span) -> String {
        var s = ""
        s.unicodeScalars.reserveCapacity(span.length)
        for i in span.start..<span.end { s.unicodeScalars.append(UnicodeScalar(upper(text[i]))) }
        return s
    }

    /// T-SQL extended-property procedures: `@level0type = N'SCHEMA'`, `@level1type = N'TABLE'`,
    /// `@level2type = N'COLUMN'`. The deepest wins; none means the current database.
    func extendedPropertyLevel() -> Level {
        var level = Level.database
        for (k, index) in significant.enumerated() {
            let t = tokens[index]
            guard t.kind == .word else { continue }
            let word = upperText(t.span)
            guard word.hasPrefix("LEVEL"), word.hasSuffix("TYPE"), k + 2 < significant.count else { continue }
            let valueToken = tokens[significant[k + 2]]
            guard case .string = valueToken.kind else { continue }
            let value = upperText(valueToken.span)
            let found: Level?
            if value.contains("'COLUMN'") { found = .column }
            else if value.contains("'TABLE'") || value.contains("'VIEW'") { found = .table }
            else if value.contains("'SCHEMA'") { found = .schema }
            else { found = nil }
            if let f = found, f > level { level = f }
        }
        return level
    }
}
