/// One match: the SQL lexed with the template's dialect rules (braces are plain characters), its
/// significant tokens walked alongside the pattern's elements, each hole decoded from its token.
struct Alignment {
    let pattern: MatchPattern
    let sql: UnsafeBufferPointer<UInt8>
    let lexed: LexedTemplate
    /// The next token to look at, and the statement it belongs to.
    var cursor = 0
    var statement = 0
    var slots: [String?]
    var tags: [(key: String, value: String)] = []
    var folded: [TemplateMatch.FoldedName] = []
    var ambiguous: [Variable] = []

    struct Failure: Error {
        let offset: Int
        let reason: String
    }

    init(pattern: MatchPattern, sql: UnsafeBufferPointer<UInt8>) {
        self.pattern = pattern
        self.sql = sql
        self.lexed = Lexer.lexSQL(sql, setup: pattern.lexerSetup)
        self.slots = [String?](repeating: nil, count: pattern.slotVariables.count)
    }

    func answer() -> TemplateMatch {
        pattern.answer(slots, tags: tags, folded: folded, ambiguous: ambiguous)
    }

    // MARK: the walk

    mutating func run() -> Failure? {
        if let d = lexed.diagnostics.first {
            return Failure(offset: d.span.start, reason: "the SQL does not lex: \(d.message)")
        }
        let elements = pattern.elements
        for (e, element) in elements.enumerated() {
            let isLast = e == elements.count - 1
            guard let t = significant() else {
                // The SQL may end where the template's last separator stands.
                if isLast, case .separator = element { return nil }
                return Failure(offset: sql.count, reason: "the SQL ends where the template continues with \(describe(element))")
            }
            if let f = step(element, t) { return f }
        }
        // One separator the template does not end with is allowed; nothing else.
        if let t = significant(), lexed.tokens[t].kind == .separator, !endsWithSeparator {
            cursor = t + 1
        }
        if let t = significant() {
            return Failure(offset: lexed.tokens[t].span.start,
                           reason: "the SQL continues after the template's statements with `\(snippet(t))`: nothing may follow")
        }
        return nil
    }

    var endsWithSeparator: Bool {
        if case .separator? = pattern.elements.last { return true }
        return false
    }

    /// The index of the next significant token (not whitespace, not a comment), moving the
    /// cursor there; nil at the end.
    mutating func significant() -> Int? {
        while cursor < lexed.tokens.count {
            let kind = lexed.tokens[cursor].kind
            switch kind {
            case .whitespace, .lineComment, .blockComment: cursor += 1
            default:
                while statement + 1 < lexed.statements.count, lexed.statements[statement].tokens.upperBound <= cursor { statement += 1 }
                return cursor
            }
        }
        return nil
    }

    /// The current statement's rules, read field by field (copying the whole rules would cost
    /// more than the match).
    var rulesName: String { lexed.statements[statement].rules.name }
    func stringKind(_ index: Int) -> StringLiteralKind { lexed.statements[statement].rules.strings[index] }

