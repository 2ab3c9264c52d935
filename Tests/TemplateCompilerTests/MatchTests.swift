import XCTest
@testable import TemplateCompiler

/// `CompiledTemplate.match`: what matches, what the values are, and why the rest does not.
final class MatchTests: XCTestCase {
    func compile(_ text: String, _ dialect: DialectID = .postgres, file: StaticString = #filePath, line: UInt = #line) -> CompiledTemplate {
        let source = text.hasPrefix("-- templatec:") ? text : "-- templatec: dialect=\(dialect.rawValue)\n" + text
        // Statement-level lint rules (fixed names, levels) do not bear on matching.
        let analysis = Analyzer.analyze(TemplateSource(source), flags: ContextSettings(dialect: dialect), rules: RuleSet.foundation)
        guard let t = Compiler.compile(analysis) else {
            XCTFail("does not compile: \(analysis.diagnostics.filter { $0.severity == .error }.map(\.message))", file: file, line: line)
            fatalError()
        }
        return t
    }

    func values(_ t: CompiledTemplate, _ sql: String, file: StaticString = #filePath, line: UInt = #line) -> TemplateMatch? {
        switch t.match(sql) {
        case .success(let m): return m
        case .failure(let f):
            XCTFail("\(sql.debugDescription) does not match: \(f)", file: file, line: line)
            return nil
        }
    }

    func failure(_ t: CompiledTemplate, _ sql: String, file: StaticString = #filePath, line: UInt = #line) -> MatchFailure? {
        switch t.match(sql) {
        case .success(let m):
            XCTFail("\(sql.debugDescription) matches, with \(m.values.values)", file: file, line: line)
            return nil
        case .failure(let f): return f
        }
    }

    let commentOnTable = "COMMENT ON TABLE {schema}.{table} IS {description};"

    func testRenderedSQLMatchesWithItsValues() {
        let t = compile(commentOnTable)
        let m = values(t, "COMMENT ON TABLE public.\"My Table\" IS 'it''s';")
        XCTAssertEqual(m?.values.values, [.schema: "public", .table: "My Table", .description: "it's"])
        XCTAssertEqual(m?.isExact, true)
    }

    func testWhitespaceCommentsAndKeywordCaseDoNotMatter() {
        let t = compile(commentOnTable)
        let m = values(t, "/* by hand */ comment   on\ttable\n public . t -- the table\n is 'x'")
        XCTAssertEqual(m?.values.values, [.schema: "public", .table: "t", .description: "x"])
    }

    func testUnquotedNamesFoldAndSaySo() {
        let t = compile(commentOnTable)
        let m = values(t, "COMMENT ON TABLE Public.MyTable IS 'x';")
        XCTAssertEqual(m?.values[.table], "mytable")
        XCTAssertEqual(m?.values[.schema], "public")
        XCTAssertEqual(m?.foldedNames.map(\.written), ["Public", "MyTable"])
        XCTAssertEqual(m?.isExact, false)
    }

    func testTrailingStatementNeverMatches() {
        let t = compile(commentOnTable)
        let f = failure(t, "COMMENT ON TABLE s.t IS 'x'; DROP TABLE t")
        XCTAssertEqual(f?.column, 30)
        XCTAssertTrue(f?.reason.contains("DROP") == true, f?.reason ?? "")
        // The naive f-string's injection: the literal ends, a statement follows.
        let g = failure(compile("COMMENT ON TABLE s.t IS '{description}';"), "COMMENT ON TABLE s.t IS 'x'; DROP TABLE t; --';")
        XCTAssertEqual(g?.column, 30)
    }

    func testADifferentStatementDoesNotMatch() {
        let f = failure(compile(commentOnTable), "COMMENT ON COLUMN s.t.c IS 'x';")
        XCTAssertEqual(f?.line, 1)
        XCTAssertEqual(f?.column, 12)
        XCTAssertEqual(f?.reason, "expected `TABLE`, found `COLUMN`")
    }

    func testALiteralOfAnotherKindDoesNotMatch() {
        let t = compile(commentOnTable)
        XCTAssertNotNil(failure(t, "COMMENT ON TABLE s.t IS E'x';"))
        XCTAssertNotNil(failure(t, "COMMENT ON TABLE s.t IS $$x$$;"))
        XCTAssertNotNil(failure(t, "COMMENT ON TABLE s.t IS NULL;"))
    }

    func testACommentSwallowingTheTemplatesTextDoesNotMatch() {
        let t = compile("COMMENT ON TABLE t IS '{description} (synced)';")
        XCTAssertEqual(values(t, "COMMENT ON TABLE t IS 'x (synced)';")?.values[.description], "x")
        let f = failure(t, "COMMENT ON TABLE t IS 'x' -- (synced)';")
        XCTAssertTrue(f?.reason.contains("(synced)") == true, f?.reason ?? "")
        XCTAssertNotNil(failure(compile(commentOnTable), "COMMENT ON TABLE s.t -- IS 'x';"))
    }

    func testHoleInsideALiteral() {
        let t = compile("COMMENT ON TABLE {table} IS 'Synced from the catalog: {description}';")
        XCTAssertEqual(values(t, "COMMENT ON TABLE t IS 'Synced from the catalog: it''s {x}';")?.values[.description], "it's {x}")
        let f = failure(t, "COMMENT ON TABLE t IS 'Written by hand';")
        XCTAssertTrue(f?.reason.contains("does not begin with") == true, f?.reason ?? "")
    }

    func testAVariableUsedTwiceNeedsOneValue() {
        let t = compile("COMMENT ON TABLE {table} IS {description}; COMMENT ON TABLE {table}_copy IS {description};")
        XCTAssertEqual(values(t, "COMMENT ON TABLE t IS 'x'; COMMENT ON TABLE t_copy IS 'x';")?.values[.table], "t")
        let f = failure(t, "COMMENT ON TABLE t IS 'x'; COMMENT ON TABLE u_copy IS 'x';")
        XCTAssertTrue(f?.reason.contains("two values") == true, f?.reason ?? "")
    }
}
