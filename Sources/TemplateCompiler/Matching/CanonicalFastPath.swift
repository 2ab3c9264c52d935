/// The fast path of the matcher: SQL exactly as the renderer writes it, read without lexing.
///
/// Most SQL a matcher sees was written by templatec (logs, statement histories, stored
/// comments), byte for byte the template's text with each hole's canonical escaping. This path
/// compares the text segments byte for byte and reads each hole by scanning its own delimiters.
/// It answers only when the SQL is exactly `render(values)` for the values it read: each value,
/// escaped again by the hole's own escaper, must give back the very bytes it was read from, and
/// every segment must be there unchanged. Anything else (other whitespace, comments, keyword
/// case, a trailing separator, another escape) returns nil and the general path answers, so both
/// give the same answer on every input (MatchFastPathTests and the renderer fuzzer compare them).
///
/// Only templates whose holes delimit themselves have a fast path: complete literals, names
/// followed by punctuation or space, and contents holes that end their literal (or are followed
/// only by plain text before its close). Glued names, tag lists and several holes in one literal
/// are left to the general path.
final class CanonicalFastPath: Sendable {
    enum Op: Sendable {
        case text(Range<Int>)
        case hole(Read)
    }

    /// How one hole's bytes are found and checked. A class: walking the ops copies no arrays.
    final class Read: Sendable {
        let hole: Int
        let shape: Shape
        /// The hole's escaper, to escape the value again.
        let form: CompiledForm?
        let decoder: LiteralDecoder?
        /// Only backslash escapes give a value several spellings; a body of a doubling-only form
        /// that the scan delimits and the decoder accepts is the canonical one.
        let needsCanonicalCheck: Bool

        init(hole: Int, shape: Shape, form: CompiledForm?, decoder: LiteralDecoder?) {
            self.hole = hole
            self.shape = shape
            self.form = form
            self.decoder = decoder
            needsCanonicalCheck = form.map { $0.form.backslashEscapes || $0.form.quoteWithBackslash || $0.form.controls != .raw } ?? false
        }
    }

    enum Shape: Sendable {
        /// `open` … the unescaped close byte (a complete literal).
        case literal(open: [UInt8], close: UInt8)
        /// A plain name unquoted, or `open` … `close` when it is not plain (or always).
        case name(open: UInt8, close: UInt8, alwaysQuote: Bool)
        /// Inside a literal or quoted name: up to the unescaped `close`, less the plain text that
        /// the template writes between the hole and the close.
        case contents(close: UInt8, trailing: Int)
        /// Inside `$tag$…$tag$`: up to the closing tag, less the trailing text.
        case dollar(tag: [UInt8], trailing: Int)
    }

    let bytes: [UInt8]
    let ops: [Op]
    let names: NameRules
    /// The comments and whitespace the template starts with (its directive): the SQL may have them
    /// as rendered, or not at all.
    let leading: [UInt8]

    /// nil when the template has a hole this path cannot read.
    init?(_ template: CompiledTemplate, holes: [Hole], names: NameRules) {
        self.names = names
        var bytes: [UInt8] = []
        var ops: [Op] = []
        var holeIndex = 0
        var segments = template.segments
        // Leading comments and whitespace (the directive) are no part of what must match.
        var leading: [UInt8] = []
        if case .text(let first)? = segments.first {
            let text = Array(first.utf8)
            let trimmed = CanonicalFastPath.droppingLeadingTrivia(text, template)
            leading = Array(text[..<(text.count - trimmed.count)])
            segments[0] = .text(String(decoding: trimmed, as: UTF8.self))
        }
        self.leading = leading
        if case .text(let last)? = segments.last {
            var t = Array(last.utf8)
            while let b = t.last, isSpace(b) { t.removeLast() }
            segments[segments.count - 1] = .text(String(decoding: t, as: UTF8.self))
        }
        for (k, segment) in segments.enumerated() {
            switch segment {
            case .text(let t):
                let start = bytes.count
                bytes += Array(t.utf8)
                if bytes.count > start { ops.append(.text(start..<bytes.count)) }
            case .hole(let h):
                let next: [UInt8]
                if k + 1 < segments.count, case .text(let t) = segments[k + 1] { next = Array(t.utf8) } else { next = [] }
                let previousIsHole = k > 0 && { if case .hole = segments[k - 1] { return true } else { return false } }()
                guard !previousIsHole, let read = CanonicalFastPath.read(holeIndex, h, next: next) else { return nil }
                ops.append(.hole(read))
                holeIndex += 1
            }
        }
        self.bytes = bytes
        self.ops = ops
    }

