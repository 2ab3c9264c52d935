import Foundation
@testable import templatec
import TemplateCompiler
import XCTest

/// The protocol state machine in process: lifecycle, documents, diagnostics, code actions,
/// hover and completion, on files in a temporary folder (for `.templatec.json`).
final class LSPServerTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lsp-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func uri(_ name: String) -> String { "file://" + folder.appendingPathComponent(name).path }

    func message(_ json: String) -> JSONRPC.Incoming { JSONRPC.parse(Array(json.utf8)) }

    func started(encodings: [String] = []) -> LanguageServer {
        let s = LanguageServer()
        let offered = encodings.map { "\"\($0)\"" }.joined(separator: ",")
        _ = s.handle(message(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":[\#(offered)]}}}}"#))
        _ = s.handle(message(#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#))
        return s
    }

    func open(_ s: LanguageServer, _ name: String, _ text: String, version: Int = 1) -> JSONDocument {
        let params: JSONDocument = .obj(["textDocument": .obj(["uri": .string(uri(name)), "languageId": .string("sql"),
                                                               "version": .int(version), "text": .string(text)])])
        let out = s.handle(.notification(method: "textDocument/didOpen", params: params))
        XCTAssertEqual(out.count, 1)
        return out.first?["params"] ?? .null
    }

    func request(_ s: LanguageServer, _ method: String, _ params: JSONDocument) -> JSONDocument {
        let out = s.handle(.request(id: .int(9), method: method, params: params))
        XCTAssertEqual(out.count, 1)
        return out.first ?? .null
    }

    func codes(_ published: JSONDocument) -> [String] {
        published["diagnostics"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
    }

    func diagnostic(_ published: JSONDocument, _ code: String) -> JSONDocument? {
        published["diagnostics"]?.arrayValue?.first { $0["code"]?.stringValue == code }
    }

    func range(_ d: JSONDocument?) -> [Int] {
        ["start", "end"].flatMap { k in [d?["range"]?[k]?["line"]?.intValue ?? -1, d?["range"]?[k]?["character"]?.intValue ?? -1] }
    }

    // MARK: lifecycle

    func testNothingBeforeInitializeAndExitStatusDependsOnShutdown() {
        let s = LanguageServer()
        XCTAssertEqual(s.handle(message(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{}}"#)), [])
        let early = s.handle(message(#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#))
        XCTAssertEqual(early.first?["error"]?["code"]?.intValue, -32002)
        let reply = s.handle(message(#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"capabilities":{}}}"#))
        XCTAssertEqual(reply.first?["result"]?["capabilities"]?["positionEncoding"]?.stringValue, "utf-16")
        XCTAssertEqual(reply.first?["result"]?["capabilities"]?["textDocumentSync"]?["change"]?.intValue, 2)
        XCTAssertEqual(s.handle(message(#"{"jsonrpc":"2.0","id":3,"method":"workspace/symbol","params":{}}"#)).first?["error"]?["code"]?.intValue, -32601)
        XCTAssertEqual(s.handle(message(#"{"jsonrpc":"2.0","method":"$/unknownThing","params":{}}"#)), [])
        XCTAssertEqual(s.handle(message(#"{"jsonrpc":"2.0","id":4,"method":"shutdown"}"#)).first?["result"], .null)
        XCTAssertEqual(s.handle(message(#"{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{}}"#)).first?["error"]?["code"]?.intValue, -32600)
        _ = s.handle(message(#"{"jsonrpc":"2.0","method":"exit"}"#))
        XCTAssertEqual(s.exitStatus, 0)

        let t = started()
        _ = t.handle(message(#"{"jsonrpc":"2.0","method":"exit"}"#))
        XCTAssertEqual(t.exitStatus, 1)
    }

    func testUTF8IsChosenWhenOffered() {
        let s = LanguageServer()
        let reply = s.handle(message(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"general":{"positionEncodings":["utf-8","utf-16"]}}}}"#))
        XCTAssertEqual(reply.first?["result"]?["capabilities"]?["positionEncoding"]?.stringValue, "utf-8")
        XCTAssertEqual(s.encoding, .utf8)
    }

    // MARK: documents and diagnostics

    func testDiagnosticColumnsAfterCJKAndEmojiInBothEncodings() {
        let text = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS '日本😀' || {descripton};\n"
        // `{descripton}` starts after 43 scalars on line 1: `'日本😀' || ` has the emoji (2 utf-16 units, 4 bytes) and CJK (3 bytes each).
        let prefix = "COMMENT ON TABLE {schema}.{table} IS '日本😀' || "
        for (enc, width) in [("utf-16", prefix.utf16.count), ("utf-8", prefix.utf8.count)] {
            let s = started(encodings: [enc])
            let d = diagnostic(open(s, "a.sql", text), "TPL009")
            XCTAssertEqual(range(d), [1, width, 1, width + "{descripton}".count], enc)
            XCTAssertEqual(d?["source"]?.stringValue, "templatec")
            XCTAssertEqual(d?["severity"]?.intValue, 1)
            XCTAssertTrue(d?["codeDescription"]?["href"]?.stringValue?.hasSuffix("/TPL009.md") ?? false, "\(String(describing: d))")
        }
    }

    func testIncrementalChangesCarryTheVersionAndCloseClearsTheList() {
        let s = started()
        let text = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {descripton};\n"
        XCTAssertTrue(codes(open(s, "b.sql", text)).contains("TPL009"))
        // Type the missing `i`: `{descripton}` → `{description}` (line 1, character 47 is after `descript`).
        let change: JSONDocument = .obj([
            "textDocument": .obj(["uri": .string(uri("b.sql")), "version": .int(7)]),
            "contentChanges": .array([.obj(["range": .obj(["start": .obj(["line": .int(1), "character": .int(46)]),
                                                           "end": .obj(["line": .int(1), "character": .int(46)])]),
                                            "text": .string("i")])]),
        ])
        let out = s.handle(.notification(method: "textDocument/didChange", params: change))
        XCTAssertEqual(out.first?["params"]?["version"]?.intValue, 7)
        XCTAssertEqual(codes(out.first?["params"] ?? .null), [], "\(out)")
        let closed = s.handle(.notification(method: "textDocument/didClose", params: .obj(["textDocument": .obj(["uri": .string(uri("b.sql"))])])))
        XCTAssertEqual(closed.first?["method"]?.stringValue, "textDocument/publishDiagnostics")
        XCTAssertEqual(closed.first?["params"]?["diagnostics"], .array([]))
        // A request on the closed document is refused, not answered from stale state.
        let hover = request(s, "textDocument/hover", .obj(["textDocument": .obj(["uri": .string(uri("b.sql"))]),
                                                           "position": .obj(["line": .int(1), "character": .int(20)])]))
        XCTAssertEqual(hover["error"]?["code"]?.intValue, -32602)
    }

    func testTheNearestConfigurationIsHonoured() throws {
        let sub = folder.appendingPathComponent("mysql")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try #"{"dialect": "mysql", "update": ["description"], "level": ["table"]}"#.write(to: sub.appendingPathComponent(".templatec.json"), atomically: true, encoding: .utf8)
        let s = started()
        let text = "ALTER TABLE {schema}.{table} COMMENT = {description};\n"
        let inMySQL = codes(open(s, "mysql/t.sql", text))
        XCTAssertFalse(inMySQL.contains("CTX209"), "\(inMySQL)")  // the dialect comes from the configuration
        let elsewhere = codes(open(s, "t.sql", text))
        XCTAssertTrue(elsewhere.contains("CTX209"), "\(elsewhere)")
    }

    func testABrokenConfigurationIsAnIO001OnTheDocument() throws {
        try #"{"dialect": "nonsense"}"#.write(to: folder.appendingPathComponent(".templatec.json"), atomically: true, encoding: .utf8)
        let published = open(started(), "c.sql", "COMMENT ON TABLE {table} IS {description};")
        XCTAssertEqual(codes(published), ["IO001"])
        XCTAssertTrue(diagnostic(published, "IO001")?["message"]?.stringValue?.contains(".templatec.json") ?? false)
    }

    func testEmbeddedTemplatesPointIntoTheJSONFile() {
        let json = """
        {"channels": [{"name": "d", "filter": {"level": "table"}, "updateDescriptions": true, "updateOwners": false, "updateTags": false,
          "sqlTemplate": "-- templatec: dialect=postgres\\nCOMMENT ON TABLE {schema}.{table} IS '😀 \\" ' || {descripton};"}]}
        """
        let published = open(started(), "channels.json", json)
        let d = diagnostic(published, "TPL009")
        let line1 = String(json.split(separator: "\n")[1])
        let before = line1[..<line1.range(of: "{descripton}")!.lowerBound]
        XCTAssertEqual(range(d), [1, before.utf16.count, 1, before.utf16.count + 12], "\(published)")
    }

    // MARK: code actions

    func actions(_ s: LanguageServer, _ name: String, only: [String]? = nil) -> [JSONDocument] {
        var context: [String: JSONDocument] = ["diagnostics": .array([])]
        if let only { context["only"] = .array(only.map { .string($0) }) }
        let reply = request(s, "textDocument/codeAction", .obj([
            "textDocument": .obj(["uri": .string(uri(name))]),
            "range": .obj(["start": .obj(["line": .int(0), "character": .int(0)]), "end": .obj(["line": .int(9), "character": .int(0)])]),
            "context": .object(context),
        ]))
        return reply["result"]?.arrayValue ?? []
    }

    func testSafeFixesArePreferredUnsafeOnesLabelledAndFixAllTakesOnlySafeOnes() {
        let s = started()
        let text = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {descripton} || {comment};\n"
        _ = open(s, "f.sql", text)
        let all = actions(s, "f.sql")
        let quick = all.filter { $0["kind"]?.stringValue == "quickfix" }
        let safe = quick.first { $0["title"]?.stringValue == "replace with `{description}`" && !($0["title"]?.stringValue?.contains("unsafe") ?? true) }
        let unsafe = quick.first { $0["title"]?.stringValue?.contains("unsafe") ?? false }
        XCTAssertEqual(safe?["isPreferred"], .bool(true), "\(all)")
        XCTAssertNotNil(unsafe, "\(all)")
        XCTAssertNil(unsafe?["isPreferred"])
        XCTAssertEqual(safe?["diagnostics"]?.arrayValue?.first?["code"]?.stringValue, "TPL009")
        let edits = safe?["edit"]?["changes"]?[uri("f.sql")]?.arrayValue
        XCTAssertEqual(edits?.count, 1)
        XCTAssertEqual(edits?.first?["newText"]?.stringValue, "description")

        let fixAll = actions(s, "f.sql", only: ["source.fixAll"])
        XCTAssertEqual(fixAll.count, 1)
        XCTAssertEqual(fixAll.first?["title"]?.stringValue, "Fix all safe (1 finding)")
        XCTAssertEqual(fixAll.first?["edit"]?["changes"]?[uri("f.sql")]?.arrayValue?.count, 1)
    }

    // MARK: hover and completion

    func testHoverSaysTypeAvailabilityAndRendering() {
        let s = started()
        let text = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};\n"
        _ = open(s, "h.sql", text)
        let reply = request(s, "textDocument/hover", .obj(["textDocument": .obj(["uri": .string(uri("h.sql"))]),
                                                           "position": .obj(["line": .int(1), "character": .int(42)])]))
        let value = reply["result"]?["contents"]?["value"]?.stringValue ?? ""
        XCTAssertTrue(value.contains("`{description}`: text"), value)
        XCTAssertTrue(value.contains("Provided by this template's update and level"), value)
        XCTAssertTrue(value.contains("a complete PostgreSQL string literal `'…'`, quotes doubled"), value)
        // Off a placeholder: no hover.
        let none = request(s, "textDocument/hover", .obj(["textDocument": .obj(["uri": .string(uri("h.sql"))]),
                                                          "position": .obj(["line": .int(1), "character": .int(2)])]))
        XCTAssertEqual(none["result"], .null)
    }

    func testHoverRendersAPlaceholderWhileAnotherStatementHasAnError() {
        let s = started()
        let text = "-- templatec: dialect=mysql update=description level=table\nALTER TABLE {table} COMMENT = {description};\nSELECT {descripton};\n"
        _ = open(s, "m.sql", text)
        let reply = request(s, "textDocument/hover", .obj(["textDocument": .obj(["uri": .string(uri("m.sql"))]),
                                                           "position": .obj(["line": .int(1), "character": .int(32)])]))
        let value = reply["result"]?["contents"]?["value"]?.stringValue ?? ""
        XCTAssertTrue(value.contains("Rendered as a complete MySQL / MariaDB string literal `'…'`, quotes doubled, backslashes doubled"), value)
    }

    func testHoverOnAVariableTheUpdateDoesNotProvide() {
        let s = started()
        _ = open(s, "o.sql", "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {owner};\n")
        let reply = request(s, "textDocument/hover", .obj(["textDocument": .obj(["uri": .string(uri("o.sql"))]),
                                                           "position": .obj(["line": .int(1), "character": .int(30)])]))
        let value = reply["result"]?["contents"]?["value"]?.stringValue ?? ""
        XCTAssertTrue(value.contains("Not provided here: only `update=owner` provides it"), value)
    }

    func testCompletionOffersOnlyTheProvidedVariables() {
        let s = started()
        _ = open(s, "k.sql", "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {de\n")
        let reply = request(s, "textDocument/completion", .obj(["textDocument": .obj(["uri": .string(uri("k.sql"))]),
                                                                "position": .obj(["line": .int(1), "character": .int(40)])]))
        let items = reply["result"]?["items"]?.arrayValue ?? []
        let labels = Set(items.compactMap { $0["label"]?.stringValue })
        XCTAssertEqual(labels, ["database", "schema", "table", "description"])
        let d = items.first { $0["label"]?.stringValue == "description" }
        XCTAssertEqual(d?["textEdit"]?["newText"]?.stringValue, "description}")
        XCTAssertEqual(range(d?["textEdit"]), [1, 38, 1, 40])
        // After `{{` (a literal brace) nothing is offered.
        _ = open(s, "k2.sql", "SELECT '{{")
        let none = request(s, "textDocument/completion", .obj(["textDocument": .obj(["uri": .string(uri("k2.sql"))]),
                                                               "position": .obj(["line": .int(0), "character": .int(10)])]))
        XCTAssertEqual(none["result"], .array([]))
    }
}
