import XCTest
@testable import TemplateCompiler

/// BigQuery reads a `.` inside a backtick-quoted name as a path separator, so a dataset, table or
/// column name with a dot would address another object: refused (RND305). A project id keeps its
/// dots and colon (a domain-scoped id, `example.com:my-project`): the rule is per variable
/// (`forbiddenCharactersByVariable` in BigQueryDialect.swift). ZetaSQL's reading of the rendered
/// statements is checked in GrammarOracleTests.
final class BigQueryDottedNameTests: XCTestCase {
    let separate = "-- templatec: dialect=bigquery update=description level=table\nALTER TABLE {database}.{schema}.{table} SET OPTIONS (description = {description});"
    let onePath = "-- templatec: dialect=bigquery update=description level=table\nALTER TABLE `{database}.{schema}.{table}` SET OPTIONS (description = {description});"

    func compile(_ text: String) throws -> CompiledTemplate {
        guard case .success(let t) = Compiler.compile(TemplateSource(text)) else { throw XCTSkip("does not compile") }
        return t
    }

    func render(_ t: CompiledTemplate, _ database: String, _ schema: String, _ table: String) -> Result<String, RenderError> {
        Result { () throws(RenderError) -> String in
            try t.render(RenderValues([.database: database, .schema: schema, .table: table, .description: "d"]))
        }
    }

    func testADotInADatasetOrTableNameIsRefusedAndAProjectIdKeepsIt() throws {
        for text in [separate, onePath] {
            let t = try compile(text)
            for (schema, table, refused) in [("a.b", "t", Variable.schema), ("ds", "t.x", .table), ("ds", ".", .table)] {
                guard case .failure(let e) = render(t, "p", schema, table) else { XCTFail("\(schema).\(table) rendered"); continue }
                XCTAssertEqual(e.code, "RND305")
                XCTAssertEqual(e.variable, refused)
                XCTAssertTrue(e.message.contains("path separator"), e.message)
            }
            guard case .success(let sql) = render(t, "example.com:my-project", "ds", "t") else { return XCTFail("project id refused") }
            XCTAssertTrue(sql.contains(text == separate ? "`example.com:my-project`.ds.t" : "`example.com:my-project.ds.t`"), sql)
        }
    }

    /// The same rule through the compiled artifact: it is written per variable and read back.
    func testTheRuleSurvivesTheArtifact() throws {
        let t = try compile(separate)
        let reread = try CompiledTemplate(json: t.json)
        guard case .failure(let e) = render(reread, "p", "a.b", "t") else { return XCTFail("a.b rendered from the artifact") }
        XCTAssertEqual(e.code, "RND305")
        guard case .success = render(reread, "example.com:my-project", "ds", "t") else { return XCTFail("project id refused from the artifact") }
    }

    /// One backtick-quoted path of three holes: `x.y.s.t` splits four ways by its dots, but only
    /// one gives the dataset and the table names without a dot, so the reading is exact.
    func testAOneNamePathIsReadWithTheDotsInTheProjectOnly() throws {
        let t = try compile(onePath)
        for (project, sql) in [("x.y", "ALTER TABLE `x.y.s.t` SET OPTIONS (description = 'd');"),
                               ("example.com:my-project", "ALTER TABLE `example.com:my-project.s.t` SET OPTIONS (description = 'd');")] {
            guard case .success(let m) = t.match(sql) else { XCTFail("\(sql) does not match"); continue }
            XCTAssertEqual(m.values[.database], project)
            XCTAssertEqual(m.values[.schema], "s")
            XCTAssertEqual(m.values[.table], "t")
            XCTAssertTrue(m.isExact, "\(m.ambiguous)")
        }
        // No reading gives both a dot-free dataset and table: no match (not a wrong one).
        guard case .failure = t.match("ALTER TABLE `xst` SET OPTIONS (description = 'd');") else { return XCTFail("matched") }
    }
}
