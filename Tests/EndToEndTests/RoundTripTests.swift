import Foundation
import XCTest
@testable import ReverseSync
@testable import TemplateCompiler

/// Proves the escaping contract on real engines: every hostile value and name of `RoundTrip`,
/// rendered into every context the dialect has for the engine, either is refused with a message
/// naming the variable (and the refusals are exactly the expected ones), or runs as exactly one
/// successful statement and comes back from the catalog byte for byte. A `canary` table must
/// survive and no object may appear that no rendered statement created. See docs/escaping-proof.md.
final class RoundTripTests: XCTestCase {
    /// One context a value is rendered into.
    struct ValueContext {
        let name: String
        /// `{table}` (or `{column}`) names the case's target; `{description}` is the value.
        let template: String
        var options: [(String, String)] = []
        /// The text the engine stores for value `v`.
        var stored: (String) -> String = { $0 }
        /// Where the engine stores it: a comment on the target, or a row of `rt_values` keyed by it.
        var intoValuesTable = false
        /// The executor to run it with (session settings of the context).
        var executor: Int = 0
        /// The refusal code expected for a value in this context (beyond the engine's own).
        var refusal: (String) -> String? = { _ in nil }
    }

    /// One context a name is rendered into: `{schema}` is the context's namespace, `{table}` and
    /// `{column}` the hostile name.
    struct NameContext {
        let name: String
        let template: String
        var options: [(String, String)] = []
    }

    /// What one engine needs: how to make targets and read back, and its expected refusals.
    struct Engine {
        let tally: RoundTrip.Tally
        let dialect: DialectID
        let level: Level
        /// The variable naming a value case's target (`{table}`, ClickHouse `{column}`).
        let target: Variable
        let executors: [SQLExecutor]
        /// A session of its own for the test's setup, so that the counts of statements run by the
        /// executors under test hold only rendered statements.
        let setup: SQLExecutor
        /// Statements creating the targets of a value context (run by `setup`).
        let createTargets: ([String]) -> [String]
        /// name → stored bytes, comments and `rt_values` rows.
        let readValues: () throws -> [String: [UInt8]]
        /// Rows (table, column) in a namespace.
        let readNames: (String) throws -> [[[UInt8]]]
        /// Expected refusal of a value anywhere (NUL, the engine's limits) and of a name.
        let valueRefusal: (String) -> String?
        let nameRefusal: (String) -> String?
        /// For a table name the engine cannot store for a reason outside escaping: the text its
        /// error must contain.
        var nameEngineRejection: (String) -> String? = { _ in nil }
    }

    // MARK: the runs

    func runValues(_ engine: Engine, _ contexts: [ValueContext], values: [String]) throws {
        var expected: [String: String] = [:]
        var what: [String: String] = [:]
        for (ci, context) in contexts.enumerated() {
            guard let template = RoundTrip.compile(context.template, engine.dialect, level: engine.level, options: context.options) else { continue }
            let names = values.indices.map { "v\(ci)_\($0)" }
            let setup = engine.createTargets(context.intoValuesTable ? [] : names)
            if !setup.isEmpty {
                let outcomes = engine.setup.executeAll(setup)
                XCTAssertTrue(outcomes.allSatisfy(\.success), "\(engine.tally.engine) \(context.name): targets: \(outcomes.filter { !$0.success })")
            }
            var statements: [(name: String, sql: String)] = []
            for (value, name) in zip(values, names) {
                switch RoundTrip.render(template, [engine.target: name, .description: value]) {
                case .refused(let error):
                    RoundTrip.checkRefusal(error, variables: [.description], expected: engine.valueRefusal(value) ?? context.refusal(value),
                                           context: context.name, input: value, tally: engine.tally)
                case .sql(let sql):
                    if let code = engine.valueRefusal(value) ?? context.refusal(value) {
                        XCTFail("\(engine.tally.engine) \(context.name): \(value.debugDescription.prefix(80)) was rendered, expected \(code): \(sql.prefix(300))")
                    }
                    statements.append((name, sql))
                    expected[name] = context.stored(value)
                    what[name] = "\(context.name) value \(value.debugDescription.prefix(80)) rendered \(sql.debugDescription.prefix(300))"
                }
            }
            let outcomes = engine.executors[context.executor].executeAll(statements.map(\.sql))
            engine.tally.executed += statements.count
            for (statement, outcome) in zip(statements, outcomes) where !outcome.success || outcome.message != nil && engine.dialect == .mysql {
                XCTFail("\(engine.tally.engine) \(what[statement.name]!): \(outcome.success ? "warning" : "failed"): \(outcome.message ?? "")")
            }
        }
        let stored = try engine.readValues()
        for (name, value) in expected.sorted(by: { $0.key < $1.key }) {
            RoundTrip.compare(stored[name], value, what: what[name]!, tally: engine.tally)
        }
    }