    static func droppingLeadingTrivia(_ text: [UInt8], _ template: CompiledTemplate) -> [UInt8] {
        let dialect = Dialect.named(template.dialect, options: template.options)
        let lexed = text.withUnsafeBufferPointer { Lexer.lexSQL($0, dialect: dialect) }
        guard let first = lexed.tokens.first(where: { !$0.kind.isTrivia }) else { return [] }
        return Array(text[first.span.start...])
    }

    /// Bytes after a plain name that end it for the lexer and start no literal or quote.
    static let nameEnds = ByteSet(" \t\n\r.,;()=")

    static func read(_ index: Int, _ hole: Hole, next: [UInt8]) -> Read? {
        switch hole.escaper {
        case .literal(let f):
            guard f.closeText.utf8.count == 1 else { return nil }
            return Read(hole: index, shape: .literal(open: Array(f.open.utf8), close: f.close), form: CompiledForm(f),
                        decoder: LiteralDecoder(quote: f.close, form: f))
        case .name(let f, let always):
            guard let after = next.first, nameEnds.contains(after), f.open.utf8.count == 1 else { return nil }
            return Read(hole: index, shape: .name(open: f.open.utf8.first!, close: f.close, alwaysQuote: always), form: CompiledForm(f),
                        decoder: LiteralDecoder(quote: f.close, form: f))
        case .literalContents(let f), .nameContents(let f):
            guard f.closeText.utf8.count == 1, let close = next.firstIndex(of: f.close),
                  !next[..<close].contains(chBackslash) else { return nil }
            return Read(hole: index, shape: .contents(close: f.close, trailing: close), form: CompiledForm(f),
                        decoder: LiteralDecoder(quote: f.close, form: f))
        case .dollarQuoted(let tag):
            let tagBytes = Array("$\(tag)$".utf8)
            guard let end = PartsMatching.find(tagBytes, in: next, from: 0, to: next.count), !next[..<end].contains(chDollar) else { return nil }
            return Read(hole: index, shape: .dollar(tag: tagBytes, trailing: end), form: nil, decoder: nil)
        case .gluedName, .tagList:
            return nil
        }
    }

    /// Where each slot's value stands after a match, without building a string: in the SQL itself
    /// (a body without escapes, a plain name) or decoded into `decoded`. One is kept per worker
    /// and reused line after line, so reading a log allocates nothing per statement.
    struct SlotValues {
        enum Place {
            case unset
            case sql(Range<Int>)
            case decoded(Range<Int>)
        }

        var places: [Place]
        var decoded: [UInt8] = []
        /// The SQL is known to be valid UTF-8 (a Swift string, a request already checked), and so
        /// is every value decoded from it (decoding only drops or writes ASCII bytes): no check.
        var sqlIsValidUTF8 = false

        init(count: Int, reserving capacity: Int = 0) {
            places = [Place](repeating: .unset, count: count)
            decoded.reserveCapacity(capacity)
        }

        mutating func reset() {
            for k in places.indices { places[k] = .unset }
            decoded.removeAll(keepingCapacity: true)
        }

