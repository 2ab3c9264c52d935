/// A compiled template turned into what the matcher aligns SQL with: its significant tokens (the
/// literal segments, lexed) and its holes, each with the inverse of its escaper.
///
/// The pattern is built from the artifact alone (an artifact read from JSON has no source): the
/// segments are written back as template text (`{` doubled, each hole as `{variable}`) and lexed
/// with the dialect's rules, so every token and every placeholder context is the lexer's own.
///
/// A class: a match holds it by one reference (copying the dialect into every match would cost
/// more than the match).
final class MatchPattern: Sendable {
    /// A piece of a token that holds holes: text (already decoded) or a hole.
    enum Part: Sendable, Hashable {
        case text([UInt8])
        case hole(Int)
    }

    /// Which token a literal token or a hole's value must be, in the SQL's statement rules.
    struct StringKindRef: Sendable, Hashable {
        let rules: String
        let index: Int
        let decoder: LiteralDecoder
        let opening: String
    }

    enum Element: Sendable {
        /// A token of the template's text: the SQL must have the same one (words case-insensitive
        /// where `caseInsensitive`).
        case token(TokenClass, [UInt8], caseInsensitive: Bool)
        case separator
        /// A bare text hole: one complete literal of exactly this kind.
        case literal(hole: Int, StringKindRef)
        /// A bare name hole: a name, unquoted or in any of the dialect's identifier quotes.
        case name(hole: Int)
        /// `{tags}`: the dialect's list form.
        case tagList(hole: Int, TagListForm, StringKindRef)
        /// A string literal of the template that holds holes.
        case stringContents(StringKindRef, [Part])
        /// A quoted identifier of the template that holds holes.
        case identifierContents(identifierIndex: Int, rules: String, LiteralDecoder, [Part])
        /// A dollar-quoted string of the template that holds holes: the tag with its dollars.
        case dollarContents(tag: [UInt8], [Part])
        /// Name text and glued holes that form one word (`stg_{table}`).
        case gluedWord([Part])
    }

    enum TokenClass: Sendable, Hashable {
        case word, number, punctuation, string, quotedIdentifier, dollarString, alternativeString
        case executableOpen, executableClose

        init?(_ kind: TokenKind) {
            switch kind {
            case .word: self = .word
            case .number: self = .number
            case .punctuation, .escapedBrace: self = .punctuation
            case .string: self = .string
            case .quotedIdentifier: self = .quotedIdentifier
            case .dollarString: self = .dollarString
            case .alternativeString: self = .alternativeString
            case .executableCommentOpen: self = .executableOpen
            case .executableCommentClose: self = .executableClose
            case .whitespace, .lineComment, .blockComment, .placeholder, .separator, .invalidField: return nil
            }
        }
    }

    let elements: [Element]
    let holes: [Hole]
    /// For each hole, its slot in the answer (one per distinct variable).
    let slotOfHole: [Int]
    let slotVariables: [Variable]
    let dialect: Dialect
    /// The dialect's lexer setup, made once: every statement matched is lexed with it.
    let lexerSetup: LexerSetup
    let names: NameRules
    /// SQL exactly as rendered, read without lexing; nil when a hole does not delimit itself.
    let fastPath: CanonicalFastPath?

    /// Why a template cannot be run backwards.
    struct Unavailable: Error, Sendable {
        let reason: String
    }

    init(_ template: CompiledTemplate) throws(Unavailable) {
        let dialect = Dialect.named(template.dialect, options: template.options)
        self.dialect = dialect
        lexerSetup = LexerSetup(dialect)
        self.names = template.names
        let holes = template.holes
        self.holes = holes
        var slotVariables: [Variable] = []
        slotOfHole = holes.map { h in
            if let s = slotVariables.firstIndex(of: h.variable) { return s }
            slotVariables.append(h.variable)
            return slotVariables.count - 1
        }
        self.slotVariables = slotVariables
        elements = try MatchPattern.elements(template, dialect: dialect, holes: holes)
        fastPath = CanonicalFastPath(template, holes: holes, names: template.names)
    }

    /// The answer from the values read into the slots.
    func answer(_ slots: [String?], tags: [(key: String, value: String)], folded: [TemplateMatch.FoldedName], ambiguous: [Variable]) -> TemplateMatch {
        var values = [Variable: String](minimumCapacity: slotVariables.count)
        for (k, v) in slotVariables.enumerated() where v != .tags {
            if let s = slots[k] { values[v] = s }
        }
        return TemplateMatch(values: RenderValues(values, tags: tags), foldedNames: folded, ambiguous: ambiguous)
    }