    /// Each name context gets its own namespace `namespaces[i]` (created by the caller).
    func runNames(_ engine: Engine, _ contexts: [NameContext], namespaces: [String], names: [String]) throws {
        for (context, namespace) in zip(contexts, namespaces) {
            guard let template = RoundTrip.compile(context.template, engine.dialect, level: .column, options: context.options) else { continue }
            var made: [String] = []
            var statements: [String] = []
            for name in names {
                switch RoundTrip.render(template, [.schema: namespace, .table: name, .column: name]) {
                case .refused(let error):
                    RoundTrip.checkRefusal(error, variables: [.table, .column], expected: engine.nameRefusal(name),
                                           context: "name " + context.name, input: name, tally: engine.tally)
                case .sql(let sql):
                    if let code = engine.nameRefusal(name) {
                        XCTFail("\(engine.tally.engine) name \(context.name): \(name.debugDescription) was rendered, expected \(code): \(sql)")
                    }
                    made.append(name)
                    statements.append(sql)
                }
            }
            let outcomes = engine.executors[0].executeAll(statements)
            engine.tally.executed += statements.count
            var rejected: Set<Int> = []
            for (i, outcome) in outcomes.enumerated() {
                if let expected = engine.nameEngineRejection(made[i]) {
                    XCTAssertFalse(outcome.success, "\(engine.tally.engine) name \(context.name) \(made[i].debugDescription): expected the engine to refuse it (\(expected))")
                    XCTAssertTrue(outcome.message?.contains(expected) == true, "\(engine.tally.engine) \(made[i].debugDescription): \(outcome.message ?? "")")
                    engine.tally.engineRejected.append("name \(context.name) <\(made[i].unicodeScalars.count) characters>")
                    rejected.insert(i)
                    continue
                }
                guard !outcome.success else { continue }
                XCTFail("\(engine.tally.engine) name \(context.name) \(made[i].debugDescription) rendered \(statements[i].debugDescription): failed: \(outcome.message ?? "")")
            }
            // Exactly the names made, each a table holding one column of the same name.
            var rows = try engine.readNames(namespace)
            for (i, name) in made.enumerated() where !rejected.contains(i) {
                let bytes = Array(name.utf8)
                if let i = rows.firstIndex(where: { $0[0] == bytes }) {
                    RoundTrip.compare(rows[i][1], name, what: "name \(context.name): column of table \(name.debugDescription)", tally: engine.tally)
                    rows.remove(at: i)
                } else {
                    engine.tally.failed += 1
                    XCTFail("\(engine.tally.engine) name \(context.name): no table named \(name.debugDescription) (\(RoundTrip.hexDump(name)))")
                }
            }
            for row in rows {
                XCTFail("\(engine.tally.engine) name \(context.name): unexpected table \(String(decoding: row[0], as: UTF8.self).debugDescription) column \(String(decoding: row[1], as: UTF8.self).debugDescription)")
            }
        }
    }

    static func dollarRefusal(tag: String) -> (String) -> String? {
        { v in
            let whole = "$\(tag)$"
            if v.contains(whole) { return "RND309" }
            for k in 1..<whole.count where v.hasSuffix(String(whole.prefix(k))) || v.hasPrefix(String(whole.suffix(k))) {
                return "RND309"
            }
            return nil
        }
    }

    static func nonBMP(_ s: String) -> Bool { s.unicodeScalars.contains { $0.value > 0xFFFF } }

    // MARK: PostgreSQL

