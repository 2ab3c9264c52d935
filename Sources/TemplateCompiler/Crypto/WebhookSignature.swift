/// OpenMetadata's webhook signature: the header `X-OM-Signature: sha256=<Base64(HMAC-SHA256(secret,
/// body))>`, HMAC over the exact body bytes and the secret's UTF-8 (Java `CommonUtil.calculateHMAC`).
public enum WebhookSignature {
    public static let prefix = "sha256="

    /// The header value for `body` signed with `secret`.
    public static func header<Body: Sequence>(secret: String, body: Body) -> String where Body.Element == UInt8 {
        prefix + Base64.encode(HMAC.sha256(key: Array(secret.utf8), message: body))
    }

    /// True when `header` is the signature of `body` with `secret`. Constant time in the
    /// signature's bytes; a malformed header is simply not a match.
    public static func verify(header: String?, secret: String, body: [UInt8]) -> Bool {
        guard let header else { return false }
        let value = header.drop(while: { $0 == " " })
        guard value.hasPrefix(prefix) else { return false }
        let given = Array(value.dropFirst(prefix.count).utf8.prefix(while: { $0 != UInt8(ascii: " ") }))
        let expected = Array(Base64.encode(HMAC.sha256(key: Array(secret.utf8), message: body)).utf8)
        return HMAC.constantTimeEqual(given, expected)
    }
}
