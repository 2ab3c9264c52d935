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
                var namePlaceholders: [Int] = []
                switch form.level {
                case .fixed(let l): level = l
                case .namedByTarget(let fallback):
                    let named = captures.targetPlaceholders.compactMap { i in Level.allCases.first { $0.namingVariable == placeholders[i].variable } }
                    level = named.max() ?? fallback
                case .extendedPropertyArguments:
                    level = extendedPropertyLevel()
                    namePlaceholders = namePositionPlaceholderStarts()
                }
                let targetSpan = captures.targetStart.map { Span(tokens[significant[$0]].span.start, tokens[significant[captures.targetEnd - 1]].span.end) }
                let definitionTokens = captures.skipStart.map { captures.skipEnd - $0 }
                // `COMMENT = ''` writes no description: it is the form's removal.
                var kind = form.kind
                if kind == .setDescription, let v = captures.valueToken, isEmptyStringLiteral(tokens[v]) { kind = .removeDescription }
                return Classification(form: form, kind: kind, level: level,
                                      targetPlaceholders: captures.targetPlaceholders, targetSpan: targetSpan,
                                      valueToken: captures.valueToken, listToken: captures.listToken,
                                      firstSkipTokenCount: definitionTokens, namePlaceholderStarts: namePlaceholders)
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

    /// In a T-SQL extended-property statement, the bare placeholders that stand where a name
    /// goes: part of a dotted name (`{database}.sys.sp_…`, `{schema}.{table}`) or after a keyword
    /// that takes a name (`FROM {table}`). Every other one is a value (an `N'…'` string): an
    /// argument (`@value = {description}`, positional `{schema}`, `OBJECT_ID({table})`) or an
    /// operand (`name = {column}`).
    func namePositionPlaceholderStarts() -> [Int] {
        let nameKeywords: Set<String> = ["FROM", "JOIN", "EXEC", "EXECUTE", "USE", "INTO", "UPDATE", "TABLE"]
        var out: [Int] = []
        for (k, index) in significant.enumerated() {
            let t = tokens[index]
            guard case .placeholder = t.kind else { continue }
            let dotBefore = k > 0 && isDot(k - 1) && tokens[significant[k - 1]].span.end == t.span.start
            let dotAfter = k + 1 < significant.count && isDot(k + 1) && tokens[significant[k + 1]].span.start == t.span.end
            let keywordBefore = k > 0 && tokens[significant[k - 1]].kind == .word && nameKeywords.contains(upperText(tokens[significant[k - 1]].span))
            if dotBefore || dotAfter || keywordBefore { out.append(t.span.start) }
        }
        return out
    }

    /// T-SQL extended-property calls: `EXEC [db.]sys.sp_…extendedproperty <arguments>` and
    /// `sys.fn_listextendedproperty(<arguments>)`. An argument is `@param = value` or a positional
    /// value; the level is the deepest level type given (`@levelNtype = N'COLUMN'`, or the
    /// positional level-type argument), none meaning the current database.
    func extendedPropertyLevel() -> Level {
        var level = Level.database
        var k = 0
        while k < significant.count {
            let t = tokens[significant[k]]
            guard t.kind == .word else { k += 1; continue }
            let word = upperText(t.span)
            let isProcedureCall = word == "EXEC" || word == "EXECUTE"
            // The routine's name: after EXEC, or the word itself for a function call.
            var nameEnd = k + 1
            var routine = word
            if isProcedureCall {
                var captures = Captures()
                var q = namePart(from: k + 1, captures: &captures, inTarget: false)
                while q + 1 < significant.count, q > k + 1, isDot(q) {
                    let next = namePart(from: q + 1, captures: &captures, inTarget: false)
                    guard next > q + 1 else { break }
                    q = next
                }
                guard q > k + 1 else { k += 1; continue }
                routine = upperText(tokens[significant[q - 1]].span)
                nameEnd = q
            }
            guard routine.hasSuffix("EXTENDEDPROPERTY") else { k += 1; continue }
            // Positional level-type arguments: add/update (name, value, type0, name0, …),
            // drop and fn_list (name, type0, name0, …).
            let firstLevelType = routine.hasPrefix("SP_ADD") || routine.hasPrefix("SP_UPDATE") ? 2 : 1
            var q = nameEnd
            var closer: UInt8? = nil
            if !isProcedureCall {
                guard q < significant.count, isPunctuation(q, UInt8(ascii: "(")) else { k += 1; continue }
                closer = UInt8(ascii: ")")
                q += 1
            }
            var index = 0
            argumentLoop: while q < significant.count {
                // `@name =` before a value names the parameter.
                var parameter: String? = nil
                if isPunctuation(q, UInt8(ascii: "@")), q + 2 < significant.count, tokens[significant[q + 1]].kind == .word,
                   isPunctuation(q + 2, UInt8(ascii: "=")) {
                    parameter = upperText(tokens[significant[q + 1]].span)
                    q += 3
                }
                let valueStart = q
                var depth = 0
                while q < significant.count {
                    let v = tokens[significant[q]]
                    if v.kind == .punctuation {
                        let c = text[v.span.start]
                        if c == UInt8(ascii: "(") { depth += 1 }
                        else if c == UInt8(ascii: ")") {
                            if depth == 0 { break }
                            depth -= 1
                        } else if depth == 0 && (c == UInt8(ascii: ",") || c == UInt8(ascii: ";")) { break }
                    } else if depth == 0, v.kind == .word, ["END", "ELSE", "OUTPUT", "OUT"].contains(upperText(v.span)) {
                        break
                    }
                    q += 1
                }
                let isLevelType: Bool
                if let parameter {
                    isLevelType = parameter.hasPrefix("LEVEL") && parameter.hasSuffix("TYPE")
                } else {
                    isLevelType = index >= firstLevelType && (index - firstLevelType) % 2 == 0
                }
                if isLevelType, q == valueStart + 1, let found = levelNamed(tokens[significant[valueStart]]), found > level {
                    level = found
                }
                index += 1
                guard q < significant.count, isPunctuation(q, UInt8(ascii: ",")) else {
                    if let closer, q < significant.count, isPunctuation(q, closer) { q += 1 }
                    break argumentLoop
                }
                q += 1
            }
            k = max(q, k + 1)
        }
        return level
    }

    func isPunctuation(_ position: Int, _ byte: UInt8) -> Bool {
        let t = tokens[significant[position]]
        return t.kind == .punctuation && text[t.span.start] == byte
    }

    /// The level a level-type argument names (`N'SCHEMA'`, `'TABLE'`, `N'VIEW'`, `N'COLUMN'`).
    func levelNamed(_ token: Token) -> Level? {
        guard case .string = token.kind else { return nil }
        let value = upperText(token.span)
        if value.hasSuffix("'COLUMN'") { return .column }
        if value.hasSuffix("'TABLE'") || value.hasSuffix("'VIEW'") { return .table }
        if value.hasSuffix("'SCHEMA'") { return .schema }
        return nil
    }
}
