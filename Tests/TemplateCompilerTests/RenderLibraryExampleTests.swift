import XCTest
@testable import TemplateCompiler

/// Runs the example of docs/library.md, line for line (only `fatalError` and `print` are captured).
final class RenderLibraryExampleTests: XCTestCase {
    func testLibraryExample() throws {
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }

        // Compile once (at deployment, or when a channel's template changes).
        let source = TemplateSource(path: "table_comment.sql", """
            -- templatec: dialect=postgres update=description level=table
            COMMENT ON TABLE {schema}.{table} IS {description};
            """)
        let template: CompiledTemplate
        switch Compiler.compile(source) {
        case .success(let t): template = t
        case .failure(let failure):
            // The template has errors: show them like `templatec check` does.
            return XCTFail(failure.diagnostics.map(\.message).joined(separator: "\n"))
        }

        // Store it: deterministic JSON, versioned (CompiledTemplate.formatVersion).
        let artifact = template.jsonText
        let loaded = try CompiledTemplate(jsonText: artifact)

        // Render many times.
        let sql = try loaded.render(RenderValues([.schema: "sales", .table: "Order Items", .description: "it's \"ours\""]))
        XCTAssertEqual(sql, "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE sales.\"Order Items\" IS 'it''s \"ours\"';")

        // A value that cannot be written safely is refused, never mangled.
        do {
            _ = try loaded.render(RenderValues([.schema: "sales", .table: "t", .description: "nul\u{0}"]))
        } catch {
            print(error.code, error.variable as Any, error.message)
        }
        XCTAssertEqual(printed.count, 1)
        XCTAssertTrue(printed[0].hasPrefix("RND301 Optional(TemplateCompiler.Variable.description) {description} contains the NUL"), printed[0])
    }

    /// The docs page holds the same code as this test.
    func testDocsPageMatches() throws {
        let here = URL(fileURLWithPath: #filePath)
        let doc = try String(contentsOf: here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/library.md"), encoding: .utf8)
        for line in ["let loaded = try CompiledTemplate(jsonText: artifact)",
                     "let sql = try loaded.render(RenderValues([.schema: \"sales\", .table: \"Order Items\", .description: \"it's \\\"ours\\\"\"]))",
                     "switch Compiler.compile(source) {", "let artifact = template.jsonText"] {
            XCTAssertTrue(doc.contains(line), line)
        }
    }
}
