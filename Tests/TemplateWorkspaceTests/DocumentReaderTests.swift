import XCTest
@testable import TemplateWorkspace
import TemplateCompiler

/// Duplicate keys are refused by the core's scanner, once, for every reader built on it: pipeline
/// and channel documents (sync and check), `.templatec.json`, compiled artifacts and serve's
/// requests. Readers used to disagree on which value a repeated key had.
final class DuplicateKeyTests: XCTestCase {
    func testTheScannerRefusesARepeatedKeyAtTheKey() {
        let doc = #"{"a": 1, "b": {"c": 2, "c": 3}}"#
        XCTAssertThrowsError(try JSONScanner.parse(Array(doc.utf8))) { e in
            let error = e as? JSONSyntaxError
            XCTAssertEqual(error?.offset, 23, "the second `\"c\"`")
            XCTAssertTrue(error?.message.contains("duplicate key `c`") == true, "\(String(describing: error))")
        }
        // The same key in two objects is not a repeat.
        XCTAssertNoThrow(try JSONScanner.parse(Array(#"{"a": {"c": 1}, "b": {"c": 2}}"#.utf8)))
        // Escapes decode before comparing: `"\u0061"` is `"a"`.
        XCTAssertThrowsError(try JSONScanner.parse(Array(#"{"a": 1, "\u0061": 2}"#.utf8)))
    }

    func testManyKeysStayLinearAndARepeatIsStillFound() throws {
        let keys = (0..<50_000).map { #""k\#($0)": 0"# }
        XCTAssertNoThrow(try JSONScanner.parse(Array(("{" + keys.joined(separator: ",") + "}").utf8)))
        XCTAssertThrowsError(try JSONScanner.parse(Array(("{" + keys.joined(separator: ",") + #", "k49999": 1}"#).utf8)))
    }

    func testEveryReaderRefusesDuplicates() {
        let pipeline = #"{"type": "ReverseIngestion", "service": {"id": "s", "type": "t"}, "operations": [{"id": "1", "entityLink": "<#E::table::a.b.c.d>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "first", "newDescription": "second"}}]}"#
        XCTAssertThrowsError(try PipelineReader.read(Array(pipeline.utf8), path: "p.json")) { e in
            let error = e as? PipelineInputError
            XCTAssertTrue(error?.message.contains("duplicate key `newDescription`") == true, "\(String(describing: error))")
            let second = pipeline.range(of: #""newDescription""#, options: .backwards)!.lowerBound
            XCTAssertEqual(error?.offset, pipeline.utf8.distance(from: pipeline.startIndex, to: second))
        }
        if case .invalid = EmbeddedTemplates.extract(path: "p.json", bytes: Array(pipeline.utf8)) {} else { XCTFail("check accepted it") }
        XCTAssertThrowsError(try ChannelFile.read(Array(#"{"channels": [{"name": "a", "name": "b"}]}"#.utf8), path: "c.json"))
        XCTAssertThrowsError(try WorkspaceConfig.parse(Array(#"{"dialect": "mysql", "dialect": "postgres"}"#.utf8), directory: "/"))
        // render --serve's general path (the fast path hands repeated keys to it).
        XCTAssertThrowsError(try JSONDocument.parse(#"{"template": "x", "template": "y"}"#))
    }
}

/// Errors carry the offset they are at, so both commands print `file:line:col`.
final class DocumentPositionTests: XCTestCase {
    func testAnUnknownKeyIsReportedAtItsLineAndColumn() {
        let doc = "{\"type\": \"ReverseIngestion\", \"service\": {\"id\": \"s\", \"type\": \"t\"},\n \"operations\": [{\"id\": \"1\", \"entityLink\": \"<#E::table::a.b.c.d>\", \"type\": \"UPDATE_DESCRIPTION\",\n   \"parameters\": {\"newDescriptio\": \"x\"}}]}"
        let bytes = Array(doc.utf8)
        XCTAssertThrowsError(try PipelineReader.read(bytes, path: "p.json")) { e in
            let error = e as! PipelineInputError
            XCTAssertEqual(error.path, "operations[0].parameters.newDescriptio")
            XCTAssertTrue(error.located(in: "p.json", bytes: bytes).hasPrefix("p.json:3:19: operations[0].parameters.newDescriptio: unknown property"),
                          error.located(in: "p.json", bytes: bytes))
        }
    }

    func testTemplatesKeepTheirFilePositions() throws {
        let doc = #"{"channels": [{"name": "c", "sqlTemplate": "a\nb"}]}"#
        let file = try ChannelFile.read(Array(doc.utf8), path: "c.json")
        let source = try XCTUnwrap(file.channels[0].sqlTemplateSource)
        XCTAssertEqual(source.path, "c.json")
        XCTAssertEqual(SourceLocator(source).location(2).column, 48, "`b` after the two-byte escape")
    }
}
