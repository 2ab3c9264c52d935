import Foundation
import XCTest
@testable import TemplateCompiler

/// Every default template of every connector (each update, level and action), rendered with plain
/// marker values and with the round trips' hostile values and names, read by the strongest
/// independent parsers of its dialect (scripts/engines/grammar_oracle.py): ZetaSQL for BigQuery,
/// Trino's own ANTLR grammar for Trino, sqlglot, sqlparser-rs and (for T-SQL) sqlfluff for the rest.
///
/// A parser passes a rendering when it reads exactly the template's statements and the hostile
/// rendering's tree equals the plain one with the marker replaced by the value in every decoded
/// literal and name. Where a parser is known to be wrong for a construct, the script skips it and
/// says why (KNOWN_WRONG there); a template no parser can read is listed as unverified, never
/// counted as passed.
final class GrammarOracleTests: XCTestCase {
    static let markers: [Variable: String] = [
        .database: "zqdatabase", .schema: "zqschema", .table: "zqtable", .column: "zqcolumn",
        .description: "zqdescription", .owner: "zqowner", .tagKey: "zqtagkey", .tagValue: "zqtagvalue",
    ]

    /// Templates no independent parser reads, and why (docs/connectors.md says how each is
    /// verified otherwise). The test fails when another template becomes unverified (a parser
    /// stopped reading it) or one of these becomes verified (the list is out of date).
    static let expectedUnverified: [String: String] = {
        var out: [String: String] = [:]
        func add(_ why: String, _ names: [String]) { for n in names { out[n] = why } }
        add("neither sqlglot nor sqlparser-rs has ClickHouse's COMMENT COLUMN; run on ClickHouse 18.16 and 26",
            ["clickhouse description column set", "clickhouse description column remove"])
        for c in ["databricks", "unitycatalog"] {
            add("Unity Catalog only (catalogs, owners, tags): no parser has it, and Spark rejects it (SparkDatabricksTests)",
                ["database set", "database remove"].map { "\(c) description \($0)" }
                    + ["database set", "table set"].map { "\(c) owner \($0)" }
                    + ["database set", "database remove", "schema set", "schema remove", "table remove", "column set", "column remove"].map { "\(c) tags \($0)" })
            add("sqlglot has no COMMENT ON … IS NULL, sqlparser-rs's Databricks dialect no COMMENT ON; run on Spark SQL",
                ["\(c) description schema remove", "\(c) description table remove"])
        }
        add("sqlglot has no COMMENT ON … IS NULL and sqlparser-rs's Redshift dialect no COMMENT ON",
            ["redshift description database remove", "redshift description table remove", "redshift description column remove"])
        add("ALTER … OWNER TO of this object: sqlglot keeps it unparsed, sqlparser-rs lacks it",
            ["postgres owner database set", "timescaledb owner database set", "redshift owner database set", "redshift owner table set"])
        add("UNSET COMMENT and SET/UNSET TAG: sqlglot keeps them unparsed, sqlparser-rs lacks them",
            ["snowflake description database remove", "snowflake description schema remove", "snowflake description column remove",
             "snowflake tags schema set", "snowflake tags schema remove", "snowflake tags table remove", "snowflake tags column set",
             "snowflake tags column remove"])
        return out
    }()

    /// Disagreements that are templatec's defects, not the parser's, still open: the test fails when
    /// one of them no longer occurs (it was fixed: remove it here) and reports each as it happens.
    static let knownDefects: [(dialect: String, parser: String, values: Set<String>, why: String)] = [
        // None open. The last one, found by sqlfluff: T-SQL names of non-letter non-ASCII
        // characters (`’`, `😀`) were written unquoted (fixed: IdentifierRules.plainNonASCIIOnlyLetters).
    ]

    static let bigQueryProjectIds = ["example.com:my-project", "my-project-123", "google.com:analytics-42"]

    struct Case: Encodable {
        let id: String
        let dialect: String
        let statements: Int
        let reference: String
        var markers: [String]? = nil
        var sql: String? = nil
        var marker: String? = nil
        var value: String? = nil
    }

    struct Result: Decodable {
        let id: String
        let parser: String
        let status: String
        let detail: String
    }

    /// The rendered SQL without the template's `-- templatec:` directive line (templatec's, not
    /// the engine's: sqlglot would keep it as the comment of an unparsed statement).
    func render(_ t: CompiledTemplate, _ values: [Variable: String], tags: [(String, String)]) -> String? {
        guard let sql = try? t.render(RenderValues(values, tags: tags.map { (key: $0.0, value: $0.1) })) else { return nil }
        guard sql.hasPrefix("-- templatec:"), let newline = sql.firstIndex(of: "\n") else { return sql }
        return String(sql[sql.index(after: newline)...])
    }

