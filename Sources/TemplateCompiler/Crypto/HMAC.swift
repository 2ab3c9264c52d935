/// HMAC (RFC 2104) with SHA-256, and the comparison that checks a signature without telling an
/// attacker, through timing, how many of its bytes were right.
public enum HMAC {
    /// HMAC-SHA256(key, message): 32 bytes.
    public static func sha256<Message: Sequence>(key: [UInt8], message: Message) -> [UInt8] where Message.Element == UInt8 {
        // A key longer than a block is hashed first; a shorter one is padded with zeros.
        var block = key.count > SHA256.blockLength ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: SHA256.blockLength - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// True when `a` and `b` are equal. The time depends on the lengths only, never on where the
    /// first difference is (the length of a signature is public: 44 Base64 characters).
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
