/// The result of lexing a template: SQL tokens, placeholders with their contexts, the statement
/// boundaries and the lexical diagnostics.
public struct LexedTemplate: Sendable {
    public var tokens: [Token] = []
    public var placeholders: [Placeholder] = []
    /// Byte offsets of `{{` and `}}` pairs anywhere (each renders as one brace).
    public var escapedBraces: [Int] = []
    /// For each statement: the token range and the lexical rules it was lexed with.
    public var statements: [LexedStatement] = []
    public var diagnostics: [Diagnostic] = []
}

public struct LexedStatement: Sendable {
    public var tokens: Range<Int>
    public var span: Span
    /// The rules this statement was lexed with (Athena switches between Hive and Trino rules).
    public var rules: LexicalRules
}

/// One pass over UTF-8 bytes. At every byte the lexer knows its context (SQL, which string kind,
/// which identifier quote, which comment); placeholders take the context they stand in.
///
/// No recursion, no backtracking beyond a bounded look-ahead: linear time on any input, and no input
/// can overflow the stack (nested comments are a counter, not a call).
public struct Lexer {
    let dialect: Dialect
    let text: [UInt8]

    public init(dialect: Dialect, text: [UInt8]) {
        self.dialect = dialect
        self.text = text
    }

    /// Longer text between braces is reported as an unterminated placeholder.
    public static let maximumFieldLength = 512

    public static func lex(_ text: [UInt8], dialect: Dialect) -> LexedTemplate {
        var state = LexerState(dialect: dialect, count: text.count)
        text.withUnsafeBufferPointer { state.run($0) }
        return state.out
    }

    /// Lexes SQL rather than a template: braces are ordinary characters (the matcher reads
    /// statements back through a template, and SQL has no placeholders).
    public static func lexSQL(_ text: UnsafeBufferPointer<UInt8>, dialect: Dialect) -> LexedTemplate {
        lexSQL(text, setup: LexerSetup(dialect))
    }

    /// Lexes SQL with a setup made once for the dialect (the matcher lexes every statement of a
    /// log with the same one; making it costs more than lexing a short statement).
    static func lexSQL(_ text: UnsafeBufferPointer<UInt8>, setup: LexerSetup) -> LexedTemplate {
        var state = LexerState(setup: setup, count: text.count, templateSyntax: false)
        state.run(text)
        return state.out
    }
}

/// What the lexer derives from its dialect before the first byte, kept by reference: a lexer
/// started from it copies no dialect and recomputes nothing.
final class LexerSetup: Sendable {
    let dialect: Dialect
    /// The longest string-literal prefix of the dialect (`U&`, `RB`; `NQ` for Oracle's q-quotes)
    /// and the quotes that can follow one: a word whose next bytes hold none of them starts no
    /// literal, which spares most words the loop over every literal kind.
    let longestPrefix: Int
    let literalQuotes: ByteSet
    /// The bytes a comment can start with under either rule set (`/*`, `*/` closing an
    /// executable comment, each line marker's first byte): any other byte starts no comment.
    let commentStarts: ByteSet
    /// A marker that is empty or starts with a non-ASCII byte (none today) turns the test off.
    let anyByteMayStartComment: Bool

    init(_ dialect: Dialect) {
        self.dialect = dialect
        let kinds = dialect.lexical.strings + (dialect.ddlLexical?.strings ?? [])
        let alternative = dialect.lexical.alternativeQuoting || dialect.ddlLexical?.alternativeQuoting == true
        longestPrefix = max(kinds.map { $0.prefix.utf8.count }.max() ?? 0, alternative ? 2 : 0)
        var quotes = ByteSet()
        for k in kinds { quotes.insert(k.quote) }
        if alternative { quotes.insert(chQuote) }
        literalQuotes = quotes
        var starts = ByteSet("/*")
        var unlisted = false
        for rules in [dialect.lexical] + (dialect.ddlLexical.map { [$0] } ?? []) {
            for marker in rules.comments.lineMarkers {
                guard let first = marker.marker.utf8.first, first < 0x80 else { unlisted = true; continue }
                starts.insert(first)
            }
        }
        commentStarts = starts
        anyByteMayStartComment = unlisted
    }
}

// MARK: - ASCII constants