    func testPostgreSQL() throws {
        let setup = try TestDatabases.executor(.postgresql)
        defer { setup.close() }
        let r = RoundTrip.random()
        let ns = "rt_\(r)", app = "rt_\(r)"
        let nameSpaces = (0..<3).map { "rt_\(r)_n\($0)" }
        XCTAssertTrue(setup.executeAll(["CREATE SCHEMA \(ns)"] + nameSpaces.map { "CREATE SCHEMA \($0)" }).allSatisfy(\.success))
        defer { _ = setup.executeAll(["DROP EVENT TRIGGER IF EXISTS \(ns)_ddl", "DROP SCHEMA \(ns) CASCADE"] + nameSpaces.map { "DROP SCHEMA \($0) CASCADE" }) }
        // Every DDL command of the test's sessions (application_name) is logged: rendered
        // statements must be exactly the commands run.
        let prepared = setup.executeAll([
            "CREATE TABLE \(ns).canary (id int)",
            "CREATE TABLE \(ns).rt_values (k text PRIMARY KEY, v bpchar)",
            "CREATE TABLE \(ns).rt_log (n serial, tag text)",
            """
            CREATE FUNCTION \(ns).log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $f$
            BEGIN
              IF current_setting('application_name') = '\(app)' THEN INSERT INTO \(ns).rt_log (tag) VALUES (tg_tag); END IF;
            END $f$
            """,
            "CREATE EVENT TRIGGER \(ns)_ddl ON ddl_command_end EXECUTE FUNCTION \(ns).log_ddl()",
        ])
        XCTAssertTrue(prepared.allSatisfy(\.success), "\(prepared)")
        func session(_ options: String) throws -> SQLExecutor {
            var spec = try TestDatabases.spec(.postgresql, options: ["options": options, "application_name": app, "connect_timeout": "5"])
            spec.database = spec.database ?? "templatec"
            return try makeExecutor(spec, environment: TestDatabases.environment)
        }
        let standard = try session("-c search_path=\(ns)")
        // The executor pins standard_conforming_strings = on (the session contract); the proof of
        // the scs=off rendering, for clients of `templatec render` that run with it, turns it off
        // afterwards in that session, as such a client would be.
        let nonConforming = try session("-c search_path=\(ns) -c escape_string_warning=off")
        defer { standard.close(); nonConforming.close() }
        XCTAssertEqual(nonConforming.execute("SET standard_conforming_strings = off"), .ok)

        let tally = RoundTrip.Tally("PostgreSQL 15")
        let engine = Engine(
            tally: tally, dialect: .postgres, level: .table, target: .table, executors: [standard, nonConforming], setup: setup,
            createTargets: { $0.map { "CREATE TABLE \(ns).\($0) (id int)" } },
            readValues: {
                let text = try TestDatabases.query(.postgresql, """
                    SELECT c.relname, encode(convert_to(coalesce(obj_description(c.oid, 'pg_class'), ''), 'UTF8'), 'hex')
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '\(ns)' AND c.relname LIKE 'v%'
                    UNION ALL SELECT k, encode(bpcharsend(v), 'hex') FROM \(ns).rt_values
                    """)
                var out: [String: [UInt8]] = [:]
                for line in text.split(separator: "\n") {
                    let parts = line.split(separator: "|", omittingEmptySubsequences: false)
                    out[String(parts[0])] = RoundTrip.bytes(hex: parts.count > 1 ? parts[1] : "")
                }
                return out
            },
            readNames: { namespace in
                RoundTrip.hexRows(try TestDatabases.query(.postgresql, """
                    SELECT encode(convert_to(c.relname, 'UTF8'), 'hex'), encode(convert_to(a.attname, 'UTF8'), 'hex')
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                    WHERE n.nspname = '\(namespace)' AND c.relkind = 'r'
                    """), separator: "|", columns: 2)
            },
            valueRefusal: { $0.contains("\u{0}") ? "RND301" : nil },
            nameRefusal: { name in
                if name.isEmpty { return "RND304" }
                if name.utf8.count > 63 { return "RND303" }
                return nil
            })
        let wrap: (String) -> String = { "p " + $0 + " s" }
        let comment = "COMMENT ON TABLE {table} IS "
        let insert = "INSERT INTO rt_values (k, v) VALUES ('{table}', "
        let off = [("standard_conforming_strings", "off")]
        let contexts = [
            ValueContext(name: "bare", template: comment + "{description}"),
            ValueContext(name: "'…'", template: comment + "'p {description} s'", stored: wrap),
            ValueContext(name: "E'…'", template: comment + "E'p {description} s'", stored: wrap),
            ValueContext(name: "$$…$$", template: comment + "$$p {description} s$$", stored: wrap, refusal: Self.dollarRefusal(tag: "")),
            ValueContext(name: "$c$…$c$", template: comment + "$c$p {description} s$c$", stored: wrap, refusal: Self.dollarRefusal(tag: "c")),
            ValueContext(name: "N{description} (bpchar row)", template: insert + "N{description})", intoValuesTable: true),
            ValueContext(name: "N'…' (bpchar row)", template: insert + "N'p {description} s')", stored: wrap, intoValuesTable: true),
            ValueContext(name: "scs=off bare", template: comment + "{description}", options: off, executor: 1),
            ValueContext(name: "scs=off '…'", template: comment + "'p {description} s'", options: off, stored: wrap, executor: 1),
            ValueContext(name: "scs=off E'…'", template: comment + "E'p {description} s'", options: off, stored: wrap, executor: 1),
            ValueContext(name: "scs=off N'…' (bpchar row)", template: insert + "N'p {description} s')", options: off, stored: wrap,
                         intoValuesTable: true, executor: 1),
        ]
        let start = Date()
        try runValues(engine, contexts, values: RoundTrip.values + [RoundTrip.long(50_000)])
        let names = RoundTrip.identifiers + [String(repeating: "n", count: 63), String(repeating: "n", count: 64),
                                              String(repeating: "é", count: 31) + "x", String(repeating: "é", count: 32)]
        try runNames(engine, [
            NameContext(name: "bare", template: "CREATE TABLE {schema}.{table} ({column} int)"),
            NameContext(name: "\"…\"", template: "CREATE TABLE {schema}.\"{table}\" (\"{column}\" int)"),
            NameContext(name: "bare, quote_identifiers=always", template: "CREATE TABLE {schema}.{table} ({column} int)",
                         options: [("quote_identifiers", "always")]),
        ], namespaces: nameSpaces, names: names)

        // The statements run were exactly the rendered ones: one COMMENT or CREATE TABLE each, nothing else.
        let log = try TestDatabases.query(.postgresql, "SELECT tag, count(*) FROM \(ns).rt_log GROUP BY tag ORDER BY tag")
        let insertCases = try TestDatabases.query(.postgresql, "SELECT count(*) FROM \(ns).rt_values")
        let ddl = tally.executed - Int(insertCases)!
        let tables = names.count * 3 - (tally.refusals.filter { $0.key.hasPrefix("name ") }.values.map(\.count).reduce(0, +))
        XCTAssertEqual(log, "COMMENT|\(ddl - tables)\nCREATE TABLE|\(tables)")
        try assertOnlyExpectedTables(.postgresql, "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE nspname = '\(ns)' AND relkind = 'r' AND relname NOT LIKE 'v%' ORDER BY relname",
                                     ["canary", "rt_log", "rt_values"])
        finish(tally, start)
    }