    /// The template text of the artifact: what the compiler read, minus the directive's effect.
    static func skeleton(_ template: CompiledTemplate) -> [UInt8] {
        var out: [UInt8] = []
        for segment in template.segments {
            switch segment {
            case .text(let t):
                for b in t.utf8 {
                    out.append(b)
                    if b == chLBrace || b == chRBrace { out.append(b) }
                }
            case .hole(let h):
                out.append(chLBrace)
                out += Array(h.variable.rawValue.utf8)
                out.append(chRBrace)
            }
        }
        return out
    }

    static func elements(_ template: CompiledTemplate, dialect: Dialect, holes: [Hole]) throws(Unavailable) -> [Element] {
        let text = skeleton(template)
        let lexed = Lexer.lex(text, dialect: dialect)
        guard lexed.placeholders.count == holes.count,
              zip(lexed.placeholders, holes).allSatisfy({ $0.variable == $1.variable }) else {
            throw Unavailable(reason: "its segments do not lex back into its holes (the artifact was edited, or written by another templatec): recompile it")
        }
        if let d = lexed.diagnostics.first {
            throw Unavailable(reason: "its text does not lex cleanly (\(d.message)): recompile it")
        }
        let keywords = dialect.identifiers.folding == .none ? MatchPattern.keywords(dialect) : []
        var out: [Element] = []
        // Placeholders in order of position; `next` walks them alongside the tokens.
        var next = 0
        func holesInside(_ span: Span) -> [Int] {
            var found: [Int] = []
            while next < lexed.placeholders.count, lexed.placeholders[next].span.start < span.end {
                if lexed.placeholders[next].span.start >= span.start { found.append(next) }
                next += 1
            }
            return found
        }
        for statement in lexed.statements {
            let rules = statement.rules
            var k = statement.tokens.lowerBound
            while k < statement.tokens.upperBound {
                let token = lexed.tokens[k]
                if let run = gluedRun(lexed, from: k, end: statement.tokens.upperBound) {
                    var parts: [Part] = []
                    for t in run {
                        if case .placeholder(let p) = lexed.tokens[t].kind {
                            _ = holesInside(lexed.tokens[t].span)
                            parts.append(.hole(p))
                        } else {
                            parts.append(.text(Array(text[lexed.tokens[t].span.start..<lexed.tokens[t].span.end])))
                        }
                    }
                    out.append(.gluedWord(mergeTexts(parts)))
                    k = run.upperBound
                    continue
                }
                k += 1
                if token.kind.isTrivia && TokenClass(token.kind) == nil { continue }
                let bytes = Array(text[token.span.start..<token.span.end])
                let inside = holesInside(token.span)
                switch token.kind {
                case .separator:
                    out.append(.separator)
                case .placeholder(let p):
                    out.append(try bareHole(p, holes[p], rules: rules))
                case .string(let index) where !inside.isEmpty:
                    let kind = rules.strings[index]
                    let ref = StringKindRef(rules: rules.name, index: index, decoder: LiteralDecoder(kind), opening: kind.opening)
                    let open = kind.prefix.utf8.count + (kind.triple ? 3 : 1)
                    let close = kind.triple ? 3 : 1
                    out.append(.stringContents(ref, try parts(text, token.span, open: open, close: close, inside, lexed, ref.decoder)))
                case .quotedIdentifier(let index) where !inside.isEmpty:
                    let decoder = LiteralDecoder(rules.identifierQuotes[index])
                    out.append(.identifierContents(identifierIndex: index, rules: rules.name, decoder,
                                                   try parts(text, token.span, open: 1, close: 1, inside, lexed, decoder)))
                case .dollarString where !inside.isEmpty:
                    let tagEnd = bytes.dropFirst().firstIndex(of: chDollar)! + 1
                    out.append(.dollarContents(tag: Array(bytes[..<tagEnd]),
                                               try parts(text, token.span, open: tagEnd, close: tagEnd, inside, lexed, nil)))
                case .escapedBrace:
                    out.append(.token(.punctuation, [bytes[0]], caseInsensitive: false))
                case .word:
                    let insensitive = dialect.identifiers.folding != .none || keywords.contains(String(decoding: bytes, as: UTF8.self).uppercased())
                    out.append(.token(.word, bytes, caseInsensitive: insensitive))
                default:
                    guard inside.isEmpty, let cls = TokenClass(token.kind) else {
                        throw Unavailable(reason: "a placeholder stands where no value can be read back (\(token.kind))")
                    }
                    out.append(.token(cls, unescapingBraces(bytes), caseInsensitive: false))
                }
            }
        }
        return out
    }

