/// The template's own text that is stored together with a value: the rest of the literal around
/// it (`COMMENT = 'Owner: {description}'`), the rest of the quoted name (`"{table}_bak"`) or of the
/// unquoted name it is glued to (`stg_{table}`). Targets limit the whole stored text, not the
/// value: PostgreSQL silently truncates a 66-byte name to 63 bytes (and may land on another
/// table), a non-strict MySQL silently truncates a long comment. So a value gets the limit minus
/// this text, counted as the target counts it.
enum SurroundingText {
    /// What else is stored with a value.
    struct Neighbourhood {
        /// The template's own text in the same literal or name, decoded.
        var rest: [UInt8]
        /// The placeholders in it, this one included, in order.
        var placeholders: [Span]
        /// Nothing else is stored with the value: the value is the whole literal or name.
        var isAlone: Bool { rest.isEmpty && placeholders.count == 1 }
    }

    /// The literal or name the placeholder stands in, or nil when it stands in neither.
    static func neighbourhood(of p: Placeholder, in statement: Statement, template: Template) -> Neighbourhood? {
        let text = template.text
        let tokens = template.tokens
        switch p.context {
        case .string, .quotedIdentifier:
            guard let k = tokens[statement.tokens].firstIndex(where: { $0.span.start < p.span.start && p.span.end <= $0.span.end }) else { return nil }
            let token = tokens[k]
            let open: Int, close: Int, quote: UInt8, escapes: EscapeSyntax
            switch token.kind {
            case .string(let i):
                let kind = statement.rules.strings[i]
                open = kind.prefix.utf8.count + (kind.triple ? 3 : 1)
                close = kind.triple ? 3 : 1
                quote = kind.quote
                escapes = kind.escapes
            case .quotedIdentifier(let i):
                let kind = statement.rules.identifierQuotes[i]
                open = 1
                close = 1
                quote = kind.close
                escapes = kind.escapes
            default:
                return nil
            }
            let start = token.span.start + open, end = token.span.end - close
            guard start <= p.span.start, p.span.end <= end else { return nil }
            let holes = template.placeholders.filter { $0.span.start >= start && $0.span.end <= end }.map(\.span)
            return Neighbourhood(rest: decode(text, start..<end, skipping: holes, quote: quote, escapes: escapes), placeholders: holes)
        case .glued:
            // The name is the run of words, numbers and placeholders that touch each other.
            guard let k = tokens[statement.tokens].firstIndex(where: { $0.span.start == p.span.start }) else { return nil }
            func partOfName(_ t: Token) -> Bool {
                switch t.kind {
                case .word, .number, .placeholder: return true
                default: return false
                }
            }
            var first = k, last = k
            while first > statement.tokens.lowerBound, partOfName(tokens[first - 1]), tokens[first - 1].span.end == tokens[first].span.start { first -= 1 }
            while last + 1 < statement.tokens.upperBound, partOfName(tokens[last + 1]), tokens[last].span.end == tokens[last + 1].span.start { last += 1 }
            var rest: [UInt8] = []
            var holes: [Span] = []
            for t in tokens[first...last] {
                if case .placeholder = t.kind { holes.append(t.span) } else { rest += text[t.span.start..<t.span.end] }
            }
            return Neighbourhood(rest: rest, placeholders: holes)
        default:
            return nil
        }
    }

    /// The contents of a literal or quoted name as the target stores them: a doubled quote is one
    /// quote, a backslash escape one character, `{{` one brace.
    static func decode(_ text: [UInt8], _ range: Range<Int>, skipping holes: [Span], quote: UInt8, escapes: EscapeSyntax) -> [UInt8] {
        var out: [UInt8] = []
        var i = range.lowerBound
        while i < range.upperBound {
            if let h = holes.first(where: { $0.start == i }) { i = h.end; continue }
            let b = text[i]
            let next: UInt8? = i + 1 < range.upperBound ? text[i + 1] : nil
            if escapes.doubledQuote, b == quote, next == quote { out.append(b); i += 2; continue }
            if escapes.backslash, b == UInt8(ascii: "\\"), let n = next { out.append(n); i += 2; continue }
            if (b == UInt8(ascii: "{") || b == UInt8(ascii: "}")), next == b { out.append(b); i += 2; continue }
            out.append(b)
            i += 1
        }
        return out
    }

    /// `bytes` measured in `unit`.
    static func length(_ bytes: [UInt8], _ unit: TextLimit.Unit) -> Int {
        bytes.withUnsafeBufferPointer { ValueValidation.length($0, unit) }
    }

    /// The limit left to the values of `limit` once the template's own text is stored with them.
    static func remaining(_ limit: TextLimit, in n: Neighbourhood) -> TextLimit {
        guard !n.isAlone else { return limit }
        let used = length(n.rest, limit.unit)
        var left = limit
        left.maximum = max(0, limit.maximum - used)
        if !n.rest.isEmpty {
            left.what = "\(limit.what) with the template's own `\(String(decoding: n.rest, as: UTF8.self))` (\(used) \(ValueValidation.unitName(limit.unit)))"
        }
        return left
    }

    /// The group of holes that share one stored text (the first one's start), when there are several.
    static func group(_ n: Neighbourhood?) -> Int? {
        guard let n, n.placeholders.count > 1 else { return nil }
        return n.placeholders[0].start
    }

    /// The limit of a name with the template's own text or other values in it; nil when the value
    /// is the whole name (the name rules check it).
    static func nameLimit(_ variable: Variable, in n: Neighbourhood?, dialect: Dialect) -> TextLimit? {
        guard let n, !n.isAlone else { return nil }
        let rules = variable == .owner ? dialect.principals ?? dialect.identifiers : dialect.identifiers
        let unit: TextLimit.Unit = rules.lengthUnit == .bytes ? .bytes : .characters
        let whole = TextLimit([variable], maximum: rules.maxLength, unit: unit, what: "a \(dialect.displayName) name")
        return remaining(whole, in: n)
    }
}
