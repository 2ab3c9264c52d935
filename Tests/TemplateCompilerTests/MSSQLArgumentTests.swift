import XCTest
@testable import TemplateCompiler

/// T-SQL extended-property calls: only an argument's value is an `N'…'` string; the qualifiers of
/// the routine (`{database}.sys.…`) are names; positional arguments carry the level too.
final class MSSQLArgumentTests: XCTestCase {
    func render(_ text: String, _ values: [Variable: String]) throws -> String {
        switch Compiler.compile(TemplateSource(text)) {
        case .success(let t): return try t.render(RenderValues(values))
        case .failure(let f): XCTFail("does not compile: \(f.diagnostics.map(\.message))"); return ""
        }
    }

    func codes(_ text: String) -> [String] { Analyzer.analyze(TemplateSource(text)).diagnostics.map(\.code) }

    let values: [Variable: String] = [.database: "Sales DB", .schema: "dbo", .table: "o'rders", .column: "id",
                                      .description: "it's 東京"]

    func testDefaultsWriteTheDatabaseAsANameAndEveryArgumentAsAValue() throws {
        let mssql = Connectors.connector(.mssql)
        let descriptions = mssql.defaults.filter { $0.update == .description }
        XCTAssertEqual(descriptions.count, 6)
        for t in descriptions {
            let sql = try render(t.text, values)
            XCTAssertFalse(sql.contains("N'Sales DB'"), "the database became a string:\n\(sql)")
            XCTAssertTrue(sql.contains("FROM [Sales DB].sys.fn_listextendedproperty(N'MS_Description', N'SCHEMA', N'dbo'"), sql)
            XCTAssertTrue(sql.contains("EXEC [Sales DB].sys.sp_"), sql)
            if t.action == .set { XCTAssertTrue(sql.contains("@value = N'it''s 東京'"), sql) }
            if t.level != .schema { XCTAssertTrue(sql.contains("@level1name = N'o''rders'"), sql) }
        }
    }

    func testPositionalArgumentsAreValuesAndGiveTheLevel() throws {
        let table = "-- templatec: dialect=mssql update=description level=table\nEXEC {database}.sys.sp_addextendedproperty N'MS_Description', {description}, N'SCHEMA', {schema}, N'TABLE', {table};"
        XCTAssertFalse(codes(table).contains("STM402"), "\(codes(table))")
        XCTAssertEqual(try render(table, values),
                       "-- templatec: dialect=mssql update=description level=table\nEXEC [Sales DB].sys.sp_addextendedproperty N'MS_Description', N'it''s 東京', N'SCHEMA', N'dbo', N'TABLE', N'o''rders';")
        // The same call at the column level targets a table: the level check still works.
        let wrongLevel = table.replacingOccurrences(of: "level=table", with: "level=column")
        XCTAssertTrue(codes(wrongLevel).contains("STM402"), "\(codes(wrongLevel))")
        // Drop takes no value: its level types are arguments 1, 3 and 5.
        let drop = "-- templatec: dialect=mssql update=description level=column\nEXEC sys.sp_dropextendedproperty N'MS_Description', N'SCHEMA', {schema}, N'TABLE', {table}, N'COLUMN', {column};"
        XCTAssertFalse(codes(drop).contains("STM402"), "\(codes(drop))")
        XCTAssertTrue(try render(drop, values).hasSuffix("N'SCHEMA', N'dbo', N'TABLE', N'o''rders', N'COLUMN', N'id';"))
    }

    func testNamedArgumentsAndQualifiedProcedure() throws {
        let text = "-- templatec: dialect=mssql update=description level=schema\nEXECUTE {database}.sys.sp_updateextendedproperty @name = N'MS_Description', @value = {description}, @level0type = N'SCHEMA', @level0name = {schema};"
        XCTAssertEqual(codes(text), [])
        XCTAssertTrue(try render(text, values).contains("EXECUTE [Sales DB].sys.sp_updateextendedproperty @name = N'MS_Description', @value = N'it''s 東京', @level0type = N'SCHEMA', @level0name = N'dbo';"))
    }

    func testGoLineAndPlainLiteral() {
        let go = "-- templatec: dialect=mssql update=owner level=schema\nALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner}\nGO\n"
        let analysis = Analyzer.analyze(TemplateSource(go))
        let d = analysis.diagnostics.first { $0.code == "STM445" }
        XCTAssertNotNil(d)
        // No `;` before the GO line: the fix ends the statement and removes the line.
        XCTAssertEqual(d?.fixes.first?.edits.map(\.text), [";", ""])
        XCTAssertFalse(codes("-- templatec: dialect=mssql update=owner level=schema\nALTER AUTHORIZATION ON SCHEMA::{schema} TO [go];").contains("STM445"))
        let plain = "-- templatec: dialect=mssql update=description level=schema\nEXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = '{description}', @level0type = N'SCHEMA', @level0name = N'{schema}';"
        let w = Analyzer.analyze(TemplateSource(plain)).diagnostics.first { $0.code == "STM446" }
        XCTAssertEqual(w?.severity, .warning)
        XCTAssertEqual(w?.fixes.first?.edits.first?.text, "N")
    }

    func testClickHouseDatabaseCommentIsSchemaLevelWhenNamedBySchema() {
        XCTAssertEqual(codes("-- templatec: dialect=clickhouse update=description level=schema\nALTER DATABASE {schema} MODIFY COMMENT {description}"), [])
        XCTAssertEqual(codes("-- templatec: dialect=clickhouse update=description level=database\nALTER DATABASE {database} MODIFY COMMENT {description}"), [])
        XCTAssertTrue(codes("-- templatec: dialect=clickhouse update=description level=table\nALTER DATABASE {schema} MODIFY COMMENT {description}").contains("STM402"))
    }
}

extension MSSQLArgumentTests {
    /// A function argument or an operand is a value too; a name keyword or a dot makes a name.
    func testFunctionArgumentsAndOperandsAreValues() throws {
        let text = """
            -- templatec: dialect=mssql update=description level=table
            IF NOT EXISTS (SELECT 1 FROM {database}.sys.extended_properties WHERE major_id = OBJECT_ID({table}) AND name = {description})
            BEGIN
                EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = {description}, @level0type = N'SCHEMA', @level0name = {schema}, @level1type = N'TABLE', @level1name = {table};
            END;
            """
        let sql = try render(text, values)
        XCTAssertTrue(sql.contains("FROM [Sales DB].sys.extended_properties WHERE major_id = OBJECT_ID(N'o''rders') AND name = N'it''s 東京'"), sql)
        XCTAssertTrue(sql.contains("@level0name = N'dbo', @level1type = N'TABLE', @level1name = N'o''rders';"), sql)
    }
}