@usableFromInline let chLF: UInt8 = 0x0A, chCR: UInt8 = 0x0D, chTab: UInt8 = 0x09, chSpace: UInt8 = 0x20
@usableFromInline let chLBrace: UInt8 = 0x7B, chRBrace: UInt8 = 0x7D
@usableFromInline let chQuote: UInt8 = 0x27, chDQuote: UInt8 = 0x22, chBackslash: UInt8 = 0x5C
@usableFromInline let chSlash: UInt8 = 0x2F, chStar: UInt8 = 0x2A, chDollar: UInt8 = 0x24, chSemicolon: UInt8 = 0x3B
@usableFromInline let chBang: UInt8 = 0x21, chColon: UInt8 = 0x3A, chDot: UInt8 = 0x2E, chLBracket: UInt8 = 0x5B

@inline(__always) func isSpace(_ b: UInt8) -> Bool { b == chSpace || b == chLF || b == chCR || b == chTab || b == 0x0C || b == 0x0B }
@inline(__always) func isWordByte(_ b: UInt8) -> Bool { b >= 0x80 || ByteSet.word.contains(b) || b == chDollar }
@inline(__always) func isWordStart(_ b: UInt8) -> Bool { b >= 0x80 || ByteSet.wordStart.contains(b) }
@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
@inline(__always) func upper(_ b: UInt8) -> UInt8 { (b >= 0x61 && b <= 0x7A) ? b - 32 : b }

struct LexerState {
    let setup: LexerSetup
    var rules: LexicalRules
    var out = LexedTemplate()
    /// Token index at which the current statement began.
    var statementStart = 0
    var statementByteStart = 0
    /// Whether the current statement has seen its first word (which picks Athena's rules).
    var statementHasKeyword = false
    /// Depth of T-SQL BEGIN … END blocks.
    var blockDepth = 0
    /// Inside MySQL `/*! … */`: SQL context, closed by `*/`.
    var inExecutableComment = false
    /// The word before the current one, for `BEGIN TRANSACTION`.
    var pendingBlockOpener: Int? = nil
    /// `rules` are not the dialect's default ones (Athena's Hive rules for DDL).
    var rulesSwitched = false

    /// Braces are template syntax (placeholders, `{{`): false when lexing SQL itself (the matcher
    /// reads rendered or hand-written SQL, where a brace is an ordinary character).
    let templateSyntax: Bool

    /// The dialect and what is derived from it (LexerSetup).
    var dialect: Dialect { setup.dialect }
    var longestPrefix: Int { setup.longestPrefix }
    var literalQuotes: ByteSet { setup.literalQuotes }

    init(dialect: Dialect, count: Int, templateSyntax: Bool = true) {
        self.init(setup: LexerSetup(dialect), count: count, templateSyntax: templateSyntax)
    }

    init(setup: LexerSetup, count: Int, templateSyntax: Bool) {
        self.setup = setup
        self.templateSyntax = templateSyntax
        self.rules = setup.dialect.lexical
        out.tokens.reserveCapacity(count / 3 + 4)
    }

    var statementIndex: Int { out.statements.count }

    @inline(__always) func isBrace(_ b: UInt8) -> Bool { templateSyntax && (b == chLBrace || b == chRBrace) }

    mutating func emit(_ kind: TokenKind, _ start: Int, _ end: Int) {
        out.tokens.append(Token(kind, Span(start, end)))
    }

    mutating func diagnose(_ code: DiagnosticCode, _ message: String, _ span: Span, fixes: [Fix] = []) {
        out.diagnostics.append(Diagnostic(code, message, at: span, fixes: fixes))
    }

    mutating func endStatement(at end: Int) {
        out.statements.append(LexedStatement(tokens: statementStart..<out.tokens.count,
                                             span: Span(statementByteStart, end), rules: rules))
        statementStart = out.tokens.count
        statementByteStart = end
        statementHasKeyword = false
        blockDepth = 0
        // Only a statement that switched rules needs the dialect's own back (copying the rules
        // at every statement end cost a long statement's worth of lexing).
        if rulesSwitched {
            rules = setup.dialect.lexical
            rulesSwitched = false
        }
    }

    // MARK: main loop

