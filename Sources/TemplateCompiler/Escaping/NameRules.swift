/// What the renderer needs of a dialect's identifier rules: when a name can stand unquoted, and
/// which names cannot exist at all. Recorded once per compiled artifact.
public struct NameRules: Hashable, Sendable {
    public var plainStart: ByteSet
    public var plainContinue: ByteSet
    public var plainAllowsNonASCII: Bool
    /// T-SQL: non-ASCII characters are plain only as letters (and digits) of Unicode 3.2.
    public var plainNonASCIIOnlyLetters = false
    public var folding: CaseFolding
    public var maxLength: Int
    public var lengthUnit: IdentifierRules.LengthUnit
    /// Uppercase words that must be quoted.
    public var reserved: Set<String> {
        didSet { reservedSignatures = NameRules.signatures(reserved) }
    }
    /// A bitmap of (first letter, last letter, length) of the reserved words: most names are
    /// ruled out by one bit test, without building a string.
    private var reservedSignatures: [UInt64] = []
    public var forbidden: [ForbiddenText]
    /// Athena: every name must be plain; described here for messages.
    public var strictPattern: String?
    public var allowsSupplementaryCharacters: Bool
    public var allowsControlCharacters: Bool
    public var allowsTrailingSpace: Bool

    /// Text no name may contain, with the reason; with `variables`, only the names of those
    /// variables (the others may contain it).
    public struct ForbiddenText: Hashable, Sendable {
        public var text: String
        public var reason: String
        public var variables: Set<Variable>?
        public init(_ text: String, _ reason: String, variables: Set<Variable>? = nil) {
            self.text = text
            self.reason = reason
            self.variables = variables
        }

        public func applies(to variable: Variable) -> Bool { variables?.contains(variable) ?? true }
    }

    public init(_ rules: IdentifierRules) {
        plainStart = rules.plainStart
        plainContinue = rules.plainContinue
        plainAllowsNonASCII = rules.plainAllowsNonASCII
        plainNonASCIIOnlyLetters = rules.plainNonASCIIOnlyLetters
        folding = rules.folding
        maxLength = rules.maxLength
        lengthUnit = rules.lengthUnit
        reserved = rules.reserved
        reservedSignatures = NameRules.signatures(reserved)
        forbidden = rules.forbiddenCharacters.map { ForbiddenText(String($0.scalar), $0.reason) }
            + rules.forbiddenSequences.map { ForbiddenText($0.sequence, $0.reason) }
            + rules.forbiddenCharactersByVariable.map { ForbiddenText(String($0.scalar), $0.reason, variables: $0.variables) }
        strictPattern = rules.strictPatternDescription
        allowsSupplementaryCharacters = rules.allowsSupplementaryCharacters
        allowsControlCharacters = rules.allowsControlCharacters
        allowsTrailingSpace = rules.allowsTrailingSpace
    }

    public init(plainStart: ByteSet, plainContinue: ByteSet, plainAllowsNonASCII: Bool, folding: CaseFolding,
                maxLength: Int, lengthUnit: IdentifierRules.LengthUnit, reserved: Set<String>, forbidden: [ForbiddenText],
                strictPattern: String?, allowsSupplementaryCharacters: Bool, allowsControlCharacters: Bool,
                allowsTrailingSpace: Bool) {
        self.plainStart = plainStart
        self.plainContinue = plainContinue
        self.plainAllowsNonASCII = plainAllowsNonASCII
        self.folding = folding
        self.maxLength = maxLength
        self.lengthUnit = lengthUnit
        self.reserved = reserved
        self.reservedSignatures = NameRules.signatures(reserved)
        self.forbidden = forbidden
        self.strictPattern = strictPattern
        self.allowsSupplementaryCharacters = allowsSupplementaryCharacters
        self.allowsControlCharacters = allowsControlCharacters
        self.allowsTrailingSpace = allowsTrailingSpace
    }

    /// Whether the byte keeps its meaning under the dialect's case folding.
    @inline(__always) func survivesFolding(_ b: UInt8) -> Bool {
        switch folding {
        case .lower: return !(b >= 0x41 && b <= 0x5A)
        case .upper: return !(b >= 0x61 && b <= 0x7A)
        case .none: return true
        }
    }

