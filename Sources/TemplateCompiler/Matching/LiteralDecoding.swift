/// The inverse of the escapers: the text a string literal or a quoted identifier stands for.
///
/// It reads exactly what the escapers write (doubled quotes, `\` before the quote, the backslash
/// and the guarded bytes, the control escapes of the form) and the escapes every backslash
/// dialect agrees on (`\\ \' \" \n \r \t`). Any other escape means different things in different
/// engines (`\%` keeps its backslash in MySQL, is an error in BigQuery, is `%` in Snowflake), so
/// it is refused rather than guessed: a value read back is the value the engine stored, or nothing.
struct LiteralDecoder: Sendable, Hashable {
    let quote: UInt8
    let triple: Bool
    let doubledQuote: Bool
    /// `''` is not an escape but the end of one literal and the start of the next (Spark).
    let doubledQuoteConcatenates: Bool
    let backslash: Bool
    /// Bytes the escaper writes after a backslash besides the quote and the backslash.
    let guarded: ByteSet
    let controls: ControlEscaping
    /// T-SQL deletes `\` + line end inside a literal.
    let continuation: Bool

    init(quote: UInt8, triple: Bool, doubledQuote: Bool, doubledQuoteConcatenates: Bool, backslash: Bool, guarded: ByteSet,
         controls: ControlEscaping, continuation: Bool) {
        self.quote = quote
        self.triple = triple
        self.doubledQuote = doubledQuote
        self.doubledQuoteConcatenates = doubledQuoteConcatenates
        self.backslash = backslash
        self.guarded = guarded
        self.controls = controls
        self.continuation = continuation
    }

    init(_ kind: StringLiteralKind) {
        quote = kind.quote
        triple = kind.triple
        doubledQuote = kind.escapes.doubledQuote
        doubledQuoteConcatenates = kind.doubledQuoteConcatenates
        backslash = kind.escapes.backslash
        guarded = ByteSet(kind.guardedBytes)
        controls = kind.controlEscaping
        continuation = kind.backslashNewlineContinuation
    }

    init(_ kind: IdentifierQuoteKind) {
        quote = kind.close
        triple = false
        doubledQuote = kind.escapes.doubledQuote
        doubledQuoteConcatenates = false
        backslash = kind.escapes.backslash
        guarded = ByteSet()
        controls = kind.controlEscaping
        continuation = false
    }

    /// Why a body cannot be read back, and where (an offset into the body).
    struct Failure: Error, Sendable {
        let offset: Int
        let reason: String
    }

    /// Decodes a literal's body (the bytes between its quotes) into `out`.
    func decode(_ body: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Failure? {
        let n = body.count
        var i = 0
        // Most bodies need no decoding at all: copy runs between special bytes in one go.
        while i < n {
            var j = i
            while j < n, body[j] != quote, body[j] != chBackslash { j += 1 }
            if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: body[i..<j])) }
            i = j
            guard i < n else { break }
            let c = body[i]
            if c == quote {
                if triple { out.append(c); i += 1; continue }
                guard doubledQuote, i + 1 < n, body[i + 1] == quote else {
                    return Failure(offset: i, reason: "a lone \(show(quote)) inside the literal")
                }
                if doubledQuoteConcatenates {
                    return Failure(offset: i, reason: "`\(show(quote))\(show(quote))` here ends one literal and starts another, which the engine joins: templatec does not read adjacent literals back")
                }
                out.append(quote)
                i += 2
                continue
            }
            // A backslash.
            if continuation, i + 1 < n, body[i + 1] == chLF || body[i + 1] == chCR {
                // The engine deletes the pair: so does the reading.
                i += (body[i + 1] == chCR && i + 2 < n && body[i + 2] == chLF) ? 3 : 2
                continue
            }
            guard backslash else { out.append(c); i += 1; continue }
            guard i + 1 < n else { return Failure(offset: i, reason: "a backslash at the end of the literal") }
            let e = body[i + 1]
            switch e {
            case chBackslash, chQuote, chDQuote: out.append(e)
            case UInt8(ascii: "n"): out.append(chLF)
            case UInt8(ascii: "r"): out.append(chCR)
            case UInt8(ascii: "t"): out.append(chTab)
            case UInt8(ascii: "`") where quote == UInt8(ascii: "`"): out.append(e)
            case UInt8(ascii: "Z") where controls == .mysql: out.append(0x1A)
            case UInt8(ascii: "x") where controls == .cStyle:
                guard i + 3 < n, let hi = hexValue(body[i + 2]), let lo = hexValue(body[i + 3]), hi < 8 else {
                    return Failure(offset: i, reason: "`\\x` must be followed by two hex digits of an ASCII character here")
                }
                out.append(hi << 4 | lo)
                i += 4
                continue
            default:
                guard e < 0x80, guarded.contains(e) else {
                    let shown = e < 0x80 && e >= 0x20 ? "`\\\(show(e))`" : "a backslash before byte \(e)"
                    return Failure(offset: i, reason: "the escape \(shown) means different things in different engines: templatec reads back only \\\\ \\' \\\" \\n \\r \\t and the escapes it writes")
                }
                out.append(e)
            }
            i += 2
        }
        return nil
    }

    /// The decoded text as a string: most bodies hold no quote and no backslash, and become the
    /// string with no intermediate copy.
    func decodeString(_ body: UnsafeBufferPointer<UInt8>) -> Result<String, Failure> {
        if isPlain(body) { return .success(String(decoding: body, as: UTF8.self)) }
        return decode(body).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether a body decodes to itself (no quote, no backslash, no line end a continuation
    /// could delete).
    @inline(__always) func isPlain(_ body: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in body where b == quote || b == chBackslash || (continuation && (b == chLF || b == chCR)) { return false }
        return true
    }

    func decode(_ body: UnsafeBufferPointer<UInt8>) -> Result<[UInt8], Failure> {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        if let f = decode(body, into: &out) { return .failure(f) }
        return .success(out)
    }
}

@inline(__always) func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: return b - 0x30
    case 0x41...0x46: return b - 0x41 + 10
    case 0x61...0x66: return b - 0x61 + 10
    default: return nil
    }
}

/// One ASCII byte as text, for messages.
func show(_ b: UInt8) -> String { String(UnicodeScalar(b)) }