    /// The cases of one default template, and its name.
    func cases(_ connector: Connector, _ t: DefaultTemplate) throws -> (String, [Case]) {
        let name = "\(connector.id.rawValue) \(t.update.rawValue) \(t.level.rawValue) \(t.action)"
        let analysis = Analyzer.analyze(TemplateSource(t.text))
        guard case .success(let compiled) = Compiler.compile(TemplateSource(t.text)) else {
            XCTFail("\(name) does not compile"); return (name, [])
        }
        let statements = analysis.template.statements.filter { !$0.isEmpty }.count
        let used = Set(compiled.variables)
        let plainTags = [(Self.markers[.tagKey]!, Self.markers[.tagValue]!)]
        guard let reference = render(compiled, Self.markers, tags: plainTags) else {
            XCTFail("\(name) does not render with plain values"); return (name, [])
        }
        let dialect = connector.dialect.rawValue
        var markers = used.compactMap { Self.markers[$0] }
        if used.contains(.tags) { markers += [Self.markers[.tagKey]!, Self.markers[.tagValue]!] }
        var out = [Case(id: name, dialect: dialect, statements: statements, reference: reference, markers: markers.sorted())]
        func hostile(_ variable: Variable, _ inputs: [String]) {
            let marker = Self.markers[variable]!
            for (k, value) in inputs.enumerated() {
                var values = Self.markers
                var tags = plainTags
                if used.contains(variable) { values[variable] = value } else { tags = [(Self.markers[.tagKey]!, value)] }
                // A refusal is the renderer's answer (tested by the round trips): nothing to parse.
                guard let sql = render(compiled, values, tags: tags) else { continue }
                out.append(Case(id: "\(name) \(variable.rawValue)#\(k)", dialect: dialect, statements: statements,
                                reference: reference, sql: sql, marker: marker, value: value))
            }
        }
        if used.contains(.description) { hostile(.description, RoundTrip.values + [RoundTrip.long(500)]) }
        if used.contains(.tagValue) || used.contains(.tags) { hostile(.tagValue, RoundTrip.values) }
        if let name = [Variable.column, .table, .schema, .database].first(where: used.contains) {
            hostile(name, RoundTrip.identifiers.filter { !$0.isEmpty })
        }
        if connector.dialect == .bigquery {
            // BigQuery project ids, domain-scoped ones too: one path part, quoted, in ZetaSQL.
            if used.contains(.database) { hostile(.database, Self.bigQueryProjectIds) }
            // A dot in a dataset or table name would be a path separator: refused (RND305).
            for v in [Variable.schema, .table, .column] where used.contains(v) {
                var values = Self.markers
                values[v] = "a.b"
                XCTAssertThrowsError(try compiled.render(RenderValues(values, tags: plainTags.map { (key: $0.0, value: $0.1) })), "\(name): {\(v.rawValue)} `a.b`") {
                    XCTAssertEqual(($0 as? RenderError)?.code, "RND305", "\(name): {\(v.rawValue)} `a.b`: \($0)")
                }
            }
        }
        return (name, out)
    }