    mutating func run(_ t: UnsafeBufferPointer<UInt8>) {
        let n = t.count
        var i = 0
        while i < n {
            let b = t[i]
            if isBrace(b) {
                i = lexBrace(t, i, context: nil)
                continue
            }
            if isSpace(b) {
                var j = i + 1
                while j < n, isSpace(t[j]) { j += 1 }
                emit(.whitespace, i, j)
                i = j
                continue
            }
            if b == chSemicolon && blockDepth == 0 && !inExecutableComment {
                emit(.separator, i, i + 1)
                endStatement(at: i + 1)
                i += 1
                continue
            }
            if let j = lexComment(t, i) { i = j; continue }
            if let j = lexStringWithPrefix(t, i) { i = j; continue }
            if let j = lexQuoted(t, i) { i = j; continue }
            if b == chDollar, rules.dollarQuoting != .none, let j = lexDollar(t, i) { i = j; continue }
            if isWordStart(b) {
                i = lexWord(t, i)
                continue
            }
            if isDigit(b) {
                var j = i + 1
                while j < n, isDigit(t[j]) || t[j] == chDot || ByteSet.letters.contains(t[j]) { j += 1 }
                emit(.number, i, j)
                i = j
                continue
            }
            emit(.punctuation, i, i + 1)
            i += 1
        }
        if inExecutableComment, let open = out.tokens.lastIndex(where: { $0.kind == .executableCommentOpen }) {
            diagnose(.unterminatedComment, "this executable comment is never closed: add `*/`", out.tokens[open].span)
        }
        // The trailing statement (text after the last separator), unless it is only trivia.
        if statementStart < out.tokens.count || out.statements.isEmpty {
            endStatement(at: n)
        } else if let last = out.statements.indices.last {
            out.statements[last].span.end = n
        }
    }

    // MARK: words

    mutating func lexWord(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let n = t.count
        var j = i + 1
        while j < n, isWordByte(t[j]) { j += 1 }
        // `N{description}`: the national prefix belongs to the placeholder's literal.
        if templateSyntax, j == i + 1, j + 1 < n, t[j] == chLBrace, t[j + 1] != chLBrace, nationalPrefix(t[i]) {
            return lexBrace(t, j, context: nil, prefixStart: i)
        }
        emit(.word, i, j)
        noteKeyword(t, i, j)
        return j
    }

    func nationalPrefix(_ b: UInt8) -> Bool {
        guard let kind = rules.strings.first(where: { $0.name == "national" }) else { return false }
        return kind.prefixCaseSensitive ? b == UInt8(ascii: "N") : upper(b) == UInt8(ascii: "N")
    }

    /// Tracks the statement's first keyword (Athena's rule switch) and T-SQL block depth.
    mutating func noteKeyword(_ t: UnsafeBufferPointer<UInt8>, _ i: Int, _ j: Int) {
        let needsFirst = !statementHasKeyword && setup.dialect.ddlLexical != nil
        guard needsFirst || rules.compoundBlock != nil, j - i <= 16 else {
            statementHasKeyword = true
            pendingBlockOpener = nil
            return
        }
        var word = ""
        for k in i..<j { word.unicodeScalars.append(UnicodeScalar(upper(t[k]))) }
        if needsFirst {
            rules = setup.dialect.lexicalRules(forFirstKeyword: word)
            rulesSwitched = true
        }
        statementHasKeyword = true
        if let block = rules.compoundBlock {
            if pendingBlockOpener != nil {
                if block.notBlockWhenFollowedBy.contains(word) { blockDepth = max(0, blockDepth - 1) }
                pendingBlockOpener = nil
            }
            if block.openers.contains(word) {
                blockDepth += 1
                pendingBlockOpener = i
            } else if word == block.closer {
                blockDepth = max(0, blockDepth - 1)
            }
        }
    }

    // MARK: braces and placeholders

