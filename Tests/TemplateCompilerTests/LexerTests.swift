import XCTest
@testable import TemplateCompiler

/// Unit tests of the lexer and parser: placeholder contexts per dialect with exact spans, escaped
/// braces, every malformed field with its code and span, did-you-mean, and statement splitting.
final class LexerTests: XCTestCase {
    func analyze(_ text: String, _ dialect: DialectID, update: Set<UpdateKind> = [.description], level: Set<Level> = [.table]) -> Analysis {
        Analyzer.analyze(TemplateSource(text), flags: ContextSettings(dialect: dialect, updates: update, levels: level))
    }

    /// The byte span of the `occurrence`-th (0-based) `needle` in `text`.
    func span(of needle: String, in text: String, occurrence: Int = 0) -> Span {
        let t = Array(text.utf8), n = Array(needle.utf8)
        var seen = 0
        var i = 0
        while i + n.count <= t.count {
            if Array(t[i..<(i + n.count)]) == n {
                if seen == occurrence { return Span(i, i + n.count) }
                seen += 1
            }
            i += 1
        }
        XCTFail("`\(needle)` not in `\(text)`")
        return Span(0, 0)
    }

    /// Asserts the one placeholder `{name}` (the `occurrence`-th) stands in `context`, with its span.
    func assertContext(_ text: String, _ dialect: DialectID, _ placeholder: String, _ context: PlaceholderContext,
                       occurrence: Int = 0, spanText: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let a = analyze(text, dialect)
        let want = span(of: spanText ?? placeholder, in: text, occurrence: occurrence)
        guard let p = a.template.placeholders.first(where: { $0.span == want }) else {
            XCTFail("\(dialect): no placeholder at \(want) for \(placeholder) in `\(text)`; have \(a.template.placeholders.map { "\($0.name)@\($0.span)" })",
                    file: file, line: line)
            return
        }
        XCTAssertEqual(p.context, context, "\(dialect): \(placeholder) in `\(text)`", file: file, line: line)
        XCTAssertEqual("{" + p.name + "}", placeholder, file: file, line: line)
        let inner = span(of: placeholder, in: text, occurrence: 0)
        XCTAssertEqual(p.nameSpan.length, inner.length - 2, file: file, line: line)
    }

    func kind(_ d: DialectID, _ name: String, ddl: Bool = false) -> StringLiteralKind {
        let dialect = Dialect.named(d)
        let rules = ddl ? dialect.ddlLexical! : dialect.lexical
        guard let k = rules.strings.first(where: { $0.name == name }) else {
            XCTFail("\(d) has no string kind \(name)")
            return .standard
        }
        return k
    }

    func quote(_ d: DialectID, _ name: String, ddl: Bool = false) -> IdentifierQuoteKind {
        let dialect = Dialect.named(d)
        let rules = ddl ? dialect.ddlLexical! : dialect.lexical
        return rules.identifierQuotes.first { $0.name == name }!
    }

    // MARK: contexts, every dialect

    func testBareGluedAndCommentInEveryDialect() {
        for d in DialectID.allCases {
            let text = "ALTER TABLE {schema}.x_{table} SET y = {description}; -- {table}\n/* {column} */"
            assertContext(text, d, "{schema}", .bare)
            assertContext(text, d, "{table}", .glued)
            assertContext(text, d, "{description}", .bare)
            assertContext(text, d, "{table}", .comment, occurrence: 1)
            assertContext(text, d, "{column}", .comment)
        }
    }

    func testEveryStringKindAndIdentifierQuoteOfEveryDialect() {
        for d in DialectID.allCases {
            let dialect = Dialect.named(d)
            for (rules, ddl) in [(dialect.lexical, false)] + (dialect.ddlLexical.map { [($0, true)] } ?? []) {
                // Athena picks its rules by the first keyword: ALTER for DDL, SELECT otherwise.
                let lead = dialect.ddlLexical == nil ? "SELECT" : (ddl ? "ALTER" : "SELECT")
                for k in rules.strings {
                    let q = String(UnicodeScalar(k.quote))
                    let closing = k.triple ? q + q + q : q
                    let text = "\(lead) x \(k.opening){description}\(closing);"
                    assertContext(text, d, "{description}", .string(k))
                }
                for q in rules.identifierQuotes {
                    let text = "\(lead) x \(String(UnicodeScalar(q.open))){table}\(String(UnicodeScalar(q.close)));"
                    assertContext(text, d, "{table}", .quotedIdentifier(q))
                }
            }
        }
    }

