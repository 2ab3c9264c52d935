import XCTest
@testable import TemplateCompiler

/// The matcher's contract: for every template and value set the renderer accepts,
/// `match(render(values)) == values`. Held for every dialect (and the options that change
/// escaping), every context of the escaping tests, every connector default template and the
/// fixtures, with the hostile values of the escaping round trips.
final class MatchRoundTripTests: XCTestCase {
    static let benign: [Variable: String] = [
        .database: "db", .schema: "s", .table: "t", .column: "c", .description: "d", .owner: "o",
        .tagKey: "k", .tagValue: "v",
    ]

    /// Hostile tag lists: each value as key and value, beside an ordinary tag.
    static func tagLists(_ v: String) -> [[(key: String, value: String)]] {
        [[(v, v)], [("k", v), (v.isEmpty ? "e" : "x" + v, "w")], []]
    }

    struct Tally {
        var matched = 0
        var refused = 0
        /// Rendered SQL the fast path read (the differential check proves nothing without them).
        var fast = 0
    }

    static func takesFastPath(_ compiled: CompiledTemplate, _ sql: String) -> Bool {
        guard let pattern = try? compiled.matcher().pattern, let fast = pattern.fastPath else { return false }
        var slots = [String?](repeating: nil, count: pattern.slotVariables.count)
        return withBytesNoThrow(sql) { fast.match($0, slotOfHole: pattern.slotOfHole, slots: &slots) }
    }

    /// Renders each value set the renderer accepts and matches the SQL back; returns how many
    /// rendered, failing the test on any difference.
    @discardableResult
    /// `nearMissEvery`: the two paths are compared on near misses of every n-th rendered statement
    /// (on the rendered statement itself always): the broad sweeps stay quick.
    static func roundTrip(_ compiled: CompiledTemplate, _ what: String, nearMissEvery: Int = 1,
                          file: StaticString = #filePath, line: UInt = #line) -> Tally {
        var tally = Tally()
        let used = compiled.variables
        for variable in used {
            for value in Relex.hostileValues {
                var values = RenderValues(benign, tags: [("k", "v")])
                let lists = variable == .tags ? tagLists(value) : [[("k", "v")]]
                if variable != .tags { values[variable] = value }
                for list in lists {
                    values.tags = list
                    guard let sql = try? compiled.render(values) else { tally.refused += 1; continue }
                    tally.matched += 1
                    if takesFastPath(compiled, sql) { tally.fast += 1 }
                    check(compiled, sql, values, "\(what): {\(variable.rawValue)} = \(value.debugDescription)",
                          nearMisses: tally.matched % nearMissEvery == 0, file: file, line: line)
                }
            }
        }
        return tally
    }

    static func check(_ compiled: CompiledTemplate, _ sql: String, _ values: RenderValues, _ what: String, nearMisses: Bool = true,
                      file: StaticString = #filePath, line: UInt = #line) {
        samePaths(compiled, sql, what, nearMisses: nearMisses, file: file, line: line)
        switch compiled.match(sql) {
        case .failure(let f):
            XCTFail("\(what): rendered \(sql.debugDescription) does not match: \(f)", file: file, line: line)
        case .success(let m) where !m.ambiguous.isEmpty:
            // Several holes in one token (`{database}.{schema}.{table}` inside backticks) and a
            // value holding the text between them: the answer is one reading of several, and it
            // must be a true one.
            XCTAssertEqual(try? compiled.render(m.values), sql, "\(what): the ambiguous reading \(m.values.values) does not render the SQL", file: file, line: line)
            XCTAssertTrue(m.foldedNames.isEmpty, "\(what): \(m.foldedNames)", file: file, line: line)
        case .success(let m):
            var expected: [Variable: String] = [:]
            for v in compiled.variables where v != .tags { expected[v] = values[v] }
            XCTAssertEqual(m.values.values, expected, "\(what): rendered \(sql.debugDescription)", file: file, line: line)
            if compiled.variables.contains(.tags) {
                let keysOnly = compiled.holes.contains { if case .tagList(let f) = $0.escaper { return f.keysOnly } else { return false } }
                let want = values.tags.map { (key: $0.key, value: keysOnly ? "" : $0.value) }
                XCTAssertTrue(m.values.tags.elementsEqual(want, by: { $0 == $1 }),
                              "\(what): tags \(m.values.tags) ≠ \(want) in \(sql.debugDescription)", file: file, line: line)
            }
            XCTAssertTrue(m.isExact, "\(what): \(m.foldedNames) \(m.ambiguous) in \(sql.debugDescription)", file: file, line: line)
        }
    }

