import XCTest
@testable import TemplateCompiler

/// Exact renderings of the escaping contract (docs/rendering.md), dialect by dialect.
final class EscapingGoldenTests: XCTestCase {
    func render(_ template: String, _ values: [Variable: String], tags: [(key: String, value: String)] = [],
                set: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> String? {
        var flags = ContextSettings()
        for (k, v) in set { XCTAssertNil(flags.set(k, [v]), file: file, line: line) }
        switch Compiler.compile(TemplateSource(template), flags: flags) {
        case .failure(let f):
            XCTFail("does not compile: \(f.diagnostics.map(\.message))", file: file, line: line)
            return nil
        case .success(let t):
            do {
                let sql = try t.render(RenderValues(values, tags: tags))
                return String(sql.split(separator: "\n", omittingEmptySubsequences: false).last!)
            } catch {
                XCTFail("refused: \(error)", file: file, line: line)
                return nil
            }
        }
    }

    func refusal(_ template: String, _ values: [Variable: String], tags: [(key: String, value: String)] = [],
                 set: [String: String] = [:]) -> RenderError? {
        var flags = ContextSettings()
        for (k, v) in set { _ = flags.set(k, [v]) }
        guard case .success(let t) = Compiler.compile(TemplateSource(template), flags: flags) else { return nil }
        do {
            _ = try t.render(RenderValues(values, tags: tags))
            return nil
        } catch {
            return error
        }
    }

    let pg = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS {description};"

    func testBareTextIsACompleteLiteralOfTheDialect() {
        XCTAssertEqual(render(pg, [.schema: "public", .table: "orders", .description: "it's"]),
                       "COMMENT ON TABLE public.orders IS 'it''s';")
        XCTAssertEqual(render("-- templatec: dialect=bigquery update=description level=table\nALTER TABLE `{table}` SET OPTIONS (description = {description});",
                              [.table: "orders", .description: "it's\na \\ b"]),
                       "ALTER TABLE `orders` SET OPTIONS (description = 'it\\'s\\na \\\\ b');")
        XCTAssertEqual(render("-- templatec: dialect=mssql update=description level=table\nEXEC sp_addextendedproperty @name = N'MS_Description', @value = {description}, @level0type = N'SCHEMA', @level0name = {schema}, @level1type = N'TABLE', @level1name = {table};",
                              [.schema: "dbo", .table: "orders", .description: "it's"]),
                       "EXEC sp_addextendedproperty @name = N'MS_Description', @value = N'it''s', @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = N'orders';")
        XCTAssertEqual(render("-- templatec: dialect=mysql update=description level=table\nALTER TABLE {table} COMMENT = {description};",
                              [.table: "orders", .description: "it's \"q\" \\ \u{1A}"]),
                       // The quote doubled, never \', and only the backslash escaped: `''` means a quote
                       // whatever the session's sql_mode (issue 13).
                       "ALTER TABLE orders COMMENT = 'it''s \"q\" \\\\ \u{1A}';")
        XCTAssertEqual(render("-- templatec: dialect=mysql update=description level=table\nALTER TABLE {table} COMMENT = {description};",
                              [.table: "orders", .description: "it's \\"], set: ["no_backslash_escapes": "on"]),
                       "ALTER TABLE orders COMMENT = 'it''s \\';")
        XCTAssertEqual(render(pg, [.schema: "s", .table: "t", .description: "a'\\b"], set: ["standard_conforming_strings": "off"]),
                       "COMMENT ON TABLE s.t IS 'a''\\\\b';")
        XCTAssertEqual(render("-- templatec: dialect=snowflake update=description level=table\nCOMMENT ON TABLE {table} IS {description};",
                              [.table: "ORDERS", .description: "ends \\"]),
                       "COMMENT ON TABLE ORDERS IS 'ends \\\\';")
        XCTAssertEqual(render("-- templatec: dialect=athena update=description level=table\nALTER TABLE {table} SET TBLPROPERTIES ('comment' = {description});",
                              [.table: "orders", .description: "it's \\"]),
                       "ALTER TABLE orders SET TBLPROPERTIES ('comment' = 'it\\'s \\\\');")
    }

    func testNationalPrefixAbsorbsTheN() {
        XCTAssertEqual(render("-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS N{description};",
                              [.table: "t", .description: "it's"]),
                       "COMMENT ON TABLE t IS N'it''s';")
    }

    func testEmptyDescriptionRendersAnEmptyLiteral() {
        XCTAssertEqual(render(pg, [.schema: "s", .table: "t", .description: ""]), "COMMENT ON TABLE s.t IS '';")
    }

    func testNamesAreQuotedOnlyWhenNeeded() {
        XCTAssertEqual(render(pg, [.schema: "Sales", .table: "order items", .description: "d"]),
                       "COMMENT ON TABLE \"Sales\".\"order items\" IS 'd';")
        XCTAssertEqual(render(pg, [.schema: "s", .table: "select", .description: "d"]), "COMMENT ON TABLE s.\"select\" IS 'd';")
        XCTAssertEqual(render(pg, [.schema: "s", .table: "we\"ird", .description: "d"]), "COMMENT ON TABLE s.\"we\"\"ird\" IS 'd';")
        XCTAssertEqual(render(pg, [.schema: "s", .table: "t", .description: "d"], set: ["quote_identifiers": "always"]),
                       "COMMENT ON TABLE \"s\".\"t\" IS 'd';")
        XCTAssertEqual(render("-- templatec: dialect=mssql update=owner level=table\nALTER AUTHORIZATION ON OBJECT::{schema}.{table} TO {owner};",
                              [.schema: "dbo", .table: "a]b", .owner: "jane@x.com"]),
                       "ALTER AUTHORIZATION ON OBJECT::dbo.[a]]b] TO [jane@x.com];")
        XCTAssertEqual(render("-- templatec: dialect=bigquery update=description level=table\nALTER TABLE {table} SET OPTIONS (description = {description});",
                              [.table: "a`b\\c", .description: "d"]),
                       "ALTER TABLE `a\\`b\\\\c` SET OPTIONS (description = 'd');")
        XCTAssertEqual(render("-- templatec: dialect=clickhouse update=description level=table\nALTER TABLE {table} MODIFY COMMENT {description};",
                              [.table: "a`b\\c", .description: "d"]),
                       "ALTER TABLE `a``b\\\\c` MODIFY COMMENT 'd';")
    }

    func testAthenaUsesHiveRulesForDDLAndRefusesOddNames() {
        let t = "-- templatec: dialect=athena update=description level=table\nALTER TABLE {table} SET TBLPROPERTIES ('comment' = {description});"
        XCTAssertEqual(refusal(t, [.table: "Orders", .description: "d"])?.code, "RND307")
        XCTAssertEqual(render(t, [.table: "select", .description: "d"]), "ALTER TABLE `select` SET TBLPROPERTIES ('comment' = 'd');")
    }

    func testRefusals() {
        XCTAssertEqual(refusal(pg, [.schema: "s", .table: "t", .description: "a\u{0}b"])?.code, "RND301")
        XCTAssertEqual(refusal(pg, [.schema: "s", .table: String(repeating: "x", count: 64), .description: "d"])?.code, "RND303")
        XCTAssertEqual(refusal(pg, [.schema: "s", .table: "", .description: "d"])?.code, "RND304")
        XCTAssertEqual(refusal(pg, [.schema: "s", .table: "t"])?.code, "RND313")
        let oracle = "-- templatec: dialect=oracle update=description level=table\nCOMMENT ON TABLE {table} IS {description}"
        XCTAssertEqual(refusal(oracle, [.table: "a\"b", .description: "d"])?.code, "RND305")
        XCTAssertEqual(refusal(oracle, [.table: "T", .description: String(repeating: "é", count: 2001)])?.code, "RND308")
        let uc = "-- templatec: dialect=databricks update=description level=table\nCOMMENT ON TABLE {table} IS {description};"
        for bad in ["a.b", "a b", "a/b", "a\u{1}b", "a${x}"] {
            XCTAssertEqual(refusal(uc, [.table: bad, .description: "d"])?.code, "RND305", bad)
        }
        let mysqlColumn = "-- templatec: dialect=mysql update=description level=column\nALTER TABLE {table} MODIFY COLUMN {column} INT COMMENT {description};"
        XCTAssertEqual(refusal(mysqlColumn, [.table: "t", .column: "c", .description: String(repeating: "x", count: 1025)])?.code, "RND308")
        XCTAssertEqual(refusal(mysqlColumn, [.table: "t😀", .column: "c", .description: "d"])?.code, "RND305")
        XCTAssertEqual(refusal(mysqlColumn, [.table: "t ", .column: "c", .description: "d"])?.code, "RND305")
        let mssql = "-- templatec: dialect=mssql update=description level=table\nEXEC sp_addextendedproperty @name = N'MS_Description', @value = {description}, @level0type = N'SCHEMA', @level0name = N'dbo', @level1type = N'TABLE', @level1name = {table};"
        XCTAssertEqual(refusal(mssql, [.table: "t", .description: "a\\\nb"])?.code, "RND310")
        XCTAssertEqual(refusal(mssql, [.table: "t", .description: String(repeating: "x", count: 3751)])?.code, "RND308")
        XCTAssertNil(refusal(mssql, [.table: "t", .description: String(repeating: "x", count: 3750)]))
        let dollar = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS $c${description}$c$;"
        for bad in ["x $c$ y", "ends $c", "ends $", "c$ starts", "$starts"] {
            XCTAssertEqual(refusal(dollar, [.table: "t", .description: bad])?.code, "RND309", bad)
        }
        XCTAssertNil(refusal(dollar, [.table: "t", .description: "costs $5 or c$ in the middle"]))
        let glued = "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE stg_{table} IS {description};"
        for bad in ["Orders", "a-b", "a;b", "a b"] {
            XCTAssertEqual(refusal(glued, [.table: bad, .description: "d"])?.code, "RND306", bad)
        }
        XCTAssertEqual(render(glued, [.table: "orders_2024", .description: "d"]), "COMMENT ON TABLE stg_orders_2024 IS 'd';")
    }

    func testErrorsNameTheVariableTheRuleAndTheLimit() {
        let e = refusal("-- templatec: dialect=mysql update=description level=table\nALTER TABLE {table} COMMENT = {description};",
                        [.table: "t", .description: String(repeating: "x", count: 3000)])
        XCTAssertEqual(e?.variable, .description)
        XCTAssertTrue(e?.message.contains("{description}") ?? false)
        XCTAssertTrue(e?.message.contains("2048") ?? false)
        XCTAssertTrue(e?.message.contains("MySQL table comment") ?? false)
    }

    func testTagLists() {
        let bq = "-- templatec: dialect=bigquery update=tags level=table\nALTER TABLE `{table}` SET OPTIONS (labels = {tags});"
        XCTAssertEqual(render(bq, [.table: "orders"], tags: [("cost-center", "finance"), ("tier", "")]),
                       "ALTER TABLE `orders` SET OPTIONS (labels = [(\"cost-center\", \"finance\"), (\"tier\", \"\")]);")
        XCTAssertEqual(render(bq, [.table: "orders"], tags: []), "ALTER TABLE `orders` SET OPTIONS (labels = []);")
        XCTAssertEqual(refusal(bq, [.table: "t"], tags: [("Cost", "x")])?.code, "RND311")
        XCTAssertEqual(refusal(bq, [.table: "t"], tags: [("1k", "x")])?.code, "RND311")
        XCTAssertEqual(refusal(bq, [.table: "t"], tags: [("k", "a'b")])?.code, "RND311")
        XCTAssertEqual(refusal(bq, [.table: "t"], tags: [("k", String(repeating: "v", count: 64))])?.code, "RND311")
        XCTAssertEqual(refusal(bq, [.table: "t"], tags: [("k", "a"), ("k", "b")])?.code, "RND312")
        XCTAssertEqual(render(bq, [.table: "orders"], tags: [("Cost", "Finance")], set: ["normalize_labels": "on"]),
                       "ALTER TABLE `orders` SET OPTIONS (labels = [(\"cost\", \"finance\")]);")
        XCTAssertEqual(render(bq, [.table: "orders"], tags: [("données", "été")]),
                       "ALTER TABLE `orders` SET OPTIONS (labels = [(\"données\", \"été\")]);")
        let db = "-- templatec: dialect=databricks update=tags level=table\nALTER TABLE {table} SET TAGS {tags};"
        XCTAssertEqual(render(db, [.table: "t"], tags: [("pii", "it's ${x}")]),
                       "ALTER TABLE t SET TAGS ('pii' = 'it\\'s \\$\\{x}');")
        XCTAssertEqual(refusal(db, [.table: "t"], tags: [])?.code, "RND312")
        XCTAssertEqual(refusal(db, [.table: "t"], tags: [("a.b", "v")])?.code, "RND311")
        let unset = "-- templatec: dialect=databricks update=tags level=table\nALTER TABLE {table} UNSET TAGS {tags};"
        XCTAssertEqual(render(unset, [.table: "t"], tags: [("pii", "x"), ("tier", "y")]), "ALTER TABLE t UNSET TAGS ('pii', 'tier');")
    }

    func testBracesAreLiteralAndPlaceholdersInLiteralsAreEscaped() {
        XCTAssertEqual(render("-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS '{{\"v\": 1}} {description}';",
                              [.table: "t", .description: "it's"]),
                       "COMMENT ON TABLE t IS '{\"v\": 1} it''s';")
    }

    func testLimitsFollowTheStatementLevel() throws {
        let table = try Compiler.compile(TemplateSource("-- templatec: dialect=mysql update=description level=table\nALTER TABLE {table} COMMENT = {description};")).get()
        let column = try Compiler.compile(TemplateSource("-- templatec: dialect=mysql update=description level=column\nALTER TABLE {table} MODIFY COLUMN {column} INT COMMENT {description};")).get()
        XCTAssertEqual(table.holes.last?.limit?.maximum, 2048)
        XCTAssertEqual(column.holes.last?.limit?.maximum, 1024)
    }
}