    mutating func step(_ element: MatchPattern.Element, _ t: Int) -> Failure? {
        let token = lexed.tokens[t]
        switch element {
        case .token(let cls, let bytes, let insensitive):
            guard MatchPattern.TokenClass(token.kind) == cls, equal(token.span, bytes, caseInsensitive: insensitive) else {
                return differs(t, element)
            }
            cursor = t + 1
        case .separator:
            guard token.kind == .separator else { return differs(t, element) }
            cursor = t + 1
        case .literal(let hole, let ref):
            guard case .string(let index) = token.kind, index == ref.index, rulesName == ref.rules else {
                return differs(t, element)
            }
            let kind = stringKind(index)
            let body = bodyRange(token.span, open: kind.prefix.utf8.count + (kind.triple ? 3 : 1), close: kind.triple ? 3 : 1)
            switch decodeString(body, ref.decoder) {
            case .failure(let f): return f
            case .success(let value):
                if let f = assign(hole, value, at: token.span.start) { return f }
            }
            cursor = t + 1
        case .name(let hole):
            if let f = matchName(hole, t) { return f }
            cursor = t + 1
        case .tagList(let hole, let form, let ref):
            if let f = matchTagList(hole, form, ref, from: t) { return f }
        case .stringContents(let ref, let parts):
            guard case .string(let index) = token.kind, index == ref.index, rulesName == ref.rules else {
                return differs(t, element)
            }
            let kind = stringKind(index)
            let body = bodyRange(token.span, open: kind.prefix.utf8.count + (kind.triple ? 3 : 1), close: kind.triple ? 3 : 1)
            switch decode(body, ref.decoder) {
            case .failure(let f): return f
            case .success(let text):
                if let f = fill(parts, text, at: token.span.start, what: "the \(ref.opening)…\(kind.triple ? String(repeating: show(kind.quote), count: 3) : show(kind.quote)) literal") { return f }
            }
            cursor = t + 1
        case .identifierContents(let identifierIndex, let rulesName, let decoder, let parts):
            guard case .quotedIdentifier(let index) = token.kind, index == identifierIndex, self.rulesName == rulesName else {
                return differs(t, element)
            }
            switch decode(bodyRange(token.span, open: 1, close: 1), decoder) {
            case .failure(let f): return f
            case .success(let text):
                if let f = fill(parts, text, at: token.span.start, what: "the quoted name", asNames: true) { return f }
            }
            cursor = t + 1
        case .dollarContents(let tag, let parts):
            guard token.kind == .dollarString, token.span.length >= 2 * tag.count,
                  equal(Span(token.span.start, token.span.start + tag.count), tag, caseInsensitive: false),
                  equal(Span(token.span.end - tag.count, token.span.end), tag, caseInsensitive: false) else {
                return differs(t, element)
            }
            let body = Array(sql[(token.span.start + tag.count)..<(token.span.end - tag.count)])
            if let f = fill(parts, body, at: token.span.start, what: "the dollar-quoted string") { return f }
            cursor = t + 1
        case .gluedWord(let parts):
            if let f = matchGlued(parts, from: t) { return f }
        }
        return nil
    }

    // MARK: holes

    /// Records a hole's value; a variable used twice must have one value.
    mutating func assign(_ hole: Int, _ value: String, at offset: Int) -> Failure? {
        let slot = pattern.slotOfHole[hole]
        if let existing = slots[slot] {
            guard existing == value else {
                let v = pattern.slotVariables[slot].rawValue
                return Failure(offset: offset, reason: "{\(v)} is used twice in the template, but the SQL gives it two values: `\(existing)` and `\(value)`")
            }
            return nil
        }
        slots[slot] = value
        return nil
    }

    /// A bare name: an unquoted word (folded as the dialect folds it) or a quoted identifier.
    mutating func matchName(_ hole: Int, _ t: Int) -> Failure? {
        let token = lexed.tokens[t]
        let variable = pattern.holes[hole].variable
        switch token.kind {
        case .word:
            let bytes = UnsafeBufferPointer(rebasing: sql[token.span.start..<token.span.end])
            if let why = unquotedNameProblem(bytes) {
                return Failure(offset: token.span.start, reason: "`\(snippet(t))` cannot be the name {\(variable.rawValue)}: \(why)")
            }
            return assignName(hole, bytes, at: token.span.start)
        case .quotedIdentifier(let index):
            switch decodeString(bodyRange(token.span, open: 1, close: 1), LiteralDecoder(lexed.statements[statement].rules.identifierQuotes[index])) {
            case .failure(let f): return f
            case .success(let value): return assign(hole, value, at: token.span.start)
            }
        default:
            return differs(t, .name(hole: hole))
        }
    }

    /// Records a name written unquoted: the engine folds it, so the value is the folded name.
    mutating func assignName(_ hole: Int, _ written: UnsafeBufferPointer<UInt8>, at offset: Int) -> Failure? {
        guard written.contains(where: { folds($0) }) else {
            return assign(hole, String(decoding: written, as: UTF8.self), at: offset)
        }
        let variable = pattern.holes[hole].variable
        let shown = String(decoding: written, as: UTF8.self)
        if !folded.contains(where: { $0.variable == variable && $0.written == shown }) {
            folded.append(TemplateMatch.FoldedName(variable: variable, written: shown))
        }
        return assign(hole, String(decoding: fold(Array(written)), as: UTF8.self), at: offset)
    }