    // MARK: MariaDB

    func testMariaDB() throws {
        let setup = try TestDatabases.executor(.mysql)
        defer { setup.close() }
        let r = RoundTrip.random()
        let db = "rt_\(r)"
        let nameSpaces = (0..<3).map { "rt_\(r)_n\($0)" }
        XCTAssertTrue(setup.executeAll(["CREATE DATABASE \(db) CHARACTER SET utf8mb4"] + nameSpaces.map { "CREATE DATABASE \($0) CHARACTER SET utf8mb4" }).allSatisfy(\.success))
        defer { _ = setup.executeAll(["DROP DATABASE \(db)"] + nameSpaces.map { "DROP DATABASE \($0)" }) }
        let prepared = setup.executeAll([
            "CREATE TABLE \(db).canary (id int)",
            "CREATE TABLE \(db).rt_values (k varchar(64) PRIMARY KEY, v longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)",
            "CREATE TABLE \(db).rt_stats (snap int, name varchar(64), value bigint)",
        ])
        XCTAssertTrue(prepared.allSatisfy(\.success), "\(prepared)")
        func session(_ options: [String: String]) throws -> SQLExecutor {
            var spec = try TestDatabases.spec(.mysql, options: options.merging(["connect_timeout": "5"]) { a, _ in a })
            spec.database = db
            return try makeExecutor(spec, environment: TestDatabases.environment)
        }
        let normal = try session([:])
        let strict = try session(["sql_mode": "+NO_BACKSLASH_ESCAPES"])
        defer { normal.close(); strict.close() }
        // Statement counters of each session, before and after (Com_*: one per statement run).
        func snapshot(_ executor: SQLExecutor, _ n: Int) {
            let o = executor.execute("INSERT INTO rt_stats SELECT \(n), VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME LIKE 'COM!_%' ESCAPE '!'")
            XCTAssertTrue(o.success, "\(o)")
        }
        snapshot(normal, 1); snapshot(strict, 3)

        let tally = RoundTrip.Tally("MariaDB 10.11")
        let engine = Engine(
            tally: tally, dialect: .mysql, level: .table, target: .table, executors: [normal, strict], setup: setup,
            createTargets: { $0.map { "CREATE TABLE \(db).\($0) (id int) ENGINE=MEMORY" } },
            readValues: {
                let text = try TestDatabases.query(.mysql, """
                    SELECT TABLE_NAME, HEX(TABLE_COMMENT) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(db)' AND TABLE_NAME LIKE 'v%'
                    UNION ALL SELECT k, HEX(v) FROM \(db).rt_values
                    """)
                var out: [String: [UInt8]] = [:]
                for line in text.split(separator: "\n") {
                    let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
                    out[String(parts[0])] = RoundTrip.bytes(hex: parts.count > 1 ? parts[1] : "")
                }
                return out
            },
            readNames: { namespace in
                RoundTrip.hexRows(try TestDatabases.query(.mysql, """
                    SELECT HEX(TABLE_NAME), HEX(COLUMN_NAME) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '\(namespace)'
                    """), separator: "\t", columns: 2)
            },
            valueRefusal: { v in
                if v.contains("\u{0}") { return "RND301" }
                if Self.nonBMP(v) { return "RND316" }
                if v.count > 2048 { return "RND308" }
                return nil
            },
            nameRefusal: { name in
                if name.isEmpty { return "RND304" }
                if name.unicodeScalars.count > 64 { return "RND303" }
                if Self.nonBMP(name) || name.hasSuffix(" ") { return "RND305" }
                return nil
            },
            nameEngineRejection: { RoundTrip.mariaDBFileNameLength($0) > 255 ? "File name too long" : nil })
        let wrap: (String) -> String = { "p " + $0 + " s" }
        let comment = "ALTER TABLE {table} COMMENT = "
        let insert = "INSERT INTO rt_values (k, v) VALUES ('{table}', "
        var contexts: [ValueContext] = []
        for (mode, options, executor) in [("", [(String, String)](), 0), ("NO_BACKSLASH_ESCAPES ", [("no_backslash_escapes", "on")], 1)] {
            contexts += [
                ValueContext(name: mode + "bare", template: comment + "{description}", options: options, executor: executor),
                ValueContext(name: mode + "'…'", template: comment + "'p {description} s'", options: options, stored: wrap, executor: executor),
                ValueContext(name: mode + "\"…\"", template: comment + "\"p {description} s\"", options: options, stored: wrap, executor: executor),
                ValueContext(name: mode + "N{description} (row)", template: insert + "N{description})", options: options,
                             intoValuesTable: true, executor: executor),
                ValueContext(name: mode + "N'…' (row)", template: insert + "N'p {description} s')", options: options, stored: wrap,
                             intoValuesTable: true, executor: executor),
            ]
        }
        let start = Date()
        // 2048 characters: the longest table comment; 2049 is refused.
        try runValues(engine, contexts, values: RoundTrip.values + [RoundTrip.long(2048 - 4), RoundTrip.long(2049)])
        // 64 characters is the limit, but a table's file name (`@XXXX` per CJK character, + `.frm`)
        // must fit in 255 bytes: 50 `表` do, 51 are refused by the server ("File name too long").
        let names = RoundTrip.identifiers + [String(repeating: "n", count: 64), String(repeating: "n", count: 65),
                                              String(repeating: "表", count: 50), String(repeating: "表", count: 51),
                                              String(repeating: "表", count: 64)]
        try runNames(engine, [
            NameContext(name: "bare", template: "CREATE TABLE {schema}.{table} ({column} int) ENGINE=MEMORY"),
            NameContext(name: "`…`", template: "CREATE TABLE {schema}.`{table}` (`{column}` int) ENGINE=MEMORY"),
            NameContext(name: "bare, quote_identifiers=always", template: "CREATE TABLE {schema}.{table} ({column} int) ENGINE=MEMORY",
                         options: [("quote_identifiers", "always")]),
        ], namespaces: nameSpaces, names: names)

        snapshot(normal, 2); snapshot(strict, 4)
        // Per session, only the expected statements ran: the rendered ALTERs, INSERTs and CREATEs,
        // the executor's SELECT markers and the snapshots. No DROP, no other command.
        let deltas = try TestDatabases.query(.mysql, """
            SELECT a.snap, a.name, b.value - a.value FROM \(db).rt_stats a JOIN \(db).rt_stats b ON b.name = a.name AND b.snap = a.snap + 1
            WHERE a.snap IN (1, 3) AND b.value <> a.value AND a.name NOT IN ('COM_SELECT', 'COM_INSERT_SELECT', 'COM_SHOW_WARNINGS') ORDER BY a.snap, a.name
            """)
        let rows = try TestDatabases.query(.mysql, "SELECT count(*) FROM \(db).rt_values")
        XCTAssertFalse(deltas.contains("DROP"), deltas)
        print("round trip MariaDB statement counters (session, command, count): \(deltas.replacingOccurrences(of: "\n", with: "; ")); rt_values rows: \(rows)")
        let perSession = Dictionary(grouping: deltas.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }, by: { $0[0] })
        let counted = perSession.values.joined().reduce(0) { $0 + Int($1[2])! }
        XCTAssertEqual(counted, tally.executed, "statements counted by the server \(deltas) ≠ rendered statements run \(tally.executed)")
        XCTAssertEqual(Set(perSession.values.joined().map { $0[1] }), ["COM_ALTER_TABLE", "COM_INSERT", "COM_CREATE_TABLE"])
        try assertOnlyExpectedTables(.mysql, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(db)' AND TABLE_NAME NOT LIKE 'v%' ORDER BY TABLE_NAME",
                                     ["canary", "rt_stats", "rt_values"])
        finish(tally, start)
    }

    // MARK: ClickHouse

    func testClickHouse() throws { try clickHouse(.clickhouse) }

    /// ClickHouse 26 (chdb behind the HTTP front): the same contexts and names as 18.16.
    func testClickHouse26() throws { try clickHouse(.clickhouse26) }

    func clickHouse(_ server: TestDatabases.Server) throws {
        let setup = try TestDatabases.executor(server)
        defer { setup.close() }
        let r = RoundTrip.random()
        let db = "rt_\(r)"
        let nameSpaces = (0..<4).map { "rt_\(r)_n\($0)" }
        for namespace in [db] + nameSpaces { XCTAssertEqual(setup.execute("CREATE DATABASE \(namespace)"), .ok) }
        defer { for namespace in [db] + nameSpaces { _ = setup.execute("DROP DATABASE IF EXISTS \(namespace)") } }
        XCTAssertEqual(setup.execute("CREATE TABLE \(db).canary (id UInt32) ENGINE = Memory"), .ok)
        var spec = try TestDatabases.spec(server)
        spec.database = db
        let executor = try makeExecutor(spec, environment: TestDatabases.environment)
        defer { executor.close() }

        let version = try TestDatabases.query(server, "SELECT version()")
        let tally = RoundTrip.Tally("ClickHouse " + version)
        // A table's metadata file name (`%XX` per byte other than letters, digits and `_`, +
        // `.sql.tmp`) must fit in 255 bytes on 18.16, which fails opening it; 26 checks the escaped
        // name against a limit of its own (NAME_MAX less the database's part) before.
        let nameRejection: (String) -> String?
        if version.hasPrefix("18.") {
            nameRejection = { RoundTrip.clickHouseFileNameLength($0) > 255 ? "Cannot open file" : nil }
        } else {
            let limit = Int(try TestDatabases.query(server, "SELECT getMaxTableNameLengthForDatabase('\(nameSpaces[0])')")) ?? 0
            XCTAssertGreaterThan(limit, 100)
            nameRejection = { RoundTrip.clickHouseFileNameLength($0) - ".sql.tmp".utf8.count > limit ? "The max length of table name" : nil }
        }
        let engine = Engine(
            tally: tally, dialect: .clickhouse, level: .column, target: .column, executors: [executor], setup: setup,
            // All targets are columns of one table: 18.16 has only column comments.
            createTargets: { names in
                ["CREATE TABLE \(db).rt_comments_\(names[0].split(separator: "_")[0]) (" + names.map { "\($0) String" }.joined(separator: ", ") + ") ENGINE = Memory"]
            },
            readValues: {
                let text = try TestDatabases.query(server,
                    "SELECT name, hex(comment) FROM system.columns WHERE database = '\(db)' AND startsWith(table, 'rt_comments_') FORMAT TabSeparatedRaw")
                var out: [String: [UInt8]] = [:]
                for line in text.split(separator: "\n") {
                    let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
                    out[String(parts[0])] = RoundTrip.bytes(hex: parts.count > 1 ? parts[1] : "")
                }
                return out
            },
            readNames: { namespace in
                RoundTrip.hexRows(try TestDatabases.query(server,
                    "SELECT hex(table), hex(name) FROM system.columns WHERE database = '\(namespace)' FORMAT TabSeparatedRaw"),
                    separator: "\t", columns: 2)
            },
            valueRefusal: { $0.contains("\u{0}") ? "RND301" : nil },
            nameRefusal: { name in
                if name.isEmpty { return "RND304" }
                if name.utf8.count > 255 { return "RND303" }
                return nil
            },
            nameEngineRejection: nameRejection)
        // The comment statement takes the table from the template; the column is the case's target.
        func comment(_ n: Int) -> String { "ALTER TABLE rt_comments_v\(n) COMMENT COLUMN {column} " }
        let contexts = [
            ValueContext(name: "bare", template: comment(0) + "{description}"),
            ValueContext(name: "'…'", template: comment(1) + "'p {description} s'", stored: { "p " + $0 + " s" }),
        ]
        let start = Date()
        try runValues(engine, contexts, values: RoundTrip.values + [RoundTrip.long(50_000)])
        // 255 bytes is the limit, but a table's metadata file name (`%XX` per byte other than
        // letters, digits and `_`, + `.sql.tmp`) must fit in 255 bytes.
        let names = RoundTrip.identifiers + [String(repeating: "n", count: 247), String(repeating: "n", count: 248),
                                              String(repeating: "n", count: 256), String(repeating: "表", count: 27),
                                              String(repeating: "表", count: 28)]
        try runNames(engine, [
            NameContext(name: "bare", template: "CREATE TABLE {schema}.{table} ({column} String) ENGINE = Memory"),
            NameContext(name: "`…`", template: "CREATE TABLE {schema}.`{table}` (`{column}` String) ENGINE = Memory"),
            NameContext(name: "\"…\"", template: "CREATE TABLE {schema}.\"{table}\" (\"{column}\" String) ENGINE = Memory"),
            NameContext(name: "bare, quote_identifiers=always", template: "CREATE TABLE {schema}.{table} ({column} String) ENGINE = Memory",
                         options: [("quote_identifiers", "always")]),
        ], namespaces: nameSpaces, names: names)
        // The HTTP interface runs one statement per request (it refuses more): success means one.
        try assertOnlyExpectedTables(server, "SELECT name FROM system.tables WHERE database = '\(db)' ORDER BY name FORMAT TabSeparatedRaw",
                                     ["canary", "rt_comments_v0", "rt_comments_v1"])
        finish(tally, start)
    }

    // MARK: shared checks

    func assertOnlyExpectedTables(_ server: TestDatabases.Server, _ sql: String, _ expected: [String],
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try TestDatabases.query(server, sql).split(separator: "\n").map(String.init), expected.sorted(),
                       "the canary is gone or a table appeared that no rendered statement created", file: file, line: line)
    }

    func finish(_ tally: RoundTrip.Tally, _ start: Date) {
        tally.printSummary()
        print("  (\(String(format: "%.1f", Date().timeIntervalSince(start))) s)")
        XCTAssertEqual(tally.failed, 0, tally.summary)
    }
}

extension RoundTrip {
    static func hexDump(_ s: String) -> String { s.utf8.map { String(format: "%02X", $0) }.joined() }
}
