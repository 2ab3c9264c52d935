import XCTest
@testable import TemplateCompiler

/// The `render --serve` protocol's edges, on both paths (fast reader and general parser): the id
/// is echoed byte for byte, unknown keys and blank lines get an error answer, and compile errors
/// read like `check`'s (`error[CODE]`).
final class ServeProtocolTests: XCTestCase {
    static let template = #""template":"-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};""#

    func answer(_ line: String) -> String {
        let bytes = Array(line.utf8)
        let service = RenderService()
        let fast = bytes.withUnsafeBufferPointer { String(decoding: service.respond(to: $0), as: UTF8.self) }
        var general: [UInt8] = []
        bytes.withUnsafeBufferPointer { RenderService().respondGeneral(to: $0, into: &general) }
        XCTAssertEqual(fast, String(decoding: general, as: UTF8.self), "the two paths differ for \(line)")
        return fast
    }

    func testIdIsEchoedByteForByte() {
        for id in ["1e400", "9007199254740993", "123456789012345678901234567890", "-0", "1.50", "\"a\\u00e9\"", "{\"k\": [1, 2]}", "null"] {
            let a = answer("{\"id\":\(id),\(Self.template),\"vars\":{\"table\":\"t\",\"description\":\"d\"}}")
            XCTAssertTrue(a.hasPrefix("{\"id\":\(id),\"sql\":"), a)
            let e = answer("{\"id\":\(id),\(Self.template),\"vars\":{\"tabel\":\"t\"}}")
            XCTAssertTrue(e.hasPrefix("{\"id\":\(id),\"error\":"), e)
        }
    }

    func testUnknownRequestKeysAreRefused() {
        let a = answer("{\"id\":7,\(Self.template),\"vars\":{\"table\":\"t\",\"description\":\"d\"},\"valeus\":{}}")
        XCTAssertEqual(a, #"{"id":7,"error":{"code":"RND315","message":"unknown request key \"valeus\": a request has \"id\", \"template\", \"compiled\", \"dialect\", \"update\", \"level\", \"vars\""}}"#)
    }

    func testBlankLineIsAnswered() {
        XCTAssertEqual(answer("   "), #"{"id":null,"error":{"code":"RND315","message":"an empty line is not a request: send one JSON object per line"}}"#)
    }

    func testCompileErrorsReadLikeCheck() {
        let a = answer(#"{"id":1,"template":"COMMENT ON TABLE {tabel} IS {description};","dialect":"postgres","vars":{}}"#)
        XCTAssertTrue(a.contains("1:18: error[TPL009]: `{tabel}` is not a variable"), a)
    }
}