    /// Whether the dialect's folding changes this byte of an unquoted name.
    @inline(__always) func folds(_ b: UInt8) -> Bool {
        switch pattern.names.folding {
        case .none: return false
        case .lower: return b >= 0x41 && b <= 0x5A
        case .upper: return b >= 0x61 && b <= 0x7A
        }
    }

    func fold(_ bytes: [UInt8]) -> [UInt8] {
        switch pattern.names.folding {
        case .none: return bytes
        case .lower: return bytes.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 32 : $0 }
        case .upper: return bytes.map { ($0 >= 0x61 && $0 <= 0x7A) ? $0 - 32 : $0 }
        }
    }

    /// Why a word cannot stand as an unquoted name of the dialect, or nil.
    func unquotedNameProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let names = pattern.names
        // The common case, without building the upper-case word: a plain name of the dialect.
        if names.isPlain(bytes) { return nil }
        guard let first = bytes.first else { return "it is empty" }
        for (i, b) in bytes.enumerated() {
            if b >= 0x80 {
                if !names.plainAllowsNonASCII { return "\(pattern.dialect.displayName) names with non-ASCII characters must be quoted" }
                continue
            }
            let allowed = i == 0 ? names.plainStart.contains(b) : names.plainContinue.contains(b)
            if !allowed { return "`\(show(b))` cannot appear in an unquoted \(pattern.dialect.displayName) name" }
        }
        if first < 0x80, bytes.count <= 32, names.reserved.contains(String(decoding: bytes, as: UTF8.self).uppercased()) {
            return "it is a reserved word, which names an object only when quoted"
        }
        return nil
    }

    /// Name text and glued holes: the run of touching words in the SQL, split by the template's
    /// text (both as the dialect folds them).
    mutating func matchGlued(_ parts: [MatchPattern.Part], from t: Int) -> Failure? {
        var j = t
        let tokens = lexed.tokens
        func isWordLike(_ k: Int) -> Bool { tokens[k].kind == .word || tokens[k].kind == .number }
        guard isWordLike(j) else { return differs(t, .gluedWord(parts)) }
        j += 1
        while j < tokens.count, isWordLike(j), tokens[j].span.start == tokens[j - 1].span.end { j += 1 }
        let start = tokens[t].span.start, end = tokens[j - 1].span.end
        let written = Array(sql[start..<end])
        let folding = pattern.names.folding
        let subject = fold(written)
        let foldedParts = folding == .none ? parts : parts.map { p -> MatchPattern.Part in
            if case .text(let b) = p { return .text(fold(b)) }
            return p
        }
        switch PartsMatching.split(subject, foldedParts) {
        case .failure(let f):
            return Failure(offset: start + f.offset, reason: "the name `\(String(decoding: written, as: UTF8.self))` does not fit the template's \(describeParts(parts)): \(f.reason)")
        case .success(let split):
            for (hole, range) in split.holes {
                let piece = Array(written[range])
                if piece.isEmpty {
                    return Failure(offset: start + range.lowerBound, reason: "{\(pattern.holes[hole].variable.rawValue)} would be empty in `\(String(decoding: written, as: UTF8.self))`")
                }
                if let f = piece.withUnsafeBufferPointer({ assignName(hole, $0, at: start + range.lowerBound) }) { return f }
            }
            noteAmbiguous(split)
        }
        cursor = j
        return nil
    }

    /// A literal's decoded text split by the template's text around its holes.
    /// `asNames`: the holes share one quoted name, so a split that gives a hole text its variable's
    /// names cannot hold (the dialect's per-variable forbidden text: BigQuery's dots) is not a reading.
    mutating func fill(_ parts: [MatchPattern.Part], _ text: [UInt8], at offset: Int, what: String, asNames: Bool = false) -> Failure? {
        let forbidden = asNames ? pattern.names.forbidden.filter { $0.variables != nil } : []
        let holes = pattern.holes
        let result = forbidden.isEmpty ? PartsMatching.split(text, parts) : PartsMatching.split(text, parts) { hole in
            forbidden.filter { $0.applies(to: holes[hole].variable) }.map { Array($0.text.utf8) }
        }
        switch result {
        case .failure(let f):
            return Failure(offset: offset, reason: "\(what) does not fit the template's \(describeParts(parts)): \(f.reason)")
        case .success(let split):
            for (hole, range) in split.holes {
                if let f = assign(hole, String(decoding: text[range], as: UTF8.self), at: offset) { return f }
            }
            noteAmbiguous(split)
        }
        return nil
    }

    mutating func noteAmbiguous(_ split: PartsMatching.Split) {
        guard split.ambiguous else { return }
        for (hole, _) in split.holes {
            let v = pattern.holes[hole].variable
            if !ambiguous.contains(v) { ambiguous.append(v) }
        }
    }

    // MARK: bytes

    func bodyRange(_ span: Span, open: Int, close: Int) -> Range<Int> {
        let start = min(span.start + open, span.end)
        return start..<max(start, span.end - close)
    }

    func decodeString(_ body: Range<Int>, _ decoder: LiteralDecoder) -> Result<String, Failure> {
        switch decoder.decodeString(UnsafeBufferPointer(rebasing: sql[body])) {
        case .success(let s): return .success(s)
        case .failure(let f): return .failure(Failure(offset: body.lowerBound + f.offset, reason: f.reason))
        }
    }

    func decode(_ body: Range<Int>, _ decoder: LiteralDecoder) -> Result<[UInt8], Failure> {
        let slice = UnsafeBufferPointer(rebasing: sql[body])
        switch decoder.decode(slice) {
        case .success(let b): return .success(b)
        case .failure(let f): return .failure(Failure(offset: body.lowerBound + f.offset, reason: f.reason))
        }
    }

    @inline(__always) func equal(_ span: Span, _ bytes: [UInt8], caseInsensitive: Bool) -> Bool {
        guard span.length == bytes.count else { return false }
        var k = 0
        for i in span.start..<span.end {
            let a = sql[i], b = bytes[k]
            if a != b {
                // ASCII letters only (a static ByteSet would cost a lazy-global check per byte).
                guard caseInsensitive, a | 0x20 == b | 0x20, a | 0x20 >= 0x61, a | 0x20 <= 0x7A else { return false }
            }
            k += 1
        }
        return true
    }

    // MARK: messages

    func snippet(_ t: Int) -> String {
        let span = lexed.tokens[t].span
        let end = min(span.end, span.start + 40)
        var s = String(decoding: sql[span.start..<end], as: UTF8.self)
        if end < span.end { s += "…" }
        return s
    }

    func differs(_ t: Int, _ element: MatchPattern.Element) -> Failure {
        Failure(offset: lexed.tokens[t].span.start, reason: "expected \(describe(element)), found `\(snippet(t))`")
    }

    func describe(_ element: MatchPattern.Element) -> String {
        func name(_ hole: Int) -> String { "{\(pattern.holes[hole].variable.rawValue)}" }
        switch element {
        case .token(_, let bytes, _): return "`\(String(decoding: bytes, as: UTF8.self))`"
        case .separator: return "`;`"
        case .literal(let hole, let ref): return "a string literal \(ref.opening)… for \(name(hole))"
        case .name(let hole): return "a name for \(name(hole))"
        case .tagList(let hole, let form, _):
            let shape = form.style == .bigQueryLabels ? "[(\"key\", \"value\"), …]" : (form.keysOnly ? "('key', …)" : "('key' = 'value', …)")
            return "the list \(shape) for \(name(hole))"
        case .stringContents(let ref, let parts): return "a string literal \(ref.opening)… holding \(describeParts(parts))"
        case .identifierContents(_, _, _, let parts): return "a quoted name holding \(describeParts(parts))"
        case .dollarContents(let tag, let parts): return "a dollar-quoted string \(String(decoding: tag, as: UTF8.self))… holding \(describeParts(parts))"
        case .gluedWord(let parts): return "a name of the form \(describeParts(parts))"
        }
    }

    func describeParts(_ parts: [MatchPattern.Part]) -> String {
        var s = "`"
        for p in parts {
            switch p {
            case .text(let b): s += String(decoding: b, as: UTF8.self)
            case .hole(let h): s += "{\(pattern.holes[h].variable.rawValue)}"
            }
        }
        return s + "`"
    }
}
