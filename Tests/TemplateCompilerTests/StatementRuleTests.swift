import XCTest
@testable import TemplateCompiler

/// Statement rules beyond their catalog examples: rule levels, the T-SQL block's level, the
/// once-per-template note.
final class StatementRuleTests: XCTestCase {
    func testRuleLevelsDropAndRegrade() {
        var config = ContextSettings()
        config.ruleLevels = ["CTX205": .error, "STM409": .off]
        let source = TemplateSource("-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE stg_{table} IS 'x';")
        let diagnostics = Analyzer.analyze(source, config: config).diagnostics
        XCTAssertEqual(diagnostics.first { $0.code == "CTX205" }?.severity, .error)
        XCTAssertFalse(diagnostics.contains { $0.code == "STM409" })
    }

    func testClassificationOfTheMSSQLBlockTakesTheLevelFromTheArguments() {
        let text = """
        IF NOT EXISTS (SELECT 1 FROM sys.extended_properties WHERE name = N'MS_Description')
        BEGIN
            EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N{description},
                 @level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = N'{table}'
        END
        ELSE
        BEGIN
            EXEC sys.sp_updateextendedproperty @name = N'MS_Description', @value = N{description},
                 @level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = N'{table}'
        END;
        """
        let template = Parser.parse(TemplateSource(text), dialect: .named(.mssql))
        let classified = template.statements.compactMap(\.classification)
        XCTAssertEqual(classified.count, 1)
        XCTAssertEqual(classified.first?.level, .table)
        XCTAssertEqual(classified.first?.kind, .setDescription)
    }

    /// The unverified-statement note comes once per template however many statements are unknown.
    func testUnverifiedIsReportedOnce() {
        let source = TemplateSource("-- templatec: dialect=postgres update=description level=table\nSELECT 1; SELECT 2; SELECT {description};")
        XCTAssertEqual(Analyzer.analyze(source).diagnostics.filter { $0.code == "STM401" }.count, 1)
    }
}
