import XCTest
@testable import TemplateCompiler

/// T-SQL's regular identifiers admit non-ASCII letters (Unicode 3.2) and, after the first
/// character, digits: other non-ASCII characters are bracketed (sqlfluff's T-SQL lexer rejects them
/// bare, as SQL Server's documentation says it must).
final class TSQLNonASCIINameTests: XCTestCase {
    func testOnlyLettersStandBare() throws {
        let text = "-- templatec: dialect=mssql update=owner level=database\nALTER AUTHORIZATION ON DATABASE::{database} TO {owner};"
        guard case .success(let t) = Compiler.compile(TemplateSource(text)) else { return XCTFail("does not compile") }
        for (name, written) in [("café", "café"), ("表", "表"), ("Ölçü1", "Ölçü1"), ("’", "[’]"), ("😀", "[😀]"),
                                ("a’b", "[a’b]"), ("x😀", "[x😀]"), ("١abc", "[١abc]"), ("a١", "a١")] {
            let sql = try t.render(RenderValues([.database: name, .owner: "bob"]))
            XCTAssertTrue(sql.contains("DATABASE::\(written) TO"), "\(name): \(sql)")
            // The artifact keeps the rule.
            let reread = try CompiledTemplate(json: t.json)
            XCTAssertEqual(try reread.render(RenderValues([.database: name, .owner: "bob"])), sql, name)
        }
    }
}