    /// Lexes `{{`, `}}`, a placeholder or a malformed field at `i` (which holds a brace).
    /// `context` is nil in SQL (the token stream gets a token); otherwise the placeholder stands
    /// inside a literal and only the placeholder list and diagnostics change.
    mutating func lexBrace(_ t: UnsafeBufferPointer<UInt8>, _ i: Int, context: PlaceholderContext?, prefixStart: Int? = nil) -> Int {
        let n = t.count
        let b = t[i]
        if i + 1 < n, t[i + 1] == b {
            out.escapedBraces.append(i)
            if context == nil { emit(.escapedBrace, i, i + 2) }
            return i + 2
        }
        if b == chRBrace {
            diagnose(.loneClosingBrace, "a single `}` is not allowed in a template: write `}}` for a literal brace",
                     Span(i, i + 1), fixes: [Fix("write `}}`", [TextEdit(Span(i, i + 1), "}}")])])
            if context == nil { emit(.invalidField, i, i + 1) }
            return i + 1
        }
        // Find the closing brace, as Python's str.format does: nested braces only in a format spec.
        var j = i + 1
        var depth = 0
        var sawSpecStart = false
        var close = -1
        // A field is short; bounding the search keeps hostile input (`{:{:{:…`) linear.
        let limit = min(n, i + 1 + Lexer.maximumFieldLength)
        while j < limit {
            let c = t[j]
            if c == chLF { break }
            if c == chColon || c == chBang { sawSpecStart = true }
            if c == chLBrace {
                if !sawSpecStart { break }
                depth += 1
            } else if c == chRBrace {
                if depth == 0 { close = j; break }
                depth -= 1
            }
            j += 1
        }
        guard close >= 0 else {
            diagnoseUnterminatedPlaceholder(t, i)
            if context == nil {
                // The `N` taken as a national prefix is an ordinary word after all.
                if let p = prefixStart { emit(.word, p, i) }
                emit(.invalidField, i, i + 1)
            }
            return i + 1
        }
        let start = prefixStart ?? i
        let whole = Span(start, close + 1)
        if let name = validateField(t, open: i, close: close) {
            let ctx = context ?? placeholderContext(t, start: start, open: i, close: close, prefixed: prefixStart != nil)
            let index = out.placeholders.count
            out.placeholders.append(Placeholder(name: name, variable: Variable(name: name), span: whole,
                                                nameSpan: Span(i + 1, close), context: ctx, statement: statementIndex))
            if context == nil { emit(.placeholder(index), whole.start, whole.end) }
        } else if context == nil {
            emit(.invalidField, whole.start, whole.end)
        }
        return close + 1
    }

    /// TPL001. When a name follows the `{` (`{table IS …`), the likely mistake is the missing `}`
    /// after it, so that is the first fix; `{{` (a literal brace) is the other reading. Both change
    /// what renders, so neither is applied without `--unsafe-fixes`.
    mutating func diagnoseUnterminatedPlaceholder(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) {
        var nameEnd = i + 1
        if nameEnd < t.count, ByteSet.wordStart.contains(t[nameEnd]) {
            while nameEnd < t.count, nameEnd - i <= Lexer.maximumFieldLength, ByteSet.word.contains(t[nameEnd]) { nameEnd += 1 }
        }
        let literalBrace = Fix("write `{{` for a literal brace", [TextEdit(Span(i, i + 1), "{{")], .unsafe)
        guard nameEnd > i + 1 else {
            diagnose(.unterminatedPlaceholder,
                     "`{` starts a placeholder that is not closed on this line: close it with `}`, or write `{{` for a literal brace",
                     Span(i, i + 1), fixes: [literalBrace])
            return
        }
        let name = String(decoding: t[(i + 1)..<nameEnd], as: UTF8.self)
        diagnose(.unterminatedPlaceholder,
                 "`{\(name)` starts a placeholder that is not closed on this line: write `{\(name)}`, or `{{` for a literal brace",
                 Span(i, i + 1), fixes: [Fix("close it: `{\(name)}`", [TextEdit(Span(nameEnd, nameEnd), "}")], .unsafe), literalBrace])
    }