    func testEveryDefaultTemplateParsesInIndependentGrammars() throws {
        var all: [Case] = []
        var templates: [String] = []
        // Each template's cases go to the parsers as soon as they are rendered: the parsers work
        // while the rest renders.
        let results = try runOracle { send in
            for connector in Connectors.all {
                for t in connector.defaults {
                    let (name, cases) = try cases(connector, t)
                    templates.append(name)
                    all += cases
                    try send(cases)
                }
            }
        }
        var byCase: [String: [Result]] = [:]
        for r in results { byCase[r.id, default: []].append(r) }
        var failures: [String] = []
        var unverifiedCases = 0
        var verifiedBy: [String: Set<String>] = [:]
        var unsupported: [String: [String]] = [:]
        var knownDefectHits: [Int: [String]] = [:]
        for c in all {
            let rs = byCase[c.id] ?? []
            XCTAssertFalse(rs.isEmpty, "\(c.id): no parser answered")
            for r in rs where r.status == "failed" {
                if let k = Self.knownDefects.firstIndex(where: { c.dialect == $0.dialect && r.parser.hasPrefix($0.parser) && $0.values.contains(c.value ?? "") }) {
                    knownDefectHits[k, default: []].append(c.id)
                    continue
                }
                failures.append("\(c.id) [\(r.parser)]: \(r.detail)\n    sql: \((c.sql ?? c.reference).debugDescription.prefix(400))")
            }
            let template = templates.first { c.id == $0 || c.id.hasPrefix($0 + " ") } ?? c.id
            if c.sql == nil {
                for r in rs where r.status == "passed" { verifiedBy[template, default: []].insert(r.parser) }
                for r in rs where r.status == "unsupported" { unsupported[template, default: []].append("\(r.parser): \(r.detail)") }
            } else if !rs.contains(where: { $0.status == "passed" }) {
                unverifiedCases += 1
            }
        }
        let unverified = templates.filter { verifiedBy[$0] == nil }
        print("grammar oracles: \(templates.count) default templates, \(all.count) renderings, \(results.count) parses; " +
              "\(templates.count - unverified.count) templates verified, \(unverified.count) unverified, \(unverifiedCases) hostile renderings no parser could check, \(failures.count) failures")
        for t in templates {
            print("  \(t): " + (verifiedBy[t].map { $0.sorted().joined(separator: ", ") } ?? "UNVERIFIED — " + (Self.expectedUnverified[t] ?? (unsupported[t] ?? []).joined(separator: "; "))))
        }
        for f in failures.prefix(40) { XCTFail(f) }
        let expected = Set(Self.expectedUnverified.keys)
        XCTAssertEqual(Set(unverified).subtracting(expected).sorted(), [], "templates no parser reads any more")
        XCTAssertEqual(expected.subtracting(unverified).sorted(), [], "templates now verified: remove them from expectedUnverified")
        for (k, defect) in Self.knownDefects.enumerated() {
            if let hits = knownDefectHits[k] {
                print("  known defect (\(defect.parser), \(hits.count) renderings, e.g. \(hits[0])): \(defect.why)")
            } else {
                XCTFail("known defect no longer occurs (remove it from knownDefects): \(defect.why)")
            }
        }
        // Every MSSQL default parses in sqlfluff, a T-SQL parser with T-SQL's control flow; the
        // descriptions (IF … BEGIN … END [ELSE …]) in sqlparser-rs too (both T-SQL parsers), and the
        // removals in sqlglot as well (it has no IF … ELSE, so not the add-or-update sets). The
        // ALTER AUTHORIZATION owners are sqlfluff's alone (sqlglot and sqlparser-rs lack it).
        let mssql = templates.filter { $0.hasPrefix("mssql ") }
        XCTAssertEqual(mssql.count, 8, "\(mssql)")
        for t in mssql {
            let parsers = verifiedBy[t] ?? []
            XCTAssertTrue(parsers.contains { $0.hasPrefix("sqlfluff") }, "\(t): sqlfluff does not read it (\(parsers.sorted()))")
            if t.hasPrefix("mssql description") {
                XCTAssertTrue(parsers.contains { $0.hasPrefix("sqlparser-rs") }, "\(t): sqlparser-rs does not read it (\(parsers.sorted()))")
            }
            if t.hasPrefix("mssql description"), t.hasSuffix(" remove") {
                XCTAssertTrue(parsers.contains { $0.hasPrefix("sqlglot") }, "\(t): sqlglot does not read it (\(parsers.sorted()))")
            }
        }
        XCTAssertTrue(verifiedBy.values.contains { $0.contains { $0.hasPrefix("ZetaSQL") } }, "ZetaSQL read no BigQuery template")
        // Every BigQuery default with a project reads each project id, domain-scoped ones too, as
        // one path part in ZetaSQL (the tree equals the plain one with the id in place of the marker).
        let projectCases = all.filter { $0.dialect == "bigquery" && $0.marker == Self.markers[.database] }
        XCTAssertEqual(projectCases.count, Self.bigQueryProjectIds.count * templates.filter { $0.hasPrefix("bigquery ") }.count)
        for c in projectCases {
            XCTAssertTrue(byCase[c.id]?.contains { $0.parser.hasPrefix("ZetaSQL") && $0.status == "passed" } == true,
                          "\(c.id) \(c.value ?? ""): \(byCase[c.id] ?? [])")
        }
        XCTAssertTrue(verifiedBy.values.contains { $0.contains { $0.hasPrefix("Trino ANTLR") } }, "Trino's grammar read no Trino template")
        XCTAssertTrue(failures.isEmpty, "\(failures.count) parser disagreements")
        XCTAssertGreaterThan(templates.count, 90)
    }

