import XCTest
@testable import TemplateCompiler

/// `CompiledTemplate.match`: what matches, what the values are, and why the rest does not.
final class MatchTests: XCTestCase {
    func compile(_ text: String, _ dialect: DialectID = .postgres, file: StaticString = #filePath, line: UInt = #line) -> CompiledTemplate {
        let source = text.hasPrefix("-- templatec:") ? text : "-- templatec: dialect=\(dialect.rawValue)\n" + text
        // Statement-level lint rules (fixed names, levels) do not bear on matching.
        let analysis = Analyzer.analyze(TemplateSource(source), flags: ContextSettings(dialect: dialect), rules: RuleSet.placeholderRules)
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

    func testATrailingSeparatorMayDifferButNothingElse() {
        let withSeparator = compile(commentOnTable)
        XCTAssertNotNil(values(withSeparator, "COMMENT ON TABLE s.t IS 'x'"))
        XCTAssertNotNil(values(withSeparator, "COMMENT ON TABLE s.t IS 'x';  -- done\n"))
        XCTAssertNotNil(failure(withSeparator, "COMMENT ON TABLE s.t IS 'x';;"))
        let without = compile("COMMENT ON TABLE {schema}.{table} IS {description}")
        XCTAssertNotNil(values(without, "COMMENT ON TABLE s.t IS 'x';"))
        XCTAssertNotNil(failure(without, "COMMENT ON TABLE s.t IS 'x'; SELECT 1"))
    }

    func testSQLThatDoesNotLexDoesNotMatch() {
        let f = failure(compile(commentOnTable), "COMMENT ON TABLE s.t IS 'x;")
        XCTAssertEqual(f?.column, 25)
        XCTAssertTrue(f?.reason.contains("never closed") == true, f?.reason ?? "")
    }

    func testBracesInSQLAreOrdinaryCharacters() {
        let t = compile(commentOnTable)
        XCTAssertNotNil(failure(t, "COMMENT ON TABLE s.t IS '{' || '}';"))
        XCTAssertEqual(values(t, "COMMENT ON TABLE s.t IS '{x} }} {{';")?.values[.description], "{x} }} {{")
    }

    func testEscapesWhoseMeaningDiffersAreRefused() {
        let mysql = compile("ALTER TABLE {table} COMMENT = {description};", .mysql)
        XCTAssertEqual(values(mysql, "ALTER TABLE t COMMENT = 'it\\'s \\\\ \\n';")?.values[.description], "it's \\ \n")
        XCTAssertEqual(values(mysql, "ALTER TABLE t COMMENT = 'it''s';")?.values[.description], "it's")
        let f = failure(mysql, "ALTER TABLE t COMMENT = '100\\%';")
        XCTAssertTrue(f?.reason.contains("different things") == true, f?.reason ?? "")
        XCTAssertEqual(f?.column, 29)
        // Spark: `''` joins two literals, it is no quote.
        let spark = compile("COMMENT ON TABLE {table} IS {description};", .databricks)
        XCTAssertEqual(values(spark, "COMMENT ON TABLE t IS 'it\\'s';")?.values[.description], "it's")
        XCTAssertNotNil(failure(spark, "COMMENT ON TABLE t IS 'it''s';"))
    }

    func testMySQLExecutableCommentsAreSQLNotComments() {
        let t = compile("ALTER TABLE {table} COMMENT = {description};", .mysql)
        XCTAssertNotNil(failure(t, "ALTER TABLE t /*! COMMENT = 'x' */;"))
        XCTAssertNotNil(values(t, "ALTER TABLE t /* ordinary */ COMMENT = 'x';"))
    }

    func testReservedWordsAreNoUnquotedNames() {
        let t = compile(commentOnTable)
        XCTAssertNotNil(failure(t, "COMMENT ON TABLE s.select IS 'x';"))
        XCTAssertEqual(values(t, "COMMENT ON TABLE s.\"select\" IS 'x';")?.values[.table], "select")
    }

    func testDollarQuotesAndNationalLiterals() {
        let dollar = compile("COMMENT ON TABLE {table} IS $c${description}$c$;")
        XCTAssertEqual(values(dollar, "COMMENT ON TABLE t IS $c$it's $$ fine$c$;")?.values[.description], "it's $$ fine")
        XCTAssertNotNil(failure(dollar, "COMMENT ON TABLE t IS $d$x$d$;"))
        let national = compile("EXEC sp_addextendedproperty @name = N'MS_Description', @value = N{description};", .mssql)
        XCTAssertEqual(values(national, "EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'it''s';")?.values[.description], "it's")
        XCTAssertNotNil(failure(national, "EXEC sp_addextendedproperty @name = N'MS_Description', @value = 'it''s';"))
    }

    func testGluedNames() {
        let t = compile("COMMENT ON TABLE stg_{table} IS {description};")
        XCTAssertEqual(values(t, "COMMENT ON TABLE stg_orders IS 'x';")?.values[.table], "orders")
        let m = values(t, "COMMENT ON TABLE STG_Orders IS 'x';")
        XCTAssertEqual(m?.values[.table], "orders")
        XCTAssertEqual(m?.foldedNames.map(\.written), ["Orders"])
        XCTAssertNotNil(failure(t, "COMMENT ON TABLE prod_orders IS 'x';"))
        XCTAssertNotNil(failure(t, "COMMENT ON TABLE stg_ IS 'x';"))
    }

    func testTagLists() {
        let bq = compile("ALTER TABLE {table} SET OPTIONS (labels = {tags});", .bigquery)
        let m = values(bq, "ALTER TABLE t SET OPTIONS (labels = [(\"k\", \"v\"), ( \"a\" , \"b\" )]);")
        XCTAssertTrue(m?.values.tags.elementsEqual([("k", "v"), ("a", "b")], by: { $0 == $1 }) == true)
        XCTAssertEqual(values(bq, "ALTER TABLE t SET OPTIONS (labels = []);")?.values.tags.count, 0)
        XCTAssertNotNil(failure(bq, "ALTER TABLE t SET OPTIONS (labels = [(\"k\", \"v\"),]);"))
        XCTAssertNotNil(failure(bq, "ALTER TABLE t SET OPTIONS (labels = [('k', \"v\")]);"))
        let databricks = compile("-- templatec: dialect=databricks update=tags level=table\nALTER TABLE {table} UNSET TAGS {tags};", .databricks)
        XCTAssertEqual(values(databricks, "ALTER TABLE t UNSET TAGS ('a', 'b');")?.values.tags.map(\.key), ["a", "b"])
        XCTAssertNotNil(failure(databricks, "ALTER TABLE t UNSET TAGS ('a' = 'b');"))
    }

    func testNamesInTemplateTextCompareExactlyWhereNamesDoNotFold() {
        let t = compile("ALTER TABLE db.Events MODIFY COMMENT {description};", .clickhouse)
        XCTAssertNotNil(values(t, "alter table db.Events modify comment 'x'"))
        XCTAssertNotNil(failure(t, "ALTER TABLE db.events MODIFY COMMENT 'x'"))
    }

    // MARK: stored values

    func testStoredValueThroughALiteralHole() {
        let t = compile("COMMENT ON TABLE {table} IS 'Synced from the catalog: {description}';")
        XCTAssertEqual(try? t.storedValue(of: .description, in: "Synced from the catalog: it's").get(), "it's")
        XCTAssertEqual(try? t.storedValue(of: .description, in: "Synced from the catalog: ").get(), "")
        guard case .failure(let f) = t.storedValue(of: .description, in: "Written by hand") else { return XCTFail("read back") }
        XCTAssertTrue(f.reason.contains("not written by this template"), f.reason)
        guard case .failure = t.storedValue(of: .table, in: "x") else { return XCTFail("a name is stored in no literal") }
    }

    func testStoredValueOfABareLiteralIsTheText() {
        XCTAssertEqual(try? compile(commentOnTable).storedValue(of: .description, in: "it's").get(), "it's")
    }

    func testStoredValueWithOtherHolesInTheLiteral() {
        let t = compile("COMMENT ON TABLE {table} IS '{table}: {description}';")
        XCTAssertEqual(try? t.storedValue(of: .description, in: "orders: a: b", given: RenderValues([.table: "orders"])).get(), "a: b")
        guard case .failure(let f) = t.storedValue(of: .description, in: "orders: a: b") else { return XCTFail("guessed") }
        XCTAssertTrue(f.reason.contains("more than one way"), f.reason)
        XCTAssertEqual(try? t.storedValue(of: .description, in: "orders: ab").get(), "ab")
    }

    // MARK: the fast path

    func testRenderedSQLTakesTheFastPath() throws {
        let t = compile(commentOnTable)
        let pattern = try t.matcher().pattern
        let fast = try XCTUnwrap(pattern.fastPath)
        var slots = [String?](repeating: nil, count: pattern.slotVariables.count)
        let sql = try t.render(RenderValues([.schema: "s", .table: "Order Items", .description: "it's"]))
        XCTAssertTrue(withBytesNoThrow(sql) { fast.match($0, slotOfHole: pattern.slotOfHole, slots: &slots) })
        XCTAssertEqual(slots, ["s", "Order Items", "it's"])
        // Not exactly as rendered: the general path answers.
        for other in ["COMMENT ON TABLE s.t IS 'x'", "COMMENT ON TABLE s.\"t\" IS 'x';", "COMMENT  ON TABLE s.t IS 'x';", "comment on table s.t is 'x';"] {
            slots = [String?](repeating: nil, count: pattern.slotVariables.count)
            XCTAssertFalse(withBytesNoThrow(other) { fast.match($0, slotOfHole: pattern.slotOfHole, slots: &slots) }, other)
            XCTAssertNotNil(values(t, other))
        }
    }

    func testTemplatesWhoseHolesDoNotDelimitThemselvesHaveNoFastPath() throws {
        XCTAssertNil(try compile("COMMENT ON TABLE stg_{table} IS {description};").matcher().pattern.fastPath)
        XCTAssertNil(try compile("COMMENT ON TABLE t IS '{schema}.{table}';").matcher().pattern.fastPath)
        XCTAssertNotNil(try compile("COMMENT ON TABLE t IS '{description} (synced)';").matcher().pattern.fastPath)
    }

    // MARK: the JSON-lines service

    func testTheServiceAnswersAsTheMatcher() throws {
        let t = compile(commentOnTable)
        let general = try TemplateMatcher(t, fastPath: false)
        let service = MatchService(try t.matcher())
        for sql in ["COMMENT ON TABLE s.t IS 'it''s';", "COMMENT ON TABLE s.\"Order \"\"Items\"\"\" IS 'é \\ x';", "comment on table S.T is 'x'",
                    "DROP TABLE x", "COMMENT ON TABLE s.t IS 'x'; --\n"] {
            var request: [UInt8] = Array(#"{"sql": "#.utf8)
            JSONDocument.writeString(sql, into: &request)
            request.append(UInt8(ascii: "}"))
            var answer: [UInt8] = [], expected: [UInt8] = []
            request.withUnsafeBufferPointer { service.respond(to: $0, into: &answer) }
            MatchService.write(general.match(sql), id: nil, vars: general.variables, into: &expected)
            XCTAssertEqual(String(decoding: answer, as: UTF8.self), String(decoding: expected, as: UTF8.self), sql)
        }
    }

    // MARK: several templates

    func testASetFindsTheTemplateAStatementIsAnInstanceOf() throws {
        let connector = Connectors.connector(.postgres)
        let templates = connector.defaults.map { t in
            (key: "\(t.update.rawValue)/\(t.level.rawValue)/\(t.action.rawValue)", template: try! Compiler.compile(TemplateSource(t.text)).get())
        }
        let set = try TemplateMatcherSet(templates)
        let hit = try set.match("COMMENT ON COLUMN s.t.c IS 'x';").get()
        XCTAssertEqual(hit.key, "description/column/set")
        XCTAssertEqual(hit.match.values[.column], "c")
        XCTAssertEqual(try set.match("comment on table s.t is null").get().key, "description/table/remove")
        guard case .failure(let miss) = set.match("COMMENT ON TABLE s.t IS 'x'; DROP TABLE s.t") else { return XCTFail("matched") }
        XCTAssertEqual(miss.failure?.column, 30)
    }
}
