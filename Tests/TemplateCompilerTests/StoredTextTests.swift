import XCTest
@testable import TemplateCompiler

/// Values the target would change: limits apply to the text the target stores (the value with the
/// template's own text around it), and a bare name is plain only when no server encoding's case
/// folding can change it.
final class StoredTextTests: XCTestCase {
    func compile(_ template: String, file: StaticString = #filePath, line: UInt = #line) throws -> CompiledTemplate {
        switch Compiler.compile(TemplateSource(template)) {
        case .success(let t): return t
        case .failure(let f): XCTFail("does not compile: \(f.diagnostics.map(\.message))", file: file, line: line); throw f
        }
    }

    func render(_ t: CompiledTemplate, _ values: [Variable: String]) -> Result<String, RenderError> {
        do { return .success(String(try t.render(RenderValues(values)).split(separator: "\n").last!)) } catch { return .failure(error) }
    }

    func refusal(_ r: Result<String, RenderError>) -> RenderError? {
        if case .failure(let e) = r { return e }
        return nil
    }

    static let pg = "-- templatec: dialect=postgres update=description level=table\n"

    func testAGluedOrQuotedNameIsLimitedAsRendered() throws {
        for (template, rest) in [("COMMENT ON TABLE stg_{table} IS {description};", "stg_"),
                                 ("COMMENT ON TABLE \"{table}_bak\" IS {description};", "_bak"),
                                 ("COMMENT ON TABLE \"{table}\"\"x\" IS {description};", "\"x")] {
            let t = try compile(Self.pg + template)
            let room = 63 - rest.utf8.count
            XCTAssertNotNil(try? render(t, [.table: String(repeating: "a", count: room), .description: "d"]).get(), template)
            let e = try XCTUnwrap(refusal(render(t, [.table: String(repeating: "a", count: room + 1), .description: "d"])), template)
            XCTAssertEqual(e.code, "RND308", template)
            XCTAssertTrue(e.message.contains("a PostgreSQL name with the template's own `\(rest)`"), e.message)
            XCTAssertTrue(e.message.contains("holds at most \(room)"), e.message)
        }
        // Bytes, not characters: `é` is two.
        let t = try compile(Self.pg + "COMMENT ON TABLE stg_{table} IS {description};")
        XCTAssertNotNil(refusal(render(t, [.table: String(repeating: "é", count: 30), .description: "d"])))
        // A bare name is the whole name: the 63 bytes are its own.
        let bare = try compile(Self.pg + "COMMENT ON TABLE {schema}.{table} IS {description};")
        XCTAssertNotNil(try? render(bare, [.schema: "s", .table: String(repeating: "a", count: 63), .description: "d"]).get())
        XCTAssertNotNil(refusal(render(bare, [.schema: "s", .table: String(repeating: "a", count: 64), .description: "d"])))
    }

    func testValuesThatShareOneNameAreLimitedTogether() throws {
        let t = try compile(Self.pg + "COMMENT ON TABLE {schema}_{table} IS {description};")
        let a31 = String(repeating: "a", count: 31)
        XCTAssertNotNil(try? render(t, [.schema: a31, .table: a31, .description: "d"]).get(), "31 + 1 + 31 = 63 bytes")
        let e = try XCTUnwrap(refusal(render(t, [.schema: a31, .table: a31 + "b", .description: "d"])))
        XCTAssertEqual(e.code, "RND308")
        XCTAssertTrue(e.message.contains("{schema} and {table} together are 63 bytes"), e.message)
        // The artifact keeps the group.
        let again = try CompiledTemplate(jsonText: t.jsonText)
        XCTAssertEqual(again, t)
        XCTAssertNotNil(refusal(render(again, [.schema: a31, .table: a31 + "b", .description: "d"])))
    }

    func testAMySQLCommentIsLimitedWithTheTemplatesOwnText() throws {
        let t = try compile("-- templatec: dialect=mysql update=description level=table\nALTER TABLE {schema}.{table} COMMENT = 'It''s: {description}';")
        // `It''s: ` is stored as `It's: `: 6 characters of the 2,048.
        XCTAssertNotNil(try? render(t, [.schema: "s", .table: "t", .description: String(repeating: "x", count: 2042)]).get())
        let e = try XCTUnwrap(refusal(render(t, [.schema: "s", .table: "t", .description: String(repeating: "x", count: 2043)])))
        XCTAssertEqual(e.code, "RND308")
        XCTAssertTrue(e.message.contains("holds at most 2042"), e.message)
        // A bare placeholder is the whole comment.
        let bare = try compile("-- templatec: dialect=mysql update=description level=table\nALTER TABLE {schema}.{table} COMMENT = {description};")
        XCTAssertNotNil(try? render(bare, [.schema: "s", .table: "t", .description: String(repeating: "x", count: 2048)]).get())
    }

    func testANonASCIILetterThatFoldingChangesIsQuoted() throws {
        let t = try compile(Self.pg + "COMMENT ON TABLE {schema}.{table} IS {description};")
        XCTAssertEqual(try render(t, [.schema: "s", .table: "É", .description: "d"]).get(), #"COMMENT ON TABLE s."É" IS 'd';"#)
        XCTAssertEqual(try render(t, [.schema: "s", .table: "Ωmega", .description: "d"]).get(), #"COMMENT ON TABLE s."Ωmega" IS 'd';"#)
        // Lower case has nothing to fold: bare.
        XCTAssertEqual(try render(t, [.schema: "s", .table: "café", .description: "d"]).get(), "COMMENT ON TABLE s.café IS 'd';")
        // Glued, it cannot be quoted: refused.
        let glued = try compile(Self.pg + "COMMENT ON TABLE stg_{table} IS {description};")
        XCTAssertEqual(refusal(render(glued, [.table: "É", .description: "d"]))?.code, "RND306")
        // Folding to upper case (Oracle): a lower-case letter is the one that changes.
        let oracle = try compile("-- templatec: dialect=oracle update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description}")
        XCTAssertEqual(try render(oracle, [.schema: "S", .table: "é", .description: "d"]).get(), #"COMMENT ON TABLE S."é" IS 'd'"#)
    }
}