    /// The fast path (SQL exactly as rendered) answers as the general path does: on the rendered
    /// SQL, and on near misses of it.
    static func samePaths(_ compiled: CompiledTemplate, _ sql: String, _ what: String, nearMisses: Bool = true,
                          file: StaticString = #filePath, line: UInt = #line) {
        guard let general = try? TemplateMatcher(compiled, fastPath: false), let fast = try? compiled.matcher() else {
            return XCTFail("\(what): no matcher", file: file, line: line)
        }
        var variants = [sql, sql + ";", " " + sql + "\n", sql + " x", sql.lowercased(), sql.uppercased(), String(sql.dropLast()),
                        sql.replacingOccurrences(of: "''", with: "\\'"), sql.replacingOccurrences(of: "\\", with: "\\\\"),
                        sql.replacingOccurrences(of: " ", with: "  "), sql.replacingOccurrences(of: "\"", with: "\"\"")]
        if !nearMisses { variants = [sql] }
        if nearMisses, let q = sql.firstIndex(of: "'") { variants.append(String(sql[..<q]) + "'\\\n" + String(sql[sql.index(after: q)...])) }
        for v in variants {
            let a = general.match(v), b = fast.match(v)
            XCTAssertEqual(a, b, "\(what): the paths differ on \(v.debugDescription)", file: file, line: line)
        }
    }

    static func compile(_ text: String, options: DialectOptions = .default, foundationOnly: Bool = true) -> CompiledTemplate? {
        let analysis = Analyzer.analyze(TemplateSource(text), flags: Relex.settingsFor(options),
                                        rules: foundationOnly ? RuleSet.placeholderRules : RuleSet.all)
        return Compiler.compile(analysis)
    }

    // MARK: every context of every dialect

    func runContexts(_ id: DialectID, options: DialectOptions = .default, nearMissEvery: Int = 1) {
        var total = Tally()
        for c in Relex.cases(id, options: options) {
            guard let compiled = MatchRoundTripTests.compile(c.template, options: options) else {
                XCTFail("\(c.description) does not compile")
                continue
            }
            let t = MatchRoundTripTests.roundTrip(compiled, "\(id.rawValue) \(c.description)", nearMissEvery: nearMissEvery)
            total.matched += t.matched
            total.refused += t.refused
            total.fast += t.fast
        }
        XCTAssertGreaterThan(total.fast, total.matched / 3, "\(id.rawValue): the fast path read too few rendered statements")
        // A property that never ran proves nothing.
        XCTAssertGreaterThan(total.matched, 100, "\(id.rawValue): too few rendered values")
    }

    func testPostgres() { runContexts(.postgres) }
    func testPostgresWithoutStandardConformingStrings() { runContexts(.postgres, options: DialectOptions(standardConformingStrings: false)) }
    func testRedshift() { runContexts(.redshift) }
    func testMySQL() { runContexts(.mysql) }
    func testMySQLNoBackslashEscapes() { runContexts(.mysql, options: DialectOptions(noBackslashEscapes: true)) }
    func testMSSQL() { runContexts(.mssql) }
    func testOracle() { runContexts(.oracle) }
    func testSnowflake() { runContexts(.snowflake) }
    func testBigQuery() { runContexts(.bigquery) }
    func testClickHouse() { runContexts(.clickhouse) }
    func testDatabricks() { runContexts(.databricks) }
    func testDatabricksWithoutSubstitutionGuard() { runContexts(.databricks, options: DialectOptions(guardVariableSubstitution: false)) }
    func testTrino() { runContexts(.trino) }
    func testAthena() { runContexts(.athena) }
    func testAlwaysQuotedNames() {
        for id in DialectID.allCases where id != .athena { runContexts(id, options: DialectOptions(identifierQuoting: .always), nearMissEvery: 8) }
    }

    // MARK: every connector default and the fixtures

    func testEveryConnectorDefaultTemplate() {
        var templates = 0
        for connector in Connectors.all {
            for t in connector.defaults {
                guard let compiled = MatchRoundTripTests.compile(t.text, foundationOnly: false) else {
                    XCTFail("\(connector.id.rawValue) default does not compile:\n\(t.text)")
                    continue
                }
                templates += 1
                let what = "\(connector.id.rawValue) \(t.update.rawValue) \(t.level.rawValue) \(t.action.rawValue)"
                let tally = MatchRoundTripTests.roundTrip(compiled, what, nearMissEvery: 16)
                XCTAssertGreaterThan(tally.matched, 0, "\(what): nothing rendered")
            }
        }
        XCTAssertGreaterThan(templates, 80)
    }

    func testFixtureTemplates() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var compiledCount = 0
        for folder in ["Fixtures/examples", "Fixtures/check", "Fixtures/lint"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "sql" {
                let text = try String(contentsOf: url, encoding: .utf8)
                // Fixtures with errors are the linter's; only those that compile have a contract.
                let analysis = Analyzer.analyze(TemplateSource(path: url.path, text), rules: RuleSet.placeholderRules)
                guard let compiled = Compiler.compile(analysis) else { continue }
                compiledCount += 1
                MatchRoundTripTests.roundTrip(compiled, url.lastPathComponent, nearMissEvery: 16)
            }
        }
        XCTAssertGreaterThan(compiledCount, 10)
    }
}
