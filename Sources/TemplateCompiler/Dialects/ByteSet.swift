/// A set of ASCII bytes, as a 128-bit bitmap: the lexer's hot path tests membership in one load.
public struct ByteSet: Hashable, Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    public init() {}

    public init(_ ascii: String) {
        for b in ascii.utf8 { insert(b) }
    }

    public static func ranges(_ rs: ClosedRange<UInt8>...) -> ByteSet {
        var s = ByteSet()
        for r in rs { for b in r { s.insert(b) } }
        return s
    }

    public mutating func insert(_ b: UInt8) {
        if b < 64 { low |= 1 << UInt64(b) } else if b < 128 { high |= 1 << UInt64(b - 64) }
    }

    @inline(__always) public func contains(_ b: UInt8) -> Bool {
        b < 64 ? (low >> UInt64(b)) & 1 == 1 : (b < 128 ? (high >> UInt64(b - 64)) & 1 == 1 : false)
    }

    public func union(_ other: ByteSet) -> ByteSet {
        var s = self
        s.low |= other.low
        s.high |= other.high
        return s
    }

    public static let letters = ByteSet.ranges(0x41...0x5A, 0x61...0x7A)
    public static let lowercase = ByteSet.ranges(0x61...0x7A)
    public static let digits = ByteSet.ranges(0x30...0x39)
    public static let underscore = ByteSet("_")
    public static let wordStart = letters.union(underscore)
    public static let word = letters.union(digits).union(underscore)
}
