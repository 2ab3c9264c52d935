import XCTest
@testable import TemplateWorkspace
import TemplateCompiler

final class JSONScannerTests: XCTestCase {
    func testOffsetsAccountForEscapesAndSurrogatePairs() throws {
        let file = Array(#"{"k": "a\n\"\u00e9\ud83d\ude00b"}"#.utf8)
        guard case .string(let s)? = try JSONScanner.parse(file)["k"] else { return XCTFail("no string") }
        XCTAssertEqual(s.value, "a\n\"é😀b")
        // a at 7; \n at 8; \" at 10; \u00e9 at 12 (2 bytes); the pair at 18 (4 bytes); b at 30.
        XCTAssertEqual(s.offsets, [7, 8, 10, 12, 12, 18, 18, 18, 18, 30, 31])
    }

    func testErrorsHaveOffsets() {
        XCTAssertThrowsError(try JSONScanner.parse(Array(#"{"a": [1, 2}"#.utf8))) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.offset, 11)
        }
        XCTAssertThrowsError(try JSONScanner.parse(Array("{\"a\": \"x\ny\"}".utf8)))
        XCTAssertThrowsError(try JSONScanner.parse(Array(String(repeating: "[", count: 10_000).utf8)))
    }

    func testEncodeContentsRoundTrips() throws {
        let text = "a'\"\\\n\t\u{1}é"
        let json = "\"" + JSONScanner.encodeContents(text) + "\""
        XCTAssertEqual(try JSONScanner.parse(Array(json.utf8)).stringValue, text)
    }
}

final class EmbeddedTemplatesTests: XCTestCase {
    static func pipeline(_ operations: String) -> String {
        #"{"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService"}, "operations": ["# + operations + "]}"
    }

    func testPipelineOperationsGiveUpdateAndLevel() {
        let doc = Self.pipeline(#"{"id": "1", "type": "UPDATE_OWNER", "entityLink": "<#E::table::s.d.sc.t::columns::c>", "SQLTemplate": "ALTER TABLE {table} OWNER TO {owner};", "parameters": {}}"#)
        guard case .templates(let found) = EmbeddedTemplates.extract(path: "p.json", bytes: Array(doc.utf8)) else {
            return XCTFail("no templates")
        }
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found[0].settings.updates, [.owner])
        XCTAssertEqual(found[0].settings.levels, [.column])
        XCTAssertEqual(String(decoding: found[0].source.text, as: UTF8.self), "ALTER TABLE {table} OWNER TO {owner};")
    }

    func testChannelFlagsAndFilterGiveTheUpdateContext() {
        let doc = #"{"channels": [{"name": "a", "sqlTemplate": "COMMENT ON TABLE {table} IS {description};", "updateOwners": false, "filter": {"level": "table"}}]}"#
        guard case .templates(let found) = EmbeddedTemplates.extract(path: "c.json", bytes: Array(doc.utf8)) else {
            return XCTFail("no templates")
        }
        XCTAssertEqual(found[0].settings.updates, [.description, .tags])
        XCTAssertEqual(found[0].settings.levels, [.table])
    }

    func testOtherJSONIsSkippedAndBrokenPipelinesAreErrors() {
        if case .none = EmbeddedTemplates.extract(path: "x.json", bytes: Array(#"{"a": [1, 2"#.utf8)) {} else { XCTFail() }
        if case .invalid = EmbeddedTemplates.extract(path: "x.json", bytes: Array(#"{"operations": [{"SQLTemplate": 1"#.utf8)) {} else { XCTFail() }
        // Someone else's JSON with a `channels` or `operations` key, whole or broken, is not ours.
        for other in [#"{"channels": ["general", "random"]}"#, #"{"channels": [{"id": "C1", "topic": "x"}]}"#,
                      #"{"operations": [{"op": "add", "path": "/a"}]}"#, #"{"channels": [1, 2"#] {
            if case .none = EmbeddedTemplates.extract(path: "x.json", bytes: Array(other.utf8)) {} else { XCTFail(other) }
        }
        // A channel file without templates is still validated, as sync would.
        if case .invalid = EmbeddedTemplates.extract(path: "c.json", bytes: Array(#"{"channels": [{"name": "a", "updateOwners": "no"}]}"#.utf8)) {} else { XCTFail() }
    }
}

final class WorkspaceConfigTests: XCTestCase {
    func testGlobs() {
        XCTAssertTrue(PathGlob.matches("*.sql", "a/b/c.sql"))
        XCTAssertTrue(PathGlob.matches("mysql/*.sql", "mysql/t.sql"))
        XCTAssertFalse(PathGlob.matches("mysql/*.sql", "mysql/x/t.sql"))
        XCTAssertTrue(PathGlob.matches("mysql/**/*.sql", "mysql/t.sql"))
        XCTAssertTrue(PathGlob.matches("mysql/**/*.sql", "mysql/x/y/t.sql"))
        XCTAssertTrue(PathGlob.matches("**/owner_?.sql", "a/b/owner_1.sql"))
        XCTAssertFalse(PathGlob.matches("**/owner_?.sql", "a/b/owner_12.sql"))
        XCTAssertTrue(PathGlob.matches("a/**", "a/b/c"))
        XCTAssertFalse(PathGlob.matches("b/**", "a/b/c"))
    }

    func testParseAndOverrides() throws {
        let text = #"""
        {"dialect": "postgres", "update": "description", "level": ["table", "column"],
         "options": {"standard_conforming_strings": "off"}, "allowDestructive": true, "compat": "collate",
         "rules": {"ctx205": "error", "STM402": "off"},
         "overrides": [{"files": "mysql/**/*.sql", "dialect": "mysql", "rules": {"STM409": "info"}}]}
        """#
        let config = try WorkspaceConfig.parse(Array(text.utf8), directory: "/repo")
        let base = config.settings(forRelativePath: "pg/t.sql")
        XCTAssertEqual(base.dialect, .postgres)
        XCTAssertEqual(base.levels, [.table, .column])
        XCTAssertEqual(base.standardConformingStrings, false)
        XCTAssertEqual(base.allowDestructive, true)
        XCTAssertEqual(base.compatibility, .collate)
        XCTAssertEqual(base.ruleLevels, ["CTX205": .error, "STM402": .off])
        let mysql = config.settings(forRelativePath: "mysql/a/t.sql")
        XCTAssertEqual(mysql.dialect, .mysql)
        XCTAssertEqual(mysql.ruleLevels["STM409"], .info)
        XCTAssertEqual(mysql.ruleLevels["CTX205"], .error)
    }

    func testProblemsSayWhatIsWrong() {
        for (text, fragment) in [(#"{"dialect": "postgress"}"#, "did you mean"), (#"{"dialekt": "postgres"}"#, "unknown key"),
                                 (#"{"rules": {"XYZ1": "off"}}"#, "no templatec code"), (#"{"rules": {"CTX205": "loud"}}"#, "takes off"),
                                 (#"{"dialect": "#, "not valid JSON")] {
            XCTAssertThrowsError(try WorkspaceConfig.parse(Array(text.utf8), directory: "/")) { error in
                XCTAssertTrue((error as? WorkspaceConfig.Problem)?.message.contains(fragment) == true, "\(text): \(error)")
            }
        }
    }
}