        /// The bytes of a value (the SQL's, or the decoded copy's).
        func withBytes<R>(_ place: Place, in sql: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
            switch place {
            case .unset: return nil
            case .sql(let r): return body(UnsafeBufferPointer(rebasing: sql[r]))
            case .decoded(let r): return decoded.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[r])) }
            }
        }

        func string(_ place: Place, in sql: UnsafeBufferPointer<UInt8>) -> String? {
            withBytes(place, in: sql) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// The values as strings, or nil when the SQL is not exactly what the renderer writes.
    func match(_ sql: UnsafeBufferPointer<UInt8>, slotOfHole: [Int], slots: inout [String?], sqlIsValidUTF8: Bool = false) -> Bool {
        var values = SlotValues(count: slots.count)
        values.sqlIsValidUTF8 = sqlIsValidUTF8
        guard match(sql, slotOfHole: slotOfHole, values: &values) else { return false }
        for k in slots.indices { slots[k] = values.string(values.places[k], in: sql) }
        return true
    }

    /// The values' places, or false when the SQL is not exactly what the renderer writes. A value
    /// that is not valid UTF-8 is left to the general path (which reads it as U+FFFD), so what
    /// this path answers is the bytes of the strings the general path would answer.
    func match(_ sql: UnsafeBufferPointer<UInt8>, slotOfHole: [Int], values: inout SlotValues) -> Bool {
        values.reset()
        var i = 0
        if !leading.isEmpty, sql.count >= leading.count, (0..<leading.count).allSatisfy({ sql[$0] == leading[$0] }) { i = leading.count }
        while i < sql.count, isSpace(sql[i]) { i += 1 }
        for op in ops {
            switch op {
            case .text(let r):
                guard i + r.count <= sql.count else { return false }
                for k in r where bytes[k] != sql[i + k - r.lowerBound] { return false }
                i += r.count
            case .hole(let read):
                guard let (place, end) = self.read(read, sql, at: i, &values) else { return false }
                let slot = slotOfHole[read.hole]
                if case .unset = values.places[slot] {
                    values.places[slot] = place
                } else {
                    guard values.same(values.places[slot], place, in: sql) else { return false }
                }
                i = end
            }
        }
        while i < sql.count, isSpace(sql[i]) { i += 1 }
        return i == sql.count
    }

    /// One hole's value and where its bytes end, or nil.
    func read(_ read: Read, _ sql: UnsafeBufferPointer<UInt8>, at start: Int, _ values: inout SlotValues) -> (SlotValues.Place, Int)? {
        let n = sql.count
        switch read.shape {
        case .literal(let open, let close):
            guard start + open.count <= n else { return nil }
            for (k, b) in open.enumerated() where sql[start + k] != b { return nil }
            let bodyStart = start + open.count
            guard let bodyEnd = scanQuoted(sql, from: bodyStart, close: close, read.decoder!) else { return nil }
            guard let value = canonical(sql, bodyStart..<bodyEnd, read, &values) else { return nil }
            return (value, bodyEnd + 1)
        case .name(let open, let close, let always):
            if start < n, sql[start] == open {
                guard let bodyEnd = scanQuoted(sql, from: start + 1, close: close, read.decoder!),
                      let value = canonical(sql, (start + 1)..<bodyEnd, read, &values) else { return nil }
                // The renderer quotes only names that are not plain.
                let plain = values.withBytes(value, in: sql) { names.isPlain($0) } ?? false
                guard always || !plain else { return nil }
                return (value, bodyEnd + 1)
            }
            var j = start
            while j < n, isWordByte(sql[j]) { j += 1 }
            let word = UnsafeBufferPointer(rebasing: sql[start..<j])
            guard !always, names.isPlain(word), values.sqlIsValidUTF8 || JSONScanner.isValidUTF8(word) else { return nil }
            return (.sql(start..<j), j)
        case .contents(let close, let trailing):
            guard let closeAt = scanQuoted(sql, from: start, close: close, read.decoder!), closeAt - trailing >= start,
                  let value = canonical(sql, start..<(closeAt - trailing), read, &values) else { return nil }
            return (value, closeAt - trailing)
        case .dollar(let tag, let trailing):
            var j = start
            while j + tag.count <= n {
                if sql[j] == chDollar, (0..<tag.count).allSatisfy({ sql[j + $0] == tag[$0] }) {
                    guard j - trailing >= start,
                          values.sqlIsValidUTF8 || JSONScanner.isValidUTF8(UnsafeBufferPointer(rebasing: sql[start..<(j - trailing)])) else { return nil }
                    return (.sql(start..<(j - trailing)), j - trailing)
                }
                j += 1
            }
            return nil
        }
    }

    /// The index of the byte that closes a quoted body starting at `from`, as the lexer finds it
    /// (a doubled close byte and a backslash pair stay inside).
    func scanQuoted(_ sql: UnsafeBufferPointer<UInt8>, from: Int, close: UInt8, _ d: LiteralDecoder) -> Int? {
        var j = from
        let n = sql.count
        while j < n {
            let c = sql[j]
            if c == chBackslash, d.backslash { j += 2; continue }
            if c == close {
                if d.doubledQuote, j + 1 < n, sql[j + 1] == close { j += 2; continue }
                return j
            }
            j += 1
        }
        return nil
    }

    /// The value of a body, when escaping it again gives exactly the body: the body itself when
    /// it holds nothing to decode, else its decoding appended to `values.decoded`.
    func canonical(_ sql: UnsafeBufferPointer<UInt8>, _ body: Range<Int>, _ read: Read, _ values: inout SlotValues) -> SlotValues.Place? {
        let raw = UnsafeBufferPointer(rebasing: sql[body])
        let decoder = read.decoder!
        let place: SlotValues.Place
        if decoder.isPlain(raw) {
            place = .sql(body)
        } else {
            let start = values.decoded.count
            // One allocation at most: the decoding is never longer than the body.
            values.decoded.reserveCapacity(start + raw.count)
            if decoder.decode(raw, into: &values.decoded) != nil { return nil }
            place = .decoded(start..<values.decoded.count)
        }
        let form = read.form!
        let needsCheck = read.needsCanonicalCheck, knownValid = values.sqlIsValidUTF8
        let same: Bool = values.withBytes(place, in: sql) { v in
            guard knownValid || JSONScanner.isValidUTF8(v) else { return false }
            guard needsCheck else { return true }
            let count = form.escapedCount(v)
            guard count == raw.count else { return false }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { out in
                _ = form.write(v, to: out, at: 0)
                for k in 0..<count where out[k] != raw[k] { return false }
                return true
            }
        } ?? false
        return same ? place : nil
    }
}

extension CanonicalFastPath.SlotValues {
    /// Whether a hole repeated in the template read the same value both times: the same bytes,
    /// or strings that Swift holds equal (canonically equivalent), as the general path compares.
    func same(_ a: Place, _ b: Place, in sql: UnsafeBufferPointer<UInt8>) -> Bool {
        let bytesEqual = withBytes(a, in: sql) { x in withBytes(b, in: sql) { y in x.elementsEqual(y) } ?? false } ?? false
        return bytesEqual || string(a, in: sql) == string(b, in: sql)
    }
}

extension LiteralDecoder {
    /// The decoder of what an escaper writes, for the fast path: the form says which escapes it
    /// uses; the lexer's view of the literal (doubling, backslash) is the form's kind.
    init(quote: UInt8, form: QuotedForm) {
        self.init(quote: quote, triple: false, doubledQuote: !form.quoteWithBackslash || !form.backslashEscapes,
                  doubledQuoteConcatenates: false, backslash: form.backslashEscapes,
                  guarded: ByteSet(form.backslashed), controls: form.controls, continuation: form.refusesBackslashNewline)
    }
}