    /// Checks the text between braces; returns the name for a valid `{name}`, or diagnoses.
    mutating func validateField(_ t: UnsafeBufferPointer<UInt8>, open: Int, close: Int) -> String? {
        let whole = Span(open, close + 1)
        // The field name ends at the first `!` or `:`.
        var nameEnd = open + 1
        while nameEnd < close, t[nameEnd] != chBang, t[nameEnd] != chColon { nameEnd += 1 }
        let nameBytes = Array(t[(open + 1)..<nameEnd])
        let name = String(decoding: nameBytes, as: UTF8.self)
        let trimmed = name.trimmingSpaces
        let plainName = isPlainName(trimmed)
        let fixToName: [Fix] = plainName
            ? [Fix("write `{\(trimmed)}`", [TextEdit(whole, "{\(trimmed)}")], .unsafe)] : []
        if nameEnd < close {
            if t[nameEnd] == chBang {
                var convEnd = nameEnd + 1
                while convEnd < close, t[convEnd] != chColon { convEnd += 1 }
                let conv = String(decoding: t[nameEnd..<convEnd], as: UTF8.self)
                diagnose(.conversion, "conversions such as `\(conv)` are not supported: templatec escapes each value for where it stands; write `{\(plainName ? trimmed : "name")}`",
                         Span(nameEnd, convEnd), fixes: fixToName)
            } else {
                let spec = String(decoding: t[nameEnd..<close], as: UTF8.self)
                diagnose(.formatSpec, "format specifications such as `\(spec)` are not supported: a value is rendered whole; write `{\(plainName ? trimmed : "name")}`",
                         Span(nameEnd, close), fixes: fixToName)
            }
            return nil
        }
        if trimmed.isEmpty {
            diagnose(.positionalField, "an empty placeholder `{}` names no variable: write a variable name, such as `{table}`, or `{{}}` for literal braces", whole)
            return nil
        }
        if let f = trimmed.utf8.first, isDigit(f) {
            diagnose(.positionalField, "positional placeholders such as `{\(trimmed)}` are not supported: name the variable, such as `{table}`", whole)
            return nil
        }
        if let k = nameBytes.firstIndex(where: { $0 == chDot || $0 == chLBracket }) {
            let base = String(decoding: nameBytes[..<k], as: UTF8.self).trimmingSpaces
            let fix: [Fix] = isPlainName(base) ? [Fix("write `{\(base)}`", [TextEdit(whole, "{\(base)}")], .unsafe)] : []
            diagnose(.attributeAccess, "attribute and index access (`{\(trimmed)}`) is not supported: a variable is a single value; write `{\(isPlainName(base) ? base : "name")}`",
                     whole, fixes: fix)
            return nil
        }
        if trimmed != name {
            diagnose(.spaceInPlaceholder, "spaces inside braces make `{\(name)}` a different name in Python: write `{\(trimmed)}`",
                     whole, fixes: plainName ? [Fix("remove the spaces", [TextEdit(whole, "{\(trimmed)}")])] : [])
            return nil
        }
        if !plainName {
            diagnose(.invalidName, "`{\(name)}` is not a variable name: names are letters, digits and `_`; write `{{` and `}}` if the braces are meant literally",
                     whole, fixes: [Fix("write literal braces", [TextEdit(Span(open, open + 1), "{{"), TextEdit(Span(close, close + 1), "}}")], .unsafe)])
            return nil
        }
        return name
    }

    func isPlainName(_ s: String) -> Bool {
        guard let f = s.utf8.first, ByteSet.wordStart.contains(f) else { return false }
        return s.utf8.allSatisfy { ByteSet.word.contains($0) }
    }

    /// The context of a placeholder standing in SQL: bare, N-prefixed, or glued to a name.
    func placeholderContext(_ t: UnsafeBufferPointer<UInt8>, start: Int, open: Int, close: Int, prefixed: Bool) -> PlaceholderContext {
        if prefixed { return .nationalPrefixed }
        let before = start > 0 ? t[start - 1] : chSpace
        let after = close + 1 < t.count ? t[close + 1] : chSpace
        // `}` before means another placeholder touches this one; `{` after likewise (but not `{{`).
        let touchesBefore = isWordByte(before) || (before == chRBrace && !(start >= 2 && t[start - 2] == chRBrace))
        let touchesAfter = isWordByte(after) || (after == chLBrace && !(close + 2 < t.count && t[close + 2] == chLBrace))
        return touchesBefore || touchesAfter ? .glued : .bare
    }

    // MARK: comments

    /// Lexes a comment starting at `i`, if one does.
    mutating func lexComment(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let n = t.count
        let b = t[i]
        guard setup.commentStarts.contains(b) || setup.anyByteMayStartComment else { return nil }
        if inExecutableComment, b == chStar, i + 1 < n, t[i + 1] == chSlash {
            inExecutableComment = false
            emit(.executableCommentClose, i, i + 2)
            return i + 2
        }
        if b == chSlash, i + 1 < n, t[i + 1] == chStar {
            if rules.comments.executableComments, !inExecutableComment, let j = executableOpenEnd(t, i) {
                inExecutableComment = true
                emit(.executableCommentOpen, i, j)
                return j
            }
            return lexBlockComment(t, i)
        }
        for marker in rules.comments.lineMarkers where matches(t, i, marker.marker) {
            let after = i + marker.marker.utf8.count
            if marker.needsFollowingSpace, after < n, t[after] > chSpace { continue }
            var j = after
            while j < n, t[j] != chLF {
                if isBrace(t[j]) { j = lexBrace(t, j, context: .comment) } else { j += 1 }
            }
            emit(.lineComment, i, j)
            return j
        }
        return nil
    }

    /// `/*!`, `/*!50100`, `/*M!`, `/*M!100500`: the end of the opener, or nil.
    func executableOpenEnd(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let n = t.count
        var j = i + 2
        if j < n, t[j] == UInt8(ascii: "M") { j += 1 }
        guard j < n, t[j] == chBang else { return nil }
        j += 1
        while j < n, isDigit(t[j]) { j += 1 }
        return j
    }