    func testDollarQuotes() {
        assertContext("SELECT $$ {description} $$;", .postgres, "{description}", .dollarQuoted(tag: ""))
        assertContext("SELECT $t$ {description} $t$;", .postgres, "{description}", .dollarQuoted(tag: "t"))
        assertContext("SELECT $t$ {description} $t$;", .redshift, "{description}", .dollarQuoted(tag: "t"))
        assertContext("SELECT $heredoc$ {description} $heredoc$;", .clickhouse, "{description}", .dollarQuoted(tag: "heredoc"))
        assertContext("SELECT $$ {description} $$;", .snowflake, "{description}", .dollarQuoted(tag: ""))
        // Snowflake has no tagged dollar quotes; MySQL has none at all.
        assertContext("SELECT $t$ {description} $t$;", .snowflake, "{description}", .bare)
        assertContext("SELECT $$ {description} $$;", .mysql, "{description}", .bare)
        // `a$b$` continues a name, it opens nothing.
        assertContext("SELECT a$b$ {description} $b$;", .postgres, "{description}", .bare)
    }

    func testNestedAndExecutableComments() {
        // PostgreSQL nests: the first */ does not end the comment.
        assertContext("/* a /* b */ {table} */ SELECT 1;", .postgres, "{table}", .comment)
        // Trino does not: {table} is SQL.
        assertContext("/* a /* b */ {table} */ SELECT 1;", .trino, "{table}", .bare)
        // MySQL's executable comments hold SQL.
        assertContext("/*!50100 ALTER TABLE {table} COMMENT = {description} */;", .mysql, "{table}", .bare)
        assertContext("/*M!100500 ALTER TABLE {table} */;", .mysql, "{table}", .bare)
        assertContext("/* ALTER TABLE {table} */;", .mysql, "{table}", .comment)
        // MySQL `--` needs a space; `#` is a comment.
        assertContext("SELECT 1 --{table}\n;", .mysql, "{table}", .bare)
        assertContext("SELECT 1 -- {table}\n;", .mysql, "{table}", .comment)
        assertContext("SELECT 1 # {table}\n;", .mysql, "{table}", .comment)
        assertContext("SELECT 1 # {table}\n;", .postgres, "{table}", .bare)
        // ClickHouse: `#` only before a space, `#!` and `//` always.
        assertContext("SELECT 1 #{table}\n;", .clickhouse, "{table}", .bare)
        assertContext("SELECT 1 #!{table}\n;", .clickhouse, "{table}", .comment)
        assertContext("SELECT 1 //{table}\n;", .clickhouse, "{table}", .comment)
        assertContext("SELECT 1 //{table}\n;", .snowflake, "{table}", .comment)
        assertContext("SELECT 1 # {table}\n;", .bigquery, "{table}", .comment)
    }

    func testOracleAlternativeQuoting() {
        assertContext("SELECT q'[{description}]' FROM dual", .oracle, "{description}", .alternativeQuoted)
        assertContext("SELECT Q'<{description}>' FROM dual", .oracle, "{description}", .alternativeQuoted)
        assertContext("SELECT nq'!{description}!' FROM dual", .oracle, "{description}", .alternativeQuoted)
        // A quote inside q'[…]' does not end it.
        assertContext("SELECT q'[it's]', '{description}' FROM dual", .oracle, "{description}", .string(kind(.oracle, "standard")))
        // Other dialects have no q-quotes: q is a name, '…' a string.
        assertContext("SELECT q'[{description}]'", .postgres, "{description}", .string(kind(.postgres, "standard")))
    }