    /// Whether the name's non-ASCII letters keep their meaning under case folding, whatever the
    /// server's encoding. PostgreSQL folds only A–Z in a UTF-8 database, but in a single-byte one
    /// (LATIN1, WIN1252, …) it folds every letter the locale knows: bare `É` becomes `é`, another
    /// table. A name is plain only when no encoding's folding could change it, so a letter with a
    /// case mapping in the folding's direction makes it not plain (it is quoted, or refused when
    /// glued).
    func nonASCIISurvivesFolding(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard folding != .none else { return true }
        for scalar in String(decoding: name, as: UTF8.self).unicodeScalars where scalar.value >= 0x80 {
            let changes = folding == .lower ? scalar.properties.changesWhenLowercased : scalar.properties.changesWhenUppercased
            if changes { return false }
        }
        return true
    }

    /// True when the name can be written unquoted and means itself: it matches the unquoted
    /// pattern, is not reserved, and case folding leaves it unchanged.
    func isPlain(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = name.first else { return false }
        if first >= 0x80 { if !plainAllowsNonASCII { return false } } else if !plainStart.contains(first) { return false }
        var ascii = true
        for b in name {
            if b >= 0x80 {
                guard plainAllowsNonASCII else { return false }
                ascii = false
                continue
            }
            if !plainContinue.contains(b) || !survivesFolding(b) { return false }
        }
        if !plainStart.contains(first) && first < 0x80 { return false }
        if ascii, name.count <= 32, isReserved(name) { return false }
        return ascii || (nonASCIISurvivesFolding(name) && nonASCIIIsLetters(name, atStart: true))
    }

    /// Whether the name's non-ASCII characters may stand unquoted where the dialect admits only
    /// letters (`plainNonASCIIOnlyLetters`: T-SQL's regular identifiers, "letters as defined by the
    /// Unicode Standard 3.2" and, after the first character, decimal digits): `é` and `表` are,
    /// `’` (punctuation) and `😀` (a symbol) are not, nor a letter that Unicode added after 3.2.
    func nonASCIIIsLetters(_ name: UnsafeBufferPointer<UInt8>, atStart: Bool) -> Bool {
        guard plainNonASCIIOnlyLetters else { return true }
        for (i, scalar) in String(decoding: name, as: UTF8.self).unicodeScalars.enumerated() where scalar.value >= 0x80 {
            guard let age = scalar.properties.age, age.major < 3 || (age.major == 3 && age.minor <= 2) else { return false }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: continue
            case .decimalNumber where !(i == 0 && atStart): continue
            default: return false
            }
        }
        return true
    }

    static func signature(first: UInt8, last: UInt8, count: Int) -> Int {
        func letter(_ b: UInt8) -> Int { Int((b >= 0x61 && b <= 0x7A ? b - 32 : b) & 0x3F) }
        return (letter(first) << 11) | (letter(last) << 5) | min(count, 31)
    }

    static func signatures(_ words: Set<String>) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: (1 << 17) / 64)
        for w in words {
            let u = Array(w.utf8)
            guard let f = u.first, let l = u.last else { continue }
            let s = signature(first: f, last: l, count: u.count)
            bits[s >> 6] |= 1 << UInt64(s & 63)
        }
        return bits
    }

    private func isReserved(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = NameRules.signature(first: name[0], last: name[name.count - 1], count: name.count)
        guard reservedSignatures[s >> 6] & (1 << UInt64(s & 63)) != 0 else { return false }
        // Short names are small strings: no allocation.
        let upper = String(unsafeUninitializedCapacity: name.count) { buf in
            for (i, b) in name.enumerated() { buf[i] = (b >= 0x61 && b <= 0x7A) ? b - 32 : b }
            return name.count
        }
        return reserved.contains(upper)
    }

    /// Whether a glued value keeps the surrounding name plain: only plain continuation characters
    /// (and a plain start when the value begins the name), unchanged by case folding.
    func isGluable(_ name: UnsafeBufferPointer<UInt8>, atWordStart: Bool) -> Bool {
        guard let first = name.first else { return false }
        if atWordStart, first < 0x80, !plainStart.contains(first) { return false }
        var ascii = true
        for b in name {
            if b >= 0x80 { if !plainAllowsNonASCII { return false }; ascii = false; continue }
            if !plainContinue.contains(b) || !survivesFolding(b) { return false }
        }
        return ascii || (nonASCIISurvivesFolding(name) && nonASCIIIsLetters(name, atStart: atWordStart))
    }
}
