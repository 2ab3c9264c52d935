import Foundation
import XCTest
@testable import ReverseSync
@testable import TemplateCompiler

/// Databricks and Unity Catalog on real Spark SQL: the real `DatabricksExecutor` sends the shipped
/// default templates, rendered with the round trips' hostile values, to a stand-in of the SQL
/// Statement Execution API in front of a pyspark session (scripts/engines/spark_standin.py, one
/// session for the whole test run). Comments are read back as hex computed in the JVM.
///
/// Spark's session catalog is `spark_catalog` (in-memory, like a Databricks hive_metastore
/// without Unity Catalog): it has schema, table and column comments, not catalogs, owners or tags.
final class SparkDatabricksTests: XCTestCase {
    static let catalog = "spark_catalog"

    var started: LocalEngines.Started!
    var executor: SQLExecutor!

    override func setUpWithError() throws {
        started = try LocalEngines.start(.spark)
        executor = try makeExecutor(try ConnectionURL.parse(started.url + "?connect_timeout=5"),
                                    environment: ["DATABRICKS_TOKEN": LocalEngines.sparkToken])
    }

    override func tearDown() {
        executor?.close()
    }

    // MARK: helpers

    /// Every cell of a query's rows as the hex of its UTF-8 bytes, computed by Spark (nil for NULL).
    func hexRows(_ sql: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String?]] {
        let base = started.url.replacingOccurrences(of: "databricks+http://", with: "http://").split(separator: "/").prefix(2).joined(separator: "/")
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["statement": sql]), as: UTF8.self)
        let (status, out) = try RealEngines.shell(["curl", "-sS", "--fail-with-body", "-H", "Authorization: Bearer \(LocalEngines.sparkToken)",
                                                   base + "/standin/hex", "--data-binary", "@-"], stdin: body)
        XCTAssertEqual(status, 0, out, file: file, line: line)
        let document = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
        return (document["rows"] as? [[Any]] ?? []).map { $0.map { $0 as? String } }
    }

    func text(hex: String?) -> String? {
        hex.flatMap { RoundTrip.bytes(hex: Substring($0)) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The value of the `key` row of a DESCRIBE … EXTENDED (table: column 1; schema: column 1).
    func describedValue(_ sql: String, key: String) throws -> [UInt8]? {
        let keyHex = TestDatabases.hex(key)
        guard let row = try hexRows(sql).first(where: { $0.first == keyHex }), row.count > 1 else { return nil }
        return row[1].flatMap { RoundTrip.bytes(hex: Substring($0)) }
    }

    func template(_ connector: ConnectorID, _ update: UpdateKind, _ level: Level, _ action: TemplateAction,
                  options: [(String, String)] = []) throws -> CompiledTemplate {
        let t = try XCTUnwrap(Connectors.connector(connector).defaultTemplate(update, level, action), "\(connector) \(update) \(level) \(action)")
        return try XCTUnwrap(RoundTrip.compile(t.text, Connectors.connector(connector).dialect, level: level, options: options))
    }

    func run(_ sql: String, file: StaticString = #filePath, line: UInt = #line) {
        let outcome = executor.execute(sql)
        XCTAssertEqual(outcome, .ok, sql, file: file, line: line)
    }

    // MARK: the round trips

    /// The connectors' defaults for schema, table and column comments: every hostile value is
    /// refused with its code or comes back byte for byte; removal clears the comment. Unity
    /// Catalog's defaults are Databricks' (asserted): they run once, unless they come to differ.
    func testHostileCommentsRoundTripForBothConnectors() throws {
        let databricks = Connectors.connector(.databricks).defaults.filter { $0.update == .description }.map(\.text)
        let unity = Connectors.connector(.unitycatalog).defaults.filter { $0.update == .description }.map(\.text)
        try roundTrip(.databricks)
        if unity != databricks { try roundTrip(.unitycatalog) }
    }

    func roundTrip(_ connector: ConnectorID) throws {
        let tally = RoundTrip.Tally("Spark \(started.version) (\(connector.rawValue) defaults)")
        let values = RoundTrip.values + [RoundTrip.long(2000)]
        let main = "rt_\(RoundTrip.random())"
        let schema = main + "_s"
        run("CREATE SCHEMA \(main)")
        run("CREATE SCHEMA \(schema)")
        defer {
            _ = executor.execute("DROP SCHEMA IF EXISTS \(main) CASCADE")
            _ = executor.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        }
        run("CREATE TABLE \(main).canary (id INT) USING parquet")
        run("CREATE TABLE \(main).t (id INT) USING parquet")
        // Column comments: one table, one column per value, read back at the end in one query.
        run("CREATE TABLE \(main).cols (" + values.indices.map { "c\($0) STRING" }.joined(separator: ", ") + ") USING parquet")
        // Schema and table comments: one target each, set and read back value after value.
        let levels: [(Level, [Variable: String], () throws -> [UInt8]?)] = [
            (.schema, [.database: Self.catalog, .schema: schema], { try self.describedValue("DESCRIBE SCHEMA EXTENDED \(schema)", key: "Comment") }),
            (.table, [.database: Self.catalog, .schema: main, .table: "t"], { try self.describedValue("DESCRIBE TABLE EXTENDED \(main).t", key: "Comment") }),
        ]
        for (level, names, read) in levels {
            let compiled = try template(connector, .description, level, .set)
            for value in values {
                guard let sql = render(compiled, names, value, level, tally) else { continue }
                RoundTrip.compare(try read(), value, what: "\(connector) \(level) \(value.debugDescription) rendered \(sql.debugDescription.prefix(300))", tally: tally)
            }
        }
        let columnSet = try template(connector, .description, .column, .set)
        var columns: [(Int, String, String)] = []
        for (i, value) in values.enumerated() {
            let names: [Variable: String] = [.database: Self.catalog, .schema: main, .table: "cols", .column: "c\(i)"]
            if let sql = render(columnSet, names, value, .column, tally) { columns.append((i, value, sql)) }
        }
        let described = try hexRows("DESCRIBE TABLE \(main).cols")
        for (i, value, sql) in columns {
            let stored = described.first { $0.first == TestDatabases.hex("c\(i)") }?[2].flatMap { RoundTrip.bytes(hex: Substring($0)) }
            RoundTrip.compare(stored, value, what: "\(connector) column \(value.debugDescription) rendered \(sql.debugDescription.prefix(300))", tally: tally)
        }
        // Removal: the table default sets the comment to NULL (Spark shows it empty), the column
        // default to ''.
        let tableRemove = try template(connector, .description, .table, .remove)
        guard case .sql(let removeTable) = RoundTrip.render(tableRemove, [.database: Self.catalog, .schema: main, .table: "t"]) else {
            return XCTFail("table removal did not render")
        }
        run(removeTable)
        XCTAssertEqual(try describedValue("DESCRIBE TABLE EXTENDED \(main).t", key: "Comment") ?? [], [])
        let columnRemove = try template(connector, .description, .column, .remove)
        guard case .sql(let removeColumn) = RoundTrip.render(columnRemove, [.database: Self.catalog, .schema: main, .table: "cols", .column: "c0"]) else {
            return XCTFail("column removal did not render")
        }
        run(removeColumn)
        XCTAssertEqual(try hexRows("DESCRIBE TABLE \(main).cols").first { $0.first == TestDatabases.hex("c0") }?[2] ?? "", "")
        // Nothing appeared that no statement created, and the canary survived.
        let tables = try hexRows("SHOW TABLES IN \(main)").compactMap { text(hex: $0[1]) }
        XCTAssertEqual(Set(tables), ["canary", "t", "cols"], "the canary is gone or a table appeared that no rendered statement created")
        tally.printSummary()
        XCTAssertEqual(tally.failed, 0, tally.summary)
    }

    /// Renders and runs one value; nil when it was refused (checked against the expected code).
    func render(_ compiled: CompiledTemplate, _ names: [Variable: String], _ value: String, _ level: Level,
                _ tally: RoundTrip.Tally) -> String? {
        var vars = names
        vars[.description] = value
        let refusal: String? = value.contains("\u{0}") ? "RND301" : nil
        switch RoundTrip.render(compiled, vars) {
        case .refused(let error):
            RoundTrip.checkRefusal(error, variables: [.description], expected: refusal, context: level.rawValue, input: value, tally: tally)
            return nil
        case .sql(let sql):
            XCTAssertNil(refusal, "\(level) \(value.debugDescription) rendered: \(sql)")
            tally.executed += 1
            let outcome = executor.execute(sql)
            XCTAssertEqual(outcome, .ok, "\(level) \(value.debugDescription): \(sql)")
            return sql
        }
    }

    /// Spark substitutes `${name}` in the SQL text before parsing, inside literals too. With the
    /// guard (the default) a value's `${…}` is written so that no substitution can match; with
    /// `variable_substitution=off` it is written as it is, and Spark replaces it.
    func testVariableSubstitutionGuard() throws {
        let schema = "rt_\(RoundTrip.random())_subst"
        run("CREATE SCHEMA \(schema)")
        defer { _ = executor.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        run("CREATE TABLE \(schema).guarded (id INT) USING parquet")
        run("CREATE TABLE \(schema).unguarded (id INT) USING parquet")
        run("SET templatec_probe = SUBSTITUTED")
        let value = "before ${templatec_probe} after"
        for (table, options, stored) in [("guarded", [(String, String)](), value),
                                         ("unguarded", [("variable_substitution", "off")], "before SUBSTITUTED after")] {
            let compiled = try template(.databricks, .description, .table, .set, options: options)
            guard case .sql(let sql) = RoundTrip.render(compiled, [.database: Self.catalog, .schema: schema, .table: table, .description: value]) else {
                return XCTFail("\(table): did not render")
            }
            XCTAssertEqual(sql.contains("${templatec_probe}"), table == "unguarded", sql)
            run(sql)
            XCTAssertEqual(try describedValue("DESCRIBE TABLE EXTENDED \(schema).\(table)", key: "Comment"), Array(stored.utf8), "\(table): \(sql)")
        }
    }

    /// Athena's table default, `ALTER TABLE … SET TBLPROPERTIES ('comment' = …)`, with Hive-style
    /// literals: Spark's DDL parser is Hive's heir, so its values must come back byte for byte.
    /// Athena runs no `${…}` substitution (its dialect does not guard it), so Spark's is turned
    /// off for this test; `comment` is a reserved property in Spark: it becomes the table comment.
    func testAthenaTablePropertiesForm() throws {
        let tally = RoundTrip.Tally("Spark \(started.version) (athena TBLPROPERTIES)")
        let schema = "rt_\(RoundTrip.random())_athena"
        run("CREATE SCHEMA \(schema)")
        run("CREATE TABLE \(schema).t (id INT) USING parquet")
        run("SET spark.sql.variable.substitute = false")
        defer {
            _ = executor.execute("SET spark.sql.variable.substitute = true")
            _ = executor.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        }
        let compiled = try template(.athena, .description, .table, .set)
        for value in RoundTrip.values {
            guard let sql = render(compiled, [.database: Self.catalog, .schema: schema, .table: "t"], value, .table, tally) else { continue }
            RoundTrip.compare(try describedValue("DESCRIBE TABLE EXTENDED \(schema).t", key: "Comment"), value,
                              what: "TBLPROPERTIES \(value.debugDescription) rendered \(sql.debugDescription)", tally: tally)
        }
        tally.printSummary()
        XCTAssertEqual(tally.failed, 0, tally.summary)
    }

    /// Hostile names through the Databricks dialect's backtick quoting: a column name comes back
    /// byte for byte (Spark takes any column name); a table name is taken only when it is letters,
    /// digits and `_` (stored lower case), else refused by Spark with its own message, even quoted.
    func testHostileNames() throws {
        let tally = RoundTrip.Tally("Spark \(started.version) names")
        let schema = "rt_\(RoundTrip.random())_names"
        run("CREATE SCHEMA \(schema)")
        defer { _ = executor.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        let columns = try XCTUnwrap(RoundTrip.compile("CREATE TABLE {database}.{schema}.{table} ({column} STRING) USING parquet", .databricks, level: .column))
        let tables = try XCTUnwrap(RoundTrip.compile("CREATE TABLE {database}.{schema}.{table} (c STRING) USING parquet", .databricks, level: .column))
        var expectedTables: Set<String> = []
        // Unity Catalog's rules, which the dialect applies: no `.`, space, `/` or control characters.
        func refusal(_ name: String) -> String? {
            if name.isEmpty { return "RND304" }
            return name.unicodeScalars.contains { ".  /".unicodeScalars.contains($0) || $0.value < 0x20 || $0.value == 0x7F } ? "RND305" : nil
        }
        for (i, name) in RoundTrip.identifiers.enumerated() {
            switch RoundTrip.render(columns, [.database: Self.catalog, .schema: schema, .table: "c\(i)", .column: name]) {
            case .refused(let error):
                RoundTrip.checkRefusal(error, variables: [.column], expected: refusal(name), context: "column", input: name, tally: tally)
            case .sql(let sql):
                XCTAssertNil(refusal(name), "column \(name.debugDescription) was rendered: \(sql)")
                tally.executed += 1
                XCTAssertEqual(executor.execute(sql), .ok, sql)
                let stored = try hexRows("DESCRIBE TABLE \(schema).c\(i)").first?.first.flatMap { $0.flatMap { RoundTrip.bytes(hex: Substring($0)) } }
                RoundTrip.compare(stored, name, what: "column name \(name.debugDescription) rendered \(sql.debugDescription)", tally: tally)
            }
            switch RoundTrip.render(tables, [.database: Self.catalog, .schema: schema, .table: name, .column: "c"]) {
            case .refused(let error):
                RoundTrip.checkRefusal(error, variables: [.table], expected: refusal(name), context: "table", input: name, tally: tally)
            case .sql(let sql):
                XCTAssertNil(refusal(name), "table \(name.debugDescription) was rendered: \(sql)")
                tally.executed += 1
                let outcome = executor.execute(sql)
                if !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }) {
                    XCTAssertEqual(outcome, .ok, sql)
                    expectedTables.insert(name.lowercased())
                    tally.roundTripped += 1
                } else {
                    XCTAssertFalse(outcome.success, "Spark took the table name \(name.debugDescription): \(sql)")
                    let message = outcome.message ?? ""
                    XCTAssertTrue(message.contains("INVALID_SCHEMA_OR_RELATION_NAME") || message.contains("INVALID_ATTRIBUTE_NAME_SYNTAX"),
                                  "\(name.debugDescription): \(message)")
                    tally.engineRejected.append("table \(name.debugDescription)")
                }
            }
        }
        let stored = Set(try hexRows("SHOW TABLES IN \(schema)").compactMap { text(hex: $0[1]) }.filter { !$0.hasPrefix("c") || Int($0.dropFirst()) == nil })
        XCTAssertEqual(stored, expectedTables)
        tally.printSummary()
        XCTAssertEqual(tally.failed, 0, tally.summary)
    }

    /// The defaults Spark does not have (catalogs, owners, tags: Unity Catalog only) fail with
    /// Spark's own message in the result; nothing crashes and the session goes on.
    func testDatabricksOnlyStatementsFailWithTheEnginesMessage() throws {
        let schema = "rt_\(RoundTrip.random())_uc"
        run("CREATE SCHEMA \(schema)")
        defer { _ = executor.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        run("CREATE TABLE \(schema).t (c INT) USING parquet")
        let vars: [Variable: String] = [.database: Self.catalog, .schema: schema, .table: "t", .column: "c", .owner: "someone",
                                        .tagKey: "pii", .tagValue: "email", .description: "x"]
        let cases: [(UpdateKind, Level, TemplateAction)] = [
            (.owner, .table, .set), (.owner, .schema, .set), (.tags, .table, .set), (.tags, .column, .remove),
            (.description, .database, .set),
        ]
        for (update, level, action) in cases {
            let t = try XCTUnwrap(Connectors.connector(.unitycatalog).defaultTemplate(update, level, action))
            var settings = ContextSettings(dialect: .databricks, updates: [update], levels: [level])
            settings.allowDestructive = false
            guard case .success(let compiled) = Compiler.compile(TemplateSource(t.text), flags: settings) else {
                XCTFail("\(update) \(level) \(action) does not compile"); continue
            }
            let sql = try compiled.render(RenderValues(vars, tags: [("pii", "email")]))
            let outcome = executor.execute(sql)
            XCTAssertFalse(outcome.success, "\(update) \(level) \(action) ran on Spark: \(sql)")
            XCTAssertTrue(outcome.message?.contains("PARSE_SYNTAX_ERROR") == true, "\(update) \(level) \(action): \(outcome)")
        }
        // The session is still usable.
        run("COMMENT ON TABLE \(Self.catalog).\(schema).t IS 'still here'")
    }
}