    func testBigQueryTripleAndRawStrings() {
        let text = "SELECT '''a ' b {description}\nstill''';"
        assertContext(text, .bigquery, "{description}", .string(kind(.bigquery, "triple-single")))
        assertContext("SELECT r'\\{description}';", .bigquery, "{description}", .string(kind(.bigquery, "raw-single")))
        assertContext("SELECT Rb\"{description}\";", .bigquery, "{description}", .string(kind(.bigquery, "raw-bytes-double")))
        let br = Dialect.named(.bigquery).lexical.strings.first { $0.prefix == "BR" && $0.triple && $0.quote == UInt8(ascii: "'") }!
        assertContext("SELECT bR'''{description}''';", .bigquery, "{description}", .string(br))
        // A newline ends nothing in a triple-quoted string but is an error in a one-line one.
        let a = analyze("SELECT 'a\nb {description}';", .bigquery)
        XCTAssertEqual(a.diagnostics.first { $0.code == "LEX105" }?.span, Span(7, 8))
    }

    func testNationalPrefixAbsorbed() {
        let text = "EXEC p @value = N{description};"
        assertContext(text, .mssql, "{description}", .nationalPrefixed, spanText: "N{description}")
        // T-SQL's N is case-sensitive; PostgreSQL's is not.
        assertContext("EXEC p @value = n{description};", .mssql, "{description}", .glued)
        assertContext("SELECT n{description};", .postgres, "{description}", .nationalPrefixed, spanText: "n{description}")
        // No national literal in BigQuery: N{…} is glued text.
        assertContext("SELECT N{description};", .bigquery, "{description}", .glued)
    }

    func testBackslashEscapesFollowTheDialect() {
        // MySQL: \' does not end the literal, so {description} is still inside it.
        assertContext("SELECT 'it\\'s {description}';", .mysql, "{description}", .string(kind(.mysql, "standard")))
        // PostgreSQL (standard_conforming_strings on): 'it\' ends at the second quote.
        assertContext("SELECT 'it\\'s {description}';", .postgres, "{description}", .bare)
        assertContext("SELECT E'it\\'s {description}';", .postgres, "{description}", .string(kind(.postgres, "escape")))
        // Athena DDL (Hive): backslash; DML (Trino): doubling only.
        assertContext("ALTER TABLE t SET TBLPROPERTIES ('comment' = 'it\\'s {description}');", .athena, "{description}",
                      .string(kind(.athena, "standard", ddl: true)))
        assertContext("SELECT 'it\\'s {description}';", .athena, "{description}", .bare)
        assertContext("ALTER TABLE `{table}` SET x = 1;", .athena, "{table}", .quotedIdentifier(quote(.athena, "backtick", ddl: true)))
        // In DML a backtick is plain punctuation, so nothing quotes the name.
        assertContext("SELECT * FROM `{table}`;", .athena, "{table}", .bare)
    }

    // MARK: braces

    func testEscapedBraces() {
        let text = "SELECT '{{not}}', {{x}} FROM {table};"
        let a = analyze(text, .postgres)
        XCTAssertEqual(a.template.placeholders.map(\.name), ["table"])
        XCTAssertEqual(a.template.lexed.escapedBraces, [8, 13, 18, 21])
        XCTAssertFalse(a.diagnostics.contains { $0.code.hasPrefix("TPL") })
    }

    func assertField(_ field: String, _ code: String, span spanText: String? = nil, fix: String? = nil,
                     file: StaticString = #filePath, line: UInt = #line) {
        let text = "COMMENT ON TABLE t IS \(field);"
        let a = analyze(text, .postgres)
        let found = a.diagnostics.filter { $0.code.hasPrefix("TPL") }
        XCTAssertEqual(found.map(\.code), [code], "`\(field)`: \(found.map { "\($0.code) \($0.message)" })", file: file, line: line)
        XCTAssertEqual(found.first?.span, span(of: spanText ?? field, in: text), "`\(field)` span", file: file, line: line)
        if let fix {
            XCTAssertEqual(found.first?.fixes.first?.edits.first?.text, fix, "`\(field)` fix", file: file, line: line)
        }
        XCTAssertTrue(a.template.placeholders.isEmpty || code == "TPL009", "`\(field)` must not become a placeholder", file: file, line: line)
    }

    func testMalformedFields() {
        assertField("{description!r}", "TPL003", span: "!r", fix: "{description}")
        assertField("{description:>20}", "TPL004", span: ":>20", fix: "{description}")
        assertField("{0}", "TPL005")
        assertField("{}", "TPL005")
        assertField("{table.name}", "TPL006", fix: "{table}")
        assertField("{table[0]}", "TPL006", fix: "{table}")
        assertField("{ table }", "TPL007", fix: "{table}")
        assertField("{my-table}", "TPL008")
        assertField("{descripton}", "TPL009", fix: "description")
        assertField("{catalog}", "TPL009", fix: "database")
        assertField("{Table}", "TPL009", fix: "table")
    }