    mutating func lexBlockComment(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let n = t.count
        var depth = 1
        var j = i + 2
        while j < n {
            let c = t[j]
            if c == chStar, j + 1 < n, t[j + 1] == chSlash {
                depth -= 1
                j += 2
                if depth == 0 { break }
                continue
            }
            if c == chSlash, j + 1 < n, t[j + 1] == chStar, rules.comments.blockCommentsNest {
                depth += 1
                j += 2
                continue
            }
            if isBrace(c) { j = lexBrace(t, j, context: .comment); continue }
            j += 1
        }
        if depth > 0 {
            let nesting = rules.comments.blockCommentsNest && depth > 1
                ? " (\(dialect.displayName) block comments nest: \(depth) are open here)" : ""
            diagnose(.unterminatedComment, "this block comment is never closed\(nesting): add `*/`", Span(i, i + 2))
            j = n
        }
        emit(.blockComment, i, j)
        return j
    }

    // MARK: strings and quoted identifiers

    @inline(__always) func matches(_ t: UnsafeBufferPointer<UInt8>, _ i: Int, _ s: String) -> Bool {
        var k = i
        for c in s.utf8 {
            guard k < t.count, t[k] == c else { return false }
            k += 1
        }
        return true
    }

    /// A string literal with a prefix (`E'`, `N'`, `rb"`, `q'[`) or without one, at `i`.
    mutating func lexStringWithPrefix(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let n = t.count
        let b = t[i]
        let startsWord = isWordStart(b)
        // Most words start no literal: one bitmap test skips them (BigQuery has 20 kinds).
        guard b == chQuote || b == chDQuote || (rules.literalPrefixStarts.contains(b) && (i == 0 || !isWordByte(t[i - 1]))) else { return nil }
        if b != chQuote && b != chDQuote {
            var k = i + 1
            let end = min(n, i + longestPrefix + 1)
            while k < end, !literalQuotes.contains(t[k]) { k += 1 }
            guard k < end else { return nil }
        }
        if rules.alternativeQuoting, startsWord, let j = lexAlternativeQuote(t, i) { return j }
        // By index, reading fields in place: copying each kind (its strings) cost more than the test.
        for index in rules.strings.indices {
            var k = i
            var ok = true
            let caseSensitive = rules.strings[index].prefixCaseSensitive
            for c in rules.strings[index].prefix.utf8 {
                guard k < n else { ok = false; break }
                let actual = t[k]
                if caseSensitive ? actual != c : upper(actual) != c { ok = false; break }
                k += 1
            }
            let quote = rules.strings[index].quote, triple = rules.strings[index].triple
            guard ok, k < n, t[k] == quote else { continue }
            if triple {
                guard k + 2 < n, t[k + 1] == quote, t[k + 2] == quote else { continue }
            }
            return lexLiteralBody(t, start: i, bodyStart: k + (triple ? 3 : 1), kind: rules.strings[index], index: index)
        }
        return nil
    }

    mutating func lexLiteralBody(_ t: UnsafeBufferPointer<UInt8>, start: Int, bodyStart: Int, kind: StringLiteralKind, index: Int) -> Int {
        let n = t.count
        let q = kind.quote
        var j = bodyStart
        while j < n {
            let c = t[j]
            if isBrace(c) { j = lexBrace(t, j, context: .string(kind)); continue }
            if c == chBackslash, kind.escapes.backslash {
                // A brace after a backslash is still a placeholder: Python formats before SQL lexes.
                if j + 1 < n, isBrace(t[j + 1]) { j += 1; continue }
                j += 2
                continue
            }
            if c == q {
                if kind.triple {
                    if j + 2 < n, t[j + 1] == q, t[j + 2] == q {
                        emit(.string(index), start, j + 3)
                        return j + 3
                    }
                    j += 1
                    continue
                }
                if kind.escapes.doubledQuote, j + 1 < n, t[j + 1] == q { j += 2; continue }
                emit(.string(index), start, j + 1)
                return j + 1
            }
            if c == chLF, !kind.newlinesAllowed {
                diagnose(.newlineInString,
                         "a \(kind.name) string literal cannot span lines in \(dialect.displayName): close it on this line, write `\\n`, or use a triple-quoted string",
                         Span(start, bodyStart))
                emit(.string(index), start, j)
                return j
            }
            j += 1
        }
        if !kind.triple, let (open, apostrophe, earlier) = literalClosedByApostrophe(t, quote: q) {
            diagnoseApostrophe(t, kind: earlier, open: open, apostrophe: apostrophe)
        } else if !kind.triple, let (open, earlier) = literalRunningPastItsLine(t, quote: q) {
            diagnose(.unterminatedString,
                     "this \(earlier.name) string literal (\(earlier.opening)…) runs past the end of its line, and the \(String(UnicodeScalar(q))) that ends it on a later line leaves the last \(String(UnicodeScalar(q))) of the template unclosed: close this literal where it should end",
                     Span(open, open + 1))
        } else {
            diagnose(.unterminatedString, "this \(kind.name) string literal (\(kind.opening)…) is never closed: add the closing \(String(UnicodeScalar(q)))\(kind.triple ? " ×3" : "")",
                     Span(start, bodyStart))
        }
        emit(.string(index), start, n)
        return n
    }