    /// The element of a placeholder standing alone in SQL, from its hole's escaper.
    static func bareHole(_ index: Int, _ hole: Hole, rules: LexicalRules) throws(Unavailable) -> Element {
        func kindRef(_ form: QuotedForm) throws(Unavailable) -> StringKindRef {
            guard let i = rules.strings.firstIndex(where: { QuotedForm($0) == form }) else {
                throw Unavailable(reason: "no string literal kind of the dialect writes \(form.open)…\(form.closeText)")
            }
            let kind = rules.strings[i]
            return StringKindRef(rules: rules.name, index: i, decoder: LiteralDecoder(kind), opening: kind.opening)
        }
        switch hole.escaper {
        case .literal(let form): return .literal(hole: index, try kindRef(form))
        case .name: return .name(hole: index)
        case .tagList(let form): return .tagList(hole: index, form, try kindRef(form.literal))
        case .gluedName: return .gluedWord([.hole(index)])
        case .literalContents, .nameContents, .dollarQuoted:
            throw Unavailable(reason: "`{\(hole.variable.rawValue)}` should stand inside a literal but lexes bare: recompile the template")
        }
    }

    /// The tokens from `k` that form one glued word (name text and glued placeholders, touching),
    /// or nil when the token at `k` starts none.
    static func gluedRun(_ lexed: LexedTemplate, from k: Int, end: Int) -> Range<Int>? {
        func isPiece(_ t: Token) -> Bool {
            switch t.kind {
            case .word, .number: return true
            case .placeholder(let p): return lexed.placeholders[p].context == .glued
            default: return false
            }
        }
        guard isPiece(lexed.tokens[k]) else { return nil }
        var j = k + 1
        var hasGlued = { if case .placeholder = lexed.tokens[k].kind { return true } else { return false } }()
        while j < end, isPiece(lexed.tokens[j]), lexed.tokens[j].span.start == lexed.tokens[j - 1].span.end {
            if case .placeholder = lexed.tokens[j].kind { hasGlued = true }
            j += 1
        }
        return hasGlued ? k..<j : nil
    }

    /// The parts of a literal token holding placeholders: the template's text between them,
    /// decoded as the literal's contents, and the holes.
    static func parts(_ text: [UInt8], _ span: Span, open: Int, close: Int, _ inside: [Int], _ lexed: LexedTemplate,
                      _ decoder: LiteralDecoder?) throws(Unavailable) -> [Part] {
        var out: [Part] = []
        var start = span.start + open
        func addText(_ end: Int) throws(Unavailable) {
            guard end > start else { return }
            let raw = unescapingBraces(Array(text[start..<end]))
            guard let decoder else { out.append(.text(raw)); return }
            switch raw.withUnsafeBufferPointer({ decoder.decode($0) }) {
            case .success(let decoded): out.append(.text(decoded))
            case .failure(let f):
                throw Unavailable(reason: "the template's own text inside a literal cannot be read back (\(f.reason)), for example an escape split by a placeholder")
            }
        }
        for p in inside {
            let ps = lexed.placeholders[p].span
            try addText(ps.start)
            out.append(.hole(p))
            start = ps.end
        }
        try addText(span.end - close)
        return out
    }

    static func mergeTexts(_ parts: [Part]) -> [Part] {
        var out: [Part] = []
        for p in parts {
            if case .text(let b) = p, case .text(let a)? = out.last {
                out[out.count - 1] = .text(a + b)
            } else {
                out.append(p)
            }
        }
        return out
    }

    static func unescapingBraces(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(chLBrace) || bytes.contains(chRBrace) else { return bytes }
        var out: [UInt8] = []
        Compiler.appendUnescapingBraces(bytes[...], to: &out)
        return out
    }

    /// Words compared without regard to case in a dialect that does not fold names: the
    /// dialect's reserved words and the keywords of its statement forms. Other words of the
    /// template are names, compared exactly.
    static func keywords(_ dialect: Dialect) -> Set<String> {
        var set = dialect.identifiers.reserved
        for form in dialect.statementForms {
            for word in form.pattern.split(separator: " ") {
                for alternative in word.split(separator: "|") where alternative.utf8.allSatisfy({ ByteSet.letters.contains($0) || $0 == UInt8(ascii: "_") }) {
                    set.insert(String(alternative))
                }
            }
        }
        return set
    }
}