    func testUnterminatedAndLoneBraces() {
        let text = "COMMENT ON TABLE {table IS 'x';\nSELECT }"
        let a = analyze(text, .postgres)
        let codes = a.diagnostics.filter { $0.code.hasPrefix("TPL") }
        XCTAssertEqual(codes.map(\.code), ["TPL001", "TPL002"])
        XCTAssertEqual(codes[0].span, Span(17, 18))
        XCTAssertEqual(codes[1].span, span(of: "}", in: text))
        XCTAssertEqual(codes[1].fixes.first?.edits.first?.text, "}}")
        // The field does not run onto the next line.
        let b = analyze("SELECT {table\n} FROM x;", .postgres)
        XCTAssertEqual(b.diagnostics.filter { $0.code.hasPrefix("TPL") }.map(\.code), ["TPL001", "TPL002"])
    }

    func testDidYouMean() {
        let a = analyze("COMMENT ON TABLE {table} IS {descripton};", .postgres)
        let d = a.diagnostics.first { $0.code == "TPL009" }
        XCTAssertTrue(d?.message.contains("did you mean `{description}`") ?? false, d?.message ?? "no TPL009")
        XCTAssertEqual(d?.fixes.first?.applicability, .safe)
        let b = analyze("COMMENT ON TABLE {catalog}.{schema}.{table} IS {description};", .trino)
        let e = b.diagnostics.first { $0.code == "TPL009" }
        XCTAssertTrue(e?.message.contains("did you mean `{database}`") ?? false, e?.message ?? "no TPL009")
        XCTAssertEqual(e?.fixes.first?.applicability, .unsafe, "a renamed concept is not a typo: the fix is unsafe")
        let c = analyze("COMMENT ON TABLE {table} IS {zzzzzz};", .postgres)
        XCTAssertTrue(c.diagnostics.first { $0.code == "TPL009" }?.message.contains("the variables are") ?? false)
    }

    // MARK: parser

    func testStatementsSplitOutsideLiteralsAndComments() {
        let text = "SELECT ';'; -- ;\nSELECT \"a;b\"; /* ; */ SELECT $$;$$;\nSELECT 3"
        let a = analyze(text, .postgres)
        let significant = a.template.statements.filter { !$0.isEmpty }
        XCTAssertEqual(significant.count, 4)
        XCTAssertEqual(a.template.string(significant[0].span), "SELECT ';';")
        XCTAssertEqual(a.template.string(significant[3].span), "SELECT 3")
    }

    func testTSQLBlocksStayWhole() {
        let text = "IF 1 = 1\nBEGIN\n  SELECT 1;\n  SELECT CASE WHEN 1 = 1 THEN 2 END;\nEND;\nBEGIN TRANSACTION;\nSELECT 2;"
        let a = analyze(text, .mssql)
        let statements = a.template.statements.filter { !$0.isEmpty }.map { a.template.string($0.span) }
        XCTAssertEqual(statements, ["IF 1 = 1\nBEGIN\n  SELECT 1;\n  SELECT CASE WHEN 1 = 1 THEN 2 END;\nEND;", "BEGIN TRANSACTION;", "SELECT 2;"])
        // Elsewhere BEGIN is an ordinary word.
        XCTAssertEqual(analyze(text, .postgres).template.statements.filter { !$0.isEmpty }.count, 5)
    }

    func testAthenaChoosesRulesPerStatement() {
        let a = analyze("ALTER TABLE t SET TBLPROPERTIES ('comment' = 'x');\nSELECT 1;", .athena)
        XCTAssertEqual(a.template.statements.map(\.rules.name), ["athena-ddl", "athena-dml"])
    }

    func testClassification() {
        let a = analyze("COMMENT ON TABLE {schema}.{table} IS {description};", .postgres)
        let c = a.template.statements[0].classification
        XCTAssertEqual(c?.kind, .setDescription)
        XCTAssertEqual(c?.level, .table)
        XCTAssertEqual(c?.targetPlaceholders, [0, 1])
    }
}