    /// `'it's here'`: the apostrophe closes the literal, and the literal's own closing quote then
    /// opens one that never ends. The mistake is at the first literal, so that is where LEX101
    /// points. Recognised when an earlier literal of the statement, closed by the same quote, is
    /// directly followed by a letter. Returns the earlier literal's opening quote and the
    /// apostrophe.
    func literalClosedByApostrophe(_ t: UnsafeBufferPointer<UInt8>, quote: UInt8) -> (Int, Int, StringLiteralKind)? {
        var k = out.tokens.count - 1
        var looked = 0
        while k >= statementStart, looked < 4096 {
            let token = out.tokens[k]
            if case .string(let index) = token.kind, index < rules.strings.count, token.span.end < t.count, token.span.length >= 3,
               t[token.span.end - 1] == quote, ByteSet.letters.contains(t[token.span.end]), ByteSet.letters.contains(t[token.span.end - 2]) {
                guard let open = (token.span.start..<token.span.end).first(where: { t[$0] == quote }), open < token.span.end - 1 else { return nil }
                return (open, token.span.end - 1, rules.strings[index])
            }
            k -= 1
            looked += 1
        }
        return nil
    }

    /// `IS 'unfinished;` followed by more SQL: the literal runs on to the next quote, several
    /// lines down, and that quote's partner is left open at the end. The first literal of the
    /// statement that spans a line is where the mistake is, when the dialect's literals may span
    /// lines at all (it is the guess; a literal meant to span lines is rare in a template).
    func literalRunningPastItsLine(_ t: UnsafeBufferPointer<UInt8>, quote: UInt8) -> (Int, StringLiteralKind)? {
        var found: (Int, StringLiteralKind)? = nil
        var k = out.tokens.count - 1
        var looked = 0
        while k >= statementStart, looked < 4096 {
            let token = out.tokens[k]
            if case .string(let index) = token.kind, index < rules.strings.count, t[token.span.end - 1] == quote,
               (token.span.start..<token.span.end).contains(where: { t[$0] == chLF }),
               let open = (token.span.start..<token.span.end).first(where: { t[$0] == quote }) {
                found = (open, rules.strings[index])
            }
            k -= 1
            looked += 1
        }
        return found
    }

    mutating func diagnoseApostrophe(_ t: UnsafeBufferPointer<UInt8>, kind: StringLiteralKind, open: Int, apostrophe: Int) {
        let q = String(UnicodeScalar(t[apostrophe]))
        var wordStart = apostrophe
        while wordStart > open + 1, ByteSet.letters.contains(t[wordStart - 1]) { wordStart -= 1 }
        var wordEnd = apostrophe + 1
        while wordEnd < t.count, wordEnd - wordStart < 64, ByteSet.letters.contains(t[wordEnd]) { wordEnd += 1 }
        let word = String(decoding: t[wordStart..<wordEnd], as: UTF8.self)
        let escaped = kind.escapes.doubledQuote ? q + q : (kind.escapes.backslash ? "\\" + q : nil)
        let advice = escaped.map { "write it as `\($0)`" } ?? "use another literal form"
        diagnose(.unterminatedString,
                 "the \(q) in `\(word)` ends the \(kind.name) string literal opened here, so a later \(q) opens one that is never closed: \(advice)",
                 Span(open, open + 1),
                 fixes: escaped.map { [Fix("write `\($0)`", [TextEdit(Span(apostrophe, apostrophe + 1), $0)], .unsafe)] } ?? [])
    }

