/// How text is written between a pair of quotes: a string literal's contents or a quoted
/// identifier's. It is the whole escaping knowledge of one context, fixed at compile time and
/// recorded in the compiled artifact, so rendering needs neither the lexer nor the dialect.
///
/// The escaper works on UTF-8 bytes: every byte that must change is ASCII, so multi-byte
/// characters are copied as they are.
public struct QuotedForm: Hashable, Sendable {
    /// The opening text written around a complete value: `'`, `N'`, `E'`, `` ` ``, `[`.
    public var open: String
    /// The byte that ends the form: `'`, `"`, `` ` ``, `]`.
    public var close: UInt8
    /// The closing byte inside the value is written `\q` rather than doubled.
    public var quoteWithBackslash: Bool
    /// Backslash is an escape character here, so a backslash in the value is written `\\`.
    public var backslashEscapes: Bool
    /// ASCII bytes also written after a backslash (MySQL's other quote, Databricks `$` and `{`).
    public var backslashed: String
    public var controls: ControlEscaping
    /// T-SQL deletes `\` + newline inside a literal and has no escape to prevent it: such values
    /// are refused.
    public var refusesBackslashNewline: Bool

    public init(open: String, close: UInt8, quoteWithBackslash: Bool, backslashEscapes: Bool, backslashed: String = "",
                controls: ControlEscaping = .raw, refusesBackslashNewline: Bool = false) {
        self.open = open
        self.close = close
        self.quoteWithBackslash = quoteWithBackslash
        self.backslashEscapes = backslashEscapes
        self.backslashed = backslashed
        self.controls = controls
        self.refusesBackslashNewline = refusesBackslashNewline
    }

    /// The form of a string literal kind.
    public init(_ kind: StringLiteralKind) {
        let q = String(UnicodeScalar(kind.quote))
        self.init(open: kind.prefix + (kind.triple ? q + q + q : q), close: kind.quote,
                  quoteWithBackslash: !kind.escapes.doubledQuote || kind.writesQuoteWithBackslash,
                  backslashEscapes: kind.escapes.backslash,
                  backslashed: kind.escapes.backslash ? kind.guardedBytes : "",
                  controls: kind.escapes.backslash ? kind.controlEscaping : .raw,
                  refusesBackslashNewline: kind.backslashNewlineContinuation)
        if kind.triple { closeText = q + q + q }
    }

    /// The form of a quoted identifier kind.
    public init(_ kind: IdentifierQuoteKind) {
        self.init(open: String(UnicodeScalar(kind.open)), close: kind.close,
                  quoteWithBackslash: !kind.escapes.doubledQuote,
                  backslashEscapes: kind.escapes.backslash,
                  controls: kind.escapes.backslash ? kind.controlEscaping : .raw)
    }

    /// The closing text written after a complete value (three quotes for triple-quoted kinds).
    public var closeText: String {
        get { closeOverride ?? String(UnicodeScalar(close)) }
        set { closeOverride = newValue == String(UnicodeScalar(close)) ? nil : newValue }
    }
    private var closeOverride: String? = nil

    // MARK: escaping

    /// What happens to one ASCII byte.
    enum Action: UInt8 {
        case copy = 0, backslash, double, control
    }

    /// The action for each ASCII byte (bytes ≥ 0x80 are copied).
    func actionTable() -> [Action] {
        var t = [Action](repeating: .copy, count: 128)
        if controls != .raw {
            for b in 0..<0x20 { t[b] = .control }
            if controls == .cStyle { t[0x7F] = .control }
        }
        for b in backslashed.utf8 where b < 0x80 { t[Int(b)] = .backslash }
        if backslashEscapes { t[0x5C] = .backslash }
        t[Int(close)] = quoteWithBackslash ? .backslash : .double
        return t
    }

    /// The most bytes one value byte can become (`\xHH`).
    static let maximumExpansion = 4
}

/// An escaper ready to run: the form and its byte table.
struct CompiledForm: Sendable {
    let form: QuotedForm
    let open: [UInt8]
    let close: [UInt8]
    private let table: [QuotedForm.Action]

    init(_ form: QuotedForm) {
        self.form = form
        open = Array(form.open.utf8)
        close = Array(form.closeText.utf8)
        table = form.actionTable()
    }

    /// The number of bytes `value` becomes.
    @inline(__always) func escapedCount(_ value: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for b in value {
            guard b < 0x80 else { n += 1; continue }
            switch table[Int(b)] {
            case .copy: n += 1
            case .backslash, .double: n += 2
            case .control: n += controlText(b).count
            }
        }
        return n
    }

    /// Writes the escaped value at `out[at...]`; returns the new end.
    @inline(__always) func write(_ value: UnsafeBufferPointer<UInt8>, to out: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var i = start
        for b in value {
            if b >= 0x80 { out[i] = b; i += 1; continue }
            switch table[Int(b)] {
            case .copy:
                out[i] = b; i += 1
            case .backslash:
                out[i] = 0x5C; out[i + 1] = b; i += 2
            case .double:
                out[i] = b; out[i + 1] = b; i += 2
            case .control:
                for c in controlText(b) { out[i] = c; i += 1 }
            }
        }
        return i
    }

    /// The escape of a control byte under the form's control escaping.
    @inline(__always) func controlText(_ b: UInt8) -> ControlBytes {
        switch (form.controls, b) {
        case (_, 0x0A): return ControlBytes(0x5C, 0x6E)            // \n
        case (_, 0x0D): return ControlBytes(0x5C, 0x72)            // \r
        case (.mysql, 0x1A): return ControlBytes(0x5C, 0x5A)       // \Z
        case (.mysql, _): return ControlBytes(b)
        case (_, 0x09): return ControlBytes(0x5C, 0x74)            // \t
        default:
            let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
            return ControlBytes(0x5C, 0x78, hex[Int(b >> 4)], hex[Int(b & 0xF)])
        }
    }
}

/// Up to four bytes, without an allocation.
struct ControlBytes: Sequence, IteratorProtocol {
    private var bytes: (UInt8, UInt8, UInt8, UInt8)
    let count: Int
    private var index = 0

    init(_ a: UInt8) { bytes = (a, 0, 0, 0); count = 1 }
    init(_ a: UInt8, _ b: UInt8) { bytes = (a, b, 0, 0); count = 2 }
    init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) { bytes = (a, b, c, d); count = 4 }

    mutating func next() -> UInt8? {
        guard index < count else { return nil }
        defer { index += 1 }
        switch index {
        case 0: return bytes.0
        case 1: return bytes.1
        case 2: return bytes.2
        default: return bytes.3
        }
    }
}
