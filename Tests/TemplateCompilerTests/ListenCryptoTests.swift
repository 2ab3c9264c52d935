import XCTest
@testable import TemplateCompiler

/// SHA-256, HMAC-SHA256 and Base64 of the core against published vectors (FIPS 180-4 examples,
/// RFC 4231, RFC 4648) and OpenMetadata's own webhook signature example.
final class ListenCryptoTests: XCTestCase {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
    private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testSHA256Vectors() {
        XCTAssertEqual(hex(SHA256.hash([])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(hex(SHA256.hash(bytes("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(hex(SHA256.hash(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(hex(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the padding boundary (55, 56, 63, 64, 65 bytes) and input fed in pieces give
    /// the same digest as one call.
    func testSHA256StreamingAndBoundaries() {
        let message = [UInt8](repeating: 0x61, count: 200)
        for n in [55, 56, 63, 64, 65, 119, 128, 200] {
            var h = SHA256()
            h.update(message[0..<n / 3])
            h.update(message[n / 3..<n])
            XCTAssertEqual(h.finalize(), SHA256.hash(message[0..<n]), "length \(n)")
        }
        XCTAssertEqual(hex(SHA256.hash(message[0..<56])), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }

    func testHMACSHA256RFC4231() {
        let cases: [(key: [UInt8], data: [UInt8], mac: String)] = [
            ([UInt8](repeating: 0x0b, count: 20), bytes("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (bytes("Jefe"), bytes("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (Array(1...25), [UInt8](repeating: 0xcd, count: 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            ([UInt8](repeating: 0xaa, count: 131), bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            ([UInt8](repeating: 0xaa, count: 131),
             bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
             "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ]
        for (i, c) in cases.enumerated() {
            XCTAssertEqual(hex(HMAC.sha256(key: c.key, message: c.data)), c.mac, "RFC 4231 case \(i + 1)")
        }
        // Case 5 publishes the first 128 bits only.
        XCTAssertEqual(String(hex(HMAC.sha256(key: [UInt8](repeating: 0x0c, count: 20), message: bytes("Test With Truncation"))).prefix(32)),
                       "a3b6167473100ee06e0c796c2955552b")
    }

    func testBase64RFC4648() {
        let pairs = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in pairs {
            XCTAssertEqual(Base64.encode(bytes(plain)), encoded)
            XCTAssertEqual(Base64.decode(encoded), bytes(plain))
        }
        XCTAssertEqual(Base64.encode([0xfb, 0xff, 0xfe]), "+//+")
        for bad in ["Zg=", "Zg", "Z===", "Zh==", "Zm9=v", "Zm 9", "Zm9v\n", "=Zm9"] {
            XCTAssertNil(Base64.decode(bad), bad)
        }
    }

    /// OpenMetadata's example (docs/listen.md, "The signature"): Base64, not hex.
    func testOpenMetadataSignatureExample() {
        XCTAssertEqual(WebhookSignature.header(secret: "plain-secret", body: bytes("{\"n\":1}")), "sha256=/g3GnoJgA7mTUsPpk9cLJWdXyb7SsZymLwixKNiUu/E=")
        XCTAssertTrue(WebhookSignature.verify(header: "sha256=/g3GnoJgA7mTUsPpk9cLJWdXyb7SsZymLwixKNiUu/E=", secret: "plain-secret", body: bytes("{\"n\":1}")))
    }

    func testSignatureRefusals() {
        let body = bytes("{\"n\":1}")
        let good = "sha256=/g3GnoJgA7mTUsPpk9cLJWdXyb7SsZymLwixKNiUu/E="
        XCTAssertFalse(WebhookSignature.verify(header: nil, secret: "plain-secret", body: body))
        XCTAssertFalse(WebhookSignature.verify(header: "", secret: "plain-secret", body: body))
        XCTAssertFalse(WebhookSignature.verify(header: good, secret: "other-secret", body: body))
        XCTAssertFalse(WebhookSignature.verify(header: good, secret: "plain-secret", body: bytes("{\"n\":2}")))
        XCTAssertFalse(WebhookSignature.verify(header: good, secret: "plain-secret", body: bytes("{\"n\":1} ")))
        XCTAssertFalse(WebhookSignature.verify(header: String(good.dropLast()), secret: "plain-secret", body: body))
        XCTAssertFalse(WebhookSignature.verify(header: "sha1=/g3GnoJgA7mTUsPpk9cLJWdXyb7SsZymLwixKNiUu/E=", secret: "plain-secret", body: body))
        // The hex form of the same MAC is not OpenMetadata's format.
        XCTAssertFalse(WebhookSignature.verify(header: "sha256=" + hex(HMAC.sha256(key: bytes("plain-secret"), message: body)), secret: "plain-secret", body: body))
    }

    func testConstantTimeEqual() {
        XCTAssertTrue(HMAC.constantTimeEqual([], []))
        XCTAssertTrue(HMAC.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(HMAC.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(HMAC.constantTimeEqual([1, 2, 3], [1, 2]))
        XCTAssertFalse(HMAC.constantTimeEqual([0], [128]))
    }
}