    /// Oracle `q'[…]'` (also `nq'…'`): the delimiter closes with its partner, then `'`.
    mutating func lexAlternativeQuote(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let n = t.count
        var k = i
        if upper(t[k]) == UInt8(ascii: "N") { k += 1 }
        guard k + 2 < n, upper(t[k]) == UInt8(ascii: "Q"), t[k + 1] == chQuote else { return nil }
        let open = t[k + 2]
        guard !isSpace(open) else { return nil }
        let close: UInt8
        switch open {
        case UInt8(ascii: "["): close = UInt8(ascii: "]")
        case UInt8(ascii: "{"): close = UInt8(ascii: "}")
        case UInt8(ascii: "("): close = UInt8(ascii: ")")
        case UInt8(ascii: "<"): close = UInt8(ascii: ">")
        default: close = open
        }
        var j = k + 3
        while j < n {
            if t[j] == close, j + 1 < n, t[j + 1] == chQuote {
                emit(.alternativeString, i, j + 2)
                return j + 2
            }
            if isBrace(t[j]) && open != chLBrace {
                j = lexBrace(t, j, context: .alternativeQuoted)
                continue
            }
            j += 1
        }
        diagnose(.unterminatedString, "this alternative-quoted literal (q'\(String(UnicodeScalar(open)))…) is never closed: end it with `\(String(UnicodeScalar(close)))'`",
                 Span(i, k + 3))
        emit(.alternativeString, i, n)
        return n
    }

    /// A quoted identifier at `i`, if the dialect quotes names with that byte.
    mutating func lexQuoted(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let n = t.count
        let b = t[i]
        guard let index = rules.identifierQuotes.firstIndex(where: { $0.open == b }) else { return nil }
        let kind = rules.identifierQuotes[index]
        let context = PlaceholderContext.quotedIdentifier(kind)
        var j = i + 1
        while j < n {
            let c = t[j]
            if isBrace(c) { j = lexBrace(t, j, context: context); continue }
            if c == chBackslash, kind.escapes.backslash {
                if j + 1 < n, isBrace(t[j + 1]) { j += 1; continue }
                j += 2
                continue
            }
            if c == kind.close {
                if kind.escapes.doubledQuote, j + 1 < n, t[j + 1] == kind.close { j += 2; continue }
                emit(.quotedIdentifier(index), i, j + 1)
                return j + 1
            }
            j += 1
        }
        diagnose(.unterminatedIdentifier, "this \(kind.name) identifier is never closed: add the closing \(String(UnicodeScalar(kind.close)))",
                 Span(i, i + 1))
        emit(.quotedIdentifier(index), i, n)
        return n
    }

    /// `$$…$$` or `$tag$…$tag$` at `i`, if it is one.
    mutating func lexDollar(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let n = t.count
        // A dollar quote cannot continue an identifier (`a$b$` is a name).
        if i > 0, isWordByte(t[i - 1]) { return nil }
        var j = i + 1
        if j < n, t[j] != chDollar {
            guard rules.dollarQuoting == .tagged, isWordStart(t[j]), t[j] < 0x80 else { return nil }
            while j < n, ByteSet.word.contains(t[j]) { j += 1 }
        }
        guard j < n, t[j] == chDollar else { return nil }
        let tagBytes = Array(t[i...j])
        let tag = String(decoding: tagBytes.dropFirst().dropLast(), as: UTF8.self)
        let context = PlaceholderContext.dollarQuoted(tag: tag)
        var k = j + 1
        while k < n {
            let c = t[k]
            if isBrace(c) { k = lexBrace(t, k, context: context); continue }
            if c == chDollar, k + tagBytes.count <= n {
                var same = true
                for (m, tb) in tagBytes.enumerated() where t[k + m] != tb { same = false; break }
                if same {
                    emit(.dollarString, i, k + tagBytes.count)
                    return k + tagBytes.count
                }
            }
            k += 1
        }
        diagnose(.unterminatedDollarQuote, "this dollar-quoted string is never closed: end it with `\(String(decoding: tagBytes, as: UTF8.self))`",
                 Span(i, j + 1))
        emit(.dollarString, i, n)
        return n
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace (no Foundation in the core).
    var trimmingSpaces: String {
        let u = Array(utf8)
        var a = 0, b = u.count
        while a < b, isSpace(u[a]) { a += 1 }
        while b > a, isSpace(u[b - 1]) { b -= 1 }
        return String(decoding: u[a..<b], as: UTF8.self)
    }
}
