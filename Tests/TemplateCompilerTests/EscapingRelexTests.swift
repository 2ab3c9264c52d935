import XCTest
@testable import TemplateCompiler

/// For every dialect and every context it has, hostile values either come back from the lexer as
/// exactly the value, in one token of the expected kind, with the statement count unchanged, or
/// are refused with a RenderError naming the variable.
final class EscapingRelexTests: XCTestCase {
    func run(_ id: DialectID, options: DialectOptions = .default) -> [String: Int] {
        var refused: [String: Int] = [:]
        for c in Relex.cases(id, options: options) {
            for v in Relex.hostileValues {
                if case .refused(let code) = Relex.check(c, value: v, dialect: id, options: options) {
                    refused[code, default: 0] += 1
                }
            }
        }
        return refused
    }

    func testPostgres() { _ = run(.postgres) }
    func testPostgresWithoutStandardConformingStrings() { _ = run(.postgres, options: DialectOptions(standardConformingStrings: false)) }
    func testRedshift() { _ = run(.redshift) }
    func testMySQL() { _ = run(.mysql) }
    func testMySQLNoBackslashEscapes() { _ = run(.mysql, options: DialectOptions(noBackslashEscapes: true)) }
    func testMSSQL() { _ = run(.mssql) }
    func testOracle() { _ = run(.oracle) }
    func testSnowflake() { _ = run(.snowflake) }
    func testBigQuery() { _ = run(.bigquery) }
    func testClickHouse() { _ = run(.clickhouse) }
    func testDatabricks() { _ = run(.databricks) }
    func testDatabricksWithoutGuard() { _ = run(.databricks, options: DialectOptions(guardVariableSubstitution: false)) }
    func testTrino() { _ = run(.trino) }
    func testAthena() { _ = run(.athena) }
    func testAlwaysQuotedNames() {
        for id in DialectID.allCases { _ = run(id, options: DialectOptions(identifierQuoting: .always)) }
    }

    /// Every value that is refused is refused for a reason: the everyday ones render everywhere.
    func testOrdinaryValuesRenderEverywhere() {
        for id in DialectID.allCases {
            for c in Relex.cases(id) where !c.description.contains("$") && !c.description.contains("glued") && !c.description.contains("identifier") {
                for v in ["it's a \"test\" \\ with\nnewlines", "Kunden­daten (ä, ö, ü) – 100 %"] {
                    let outcome = Relex.check(c, value: v, dialect: id)
                    if c.variable == .description {
                        XCTAssertEqual(outcome, .rendered, "\(id) \(c.description) refused \(v.debugDescription)")
                    }
                }
            }
        }
    }

    /// The `${…}` guard: no rendered Databricks literal keeps `${`.
    func testDatabricksGuardLeavesNoSubstitution() throws {
        let t = try Compiler.compile(TemplateSource("-- templatec: dialect=databricks update=description level=table\nCOMMENT ON TABLE {table} IS {description};"),
                                     flags: ContextSettings()).get()
        let sql = try t.render(RenderValues([.table: "t", .description: "cost ${env:SECRET} and $${x}"]))
        XCTAssertFalse(sql.contains("${"), sql)
        XCTAssertEqual(sql.components(separatedBy: "\n").last, "COMMENT ON TABLE t IS 'cost \\$\\{env:SECRET} and \\$\\$\\{x}';")
    }
}