    /// The oracle can fail: a rendering that pastes the value raw (an injection), one that loses a
    /// character, and one that puts the value in another place are each reported by every parser.
    func testOracleReportsWrongRenderings() throws {
        let reference = "COMMENT ON TABLE s.t IS 'zqdescription';"
        let wrong = [
            ("raw", "COMMENT ON TABLE s.t IS 'it's'; DROP TABLE canary; --';", "it's'; DROP TABLE canary; --"),
            ("lossy", "COMMENT ON TABLE s.t IS 'its';", "it's"),
            ("misplaced", "COMMENT ON TABLE s.\"it's\" IS 'zqdescription';", "it's"),
        ]
        // The same for T-SQL, where sqlfluff is one of the parsers (it keeps what it cannot read as
        // an `unparsable` segment instead of failing: the oracle must treat that as a failure).
        let tsql = "EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'zqdescription';"
        let wrongTSQL = [
            ("tsql raw", "EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'it's'; DROP TABLE canary; --';", "it's'; DROP TABLE canary; --"),
            ("tsql lossy", "EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N'its';", "it's"),
            ("tsql misplaced", "EXEC sys.sp_addextendedproperty @name = N'it''s', @value = N'zqdescription';", "it's"),
        ]
        let cases = wrong.map { Case(id: $0.0, dialect: "postgres", statements: 1, reference: reference, sql: $0.1, marker: "zqdescription", value: $0.2) }
            + wrongTSQL.map { Case(id: $0.0, dialect: "mssql", statements: 1, reference: tsql, sql: $0.1, marker: "zqdescription", value: $0.2) }
        let results = try runOracle(cases)
        XCTAssertEqual(results.count, 2 * wrong.count + 3 * wrongTSQL.count, "\(results)")
        XCTAssertEqual(results.filter { $0.parser.hasPrefix("sqlfluff") }.count, wrongTSQL.count, "sqlfluff did not answer")
        for r in results { XCTAssertEqual(r.status, "failed", "\(r.id) [\(r.parser)]: \(r.detail)") }
    }

    /// Pipes the cases to the oracle script as JSON lines; returns its answers.
    func runOracle(_ cases: [Case]) throws -> [Result] { try runOracle { try $0(cases) } }

    /// Starts the oracle script, gives `produce` the function that sends it cases (as JSON lines,
    /// while the script already parses the first ones), and returns the script's answers.
    func runOracle(_ produce: (_ send: ([Case]) throws -> Void) throws -> Void) throws -> [Result] {
        let python = TestPython.executable
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = [python, "-c", "import sqlglot, sqloxide"]
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        probe.waitUntilExit()
        if probe.terminationStatus != 0 {
            let why = "the grammar oracles' Python packages are not installed for \(python): run scripts/ci/python-deps.sh"
            if ProcessInfo.processInfo.environment["TEMPLATEC_REQUIRE_DATABASES"] == "1" { XCTFail(why); return [] }
            throw XCTSkip(why)
        }
        // Two processes, each with half of the parsers (by their cost), on the machine's two cores.
        let halves = ["sqlfluff,trino", "zetasql,sqlglot,sqloxide"]
        var processes: [Process] = [], writers: [FileHandle] = []
        let answers = halves.map { _ in LockedData() }, errorText = halves.map { _ in LockedData() }
        let done = DispatchGroup()
        for (k, half) in halves.enumerated() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [python, TestDatabases.repositoryRoot.appendingPathComponent("scripts/engines/grammar_oracle.py").path, "--parsers", half]
            process.currentDirectoryURL = TestDatabases.repositoryRoot
            let input = Pipe(), output = Pipe(), errors = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            processes.append(process)
            writers.append(input.fileHandleForWriting)
            // The answers and the errors are read on their own threads, so that writing the cases
            // never waits on a full output pipe.
            for (pipe, sink) in [(output, answers[k]), (errors, errorText[k])] {
                done.enter()
                Thread.detachNewThread {
                    sink.data = pipe.fileHandleForReading.readDataToEndOfFile()
                    done.leave()
                }
            }
        }
        // For working on the oracle script alone: `TEMPLATEC_ORACLE_DUMP=cases.jsonl` keeps the input.
        let dump = ProcessInfo.processInfo.environment["TEMPLATEC_ORACLE_DUMP"]
        var dumped = Data()
        let encoder = JSONEncoder()
        func finish() {
            for w in writers { try? w.close() }
            done.wait()
            for p in processes { p.waitUntilExit() }
        }
        do {
            try produce { cases in
                var lines = Data()
                for c in cases { lines.append(try encoder.encode(c)); lines.append(0x0A) }
                if dump != nil { dumped.append(lines) }
                for w in writers { try w.write(contentsOf: lines) }
            }
        } catch {
            finish()
            throw error
        }
        finish()
        if let dump { try dumped.write(to: URL(fileURLWithPath: dump)) }
        for (k, p) in processes.enumerated() {
            XCTAssertEqual(p.terminationStatus, 0, String(decoding: errorText[k].data.suffix(3000), as: UTF8.self))
        }
        let decoder = JSONDecoder()
        return try answers.flatMap { try $0.data.split(separator: 0x0A).map { try decoder.decode(Result.self, from: Data($0)) } }
    }

    private final class LockedData: @unchecked Sendable { var data = Data() }
}
