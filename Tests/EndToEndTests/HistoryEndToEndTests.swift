import Foundation
import XCTest
@testable import ReverseSync
import TemplateCompiler

/// `templatec history` on the real servers (docs/history.md): statements run by hand are read
/// back from the engine's history through the templates in use, templatec's own are skipped, the
/// cursor makes each statement read once, and hostile values come back byte for byte.
final class HistoryEndToEndTests: XCTestCase {
    /// A description with everything that could go wrong on the way: quotes, a backslash, a
    /// newline, a tab, `$$`, a comment opener, characters outside the BMP.
    static let hostile = "it's a \"test\" \\ back\\\\slash\nsecond line\t$$ -- not a comment /* nor */ 😀 𝄞 é"

    struct Change: Equatable, CustomStringConvertible {
        var entity: String, field: String, value: String
        var description: String { "\(entity) \(field)=\(value.debugDescription)" }
    }

    func changes(_ stdout: String, file: StaticString = #filePath, line: UInt = #line) -> [(Change, [String: Any])] {
        stdout.split(separator: "\n").compactMap { text in
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                  let entity = object["entity"] as? String, let field = object["field"] as? String, let value = object["value"] as? String else {
                XCTFail("not a change line: \(text)", file: file, line: line)
                return nil
            }
            return (Change(entity: entity, field: field, value: value), object)
        }
    }

    /// psql by hand, as a person would (application_name psql), into `database`.
    func psql(_ spec: ConnectionSpec, database: String, user: String? = nil, _ sql: String) throws -> ProcessOutput {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["psql", "-X", "-q", "-A", "-t", "-w", "-v", "ON_ERROR_STOP=1", "-c", sql,
                       "host=\(spec.host) port=\(spec.port) user=\(user ?? spec.user ?? "") dbname=\(database) application_name=psql"]
        p.environment = TestDatabases.environment.merging(["PGPASSWORD": spec.password ?? TestDatabases.environment["PGPASSWORD"] ?? ""]) { $1 }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return ProcessOutput(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func url(_ spec: ConnectionSpec, database: String, user: String? = nil, password: String? = nil) -> String {
        "postgresql://\(user ?? spec.user ?? "")" + ((password ?? spec.password).map { ":" + $0 } ?? "") + "@\(spec.host):\(spec.port)/\(database)"
    }

    func stateDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(TestDatabases.uniqueName("history-state")).path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// Install (twice: idempotent), refused without a superuser, statements by hand through psql
    /// (COMMENT ON table/column/schema, ALTER … OWNER TO, several in one query string, a removal,
    /// a channel's `'Synced: {description}'` template), one run by templatec's executor (skipped),
    /// DDL no template matches (counted), COMMENT ON DATABASE (a shared object: never recorded);
    /// a read that is not committed moves no cursor; a second read gives nothing; uninstall
    /// leaves nothing.
    func testPostgreSQLEventTriggerHistory() throws {
        let main = try TestDatabases.spec(.postgresql)
        let database = TestDatabases.uniqueName("history")
        let role = TestDatabases.uniqueName("history_owner"), plain = TestDatabases.uniqueName("history_plain")
        _ = try TestDatabases.query(.postgresql, "CREATE DATABASE \(database)")
        defer {
            _ = try? TestDatabases.query(.postgresql, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
            _ = try? TestDatabases.query(.postgresql, "DROP ROLE IF EXISTS \(role)")
            _ = try? TestDatabases.query(.postgresql, "DROP ROLE IF EXISTS \(plain)")
        }
        let target = url(main, database: database)
        let dir = try stateDirectory()

        // Without a superuser: refused, with what to do, and nothing half-installed.
        _ = try TestDatabases.query(.postgresql, "CREATE ROLE \(plain) LOGIN PASSWORD 'plain'; GRANT CREATE ON DATABASE \(database) TO \(plain)")
        let refused = try TemplatecBinary.run(["history", "install", "--connector", "postgres", "--connection", url(main, database: database, user: plain, password: "plain")])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("superuser") && refused.stderr.contains("--print"), refused.stderr)
        XCTAssertEqual(try psql(main, database: database, "SELECT count(*) FROM pg_namespace WHERE nspname = 'templatec_history'").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0")

        for _ in 0..<2 {
            let installed = try TemplatecBinary.run(["history", "install", "--connector", "postgres", "--connection", target])
            XCTAssertEqual(installed.status, 0, installed.stderr)
        }
        let literal = "'" + Self.hostile.replacingOccurrences(of: "'", with: "''") + "'"
        for sql in ["CREATE SCHEMA s; CREATE TABLE s.t (a int, \"Mixed Col\" text); CREATE TABLE s.u (); CREATE ROLE \(role)",
                    "COMMENT ON TABLE s.t IS \(literal)",
                    "comment  on column s.t.\"Mixed Col\" is 'ünï ✓' /* a comment */",
                    "ALTER TABLE s.t OWNER TO \(role)",
                    "COMMENT ON SCHEMA s IS 'one'; ALTER SCHEMA s OWNER TO \(role); CREATE INDEX ON s.t (a)",
                    "COMMENT ON TABLE s.u IS NULL",
                    "COMMENT ON TABLE s.u IS 'Synced: from the catalog''s side'",
                    "COMMENT ON DATABASE \(database) IS 'shared objects fire no event trigger'",
                    "ALTER DATABASE \(database) OWNER TO \(role)",
                    "ALTER TABLE s.t ADD COLUMN b int"] {
            let r = try psql(main, database: database, sql)
            XCTAssertEqual(r.status, 0, "\(sql): \(r.stderr)")
        }
        // templatec's own executor (application_name templatec): skipped.
        var spec = try ConnectionURL.parse(target)
        spec.options["connect_timeout"] = "5"
        let executor = try makeExecutor(spec, environment: TestDatabases.environment)
        XCTAssertEqual(executor.execute("COMMENT ON TABLE s.t IS 'written by templatec';"), .ok)
        executor.close()

        let channels = FileManager.default.temporaryDirectory.appendingPathComponent(TestDatabases.uniqueName("history-channels") + ".json")
        try #"{"channels": [{"name": "tables", "filter": {"level": "table"}, "sqlTemplate": "COMMENT ON TABLE {schema}.{table} IS 'Synced: {description}';"}]}"#
            .write(to: channels, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: channels) }
        let show = ["history", "show", "--connector", "postgres", "--connection", target, "--service", "pg", "--channels", channels.path, "--state-dir", dir]

        let expected = [
            Change(entity: "pg.\(database).s.t", field: "description", value: Self.hostile),
            Change(entity: "pg.\(database).s.t.Mixed Col", field: "description", value: "ünï ✓"),
            Change(entity: "pg.\(database).s.t", field: "owner", value: role),
            Change(entity: "pg.\(database).s", field: "description", value: "one"),
            Change(entity: "pg.\(database).s", field: "owner", value: role),
            Change(entity: "pg.\(database).s.u", field: "description", value: ""),
            Change(entity: "pg.\(database).s.u", field: "description", value: "from the catalog's side"),
        ]
        // A read nobody commits (a run that failed) leaves the cursor where it was.
        let source = try StatementHistories.source(for: spec, connector: Connectors.connector(.postgres), channels: nil, service: "pg",
                                                   cursor: HistoryCursorStore(stateDirectory: dir, spec: spec))
        XCTAssertGreaterThanOrEqual(try source.changes().count, expected.count - 1)

        let first = try TemplatecBinary.run(show)
        XCTAssertEqual(first.status, 0, first.stderr)
        let got = changes(first.stdout)
        XCTAssertEqual(got.map(\.0), expected)
        XCTAssertEqual(got.first?.1["sql"] as? String, "COMMENT ON TABLE s.t IS \(literal)")
        XCTAssertEqual(got.first?.1["user"] as? String, main.user)
        XCTAssertNotNil(got.first?.1["time"] as? String)
        // The install script and templatec's COMMENT: skipped; CREATE TABLE/INDEX, ADD COLUMN: unmatched.
        XCTAssertTrue(first.stderr.contains("unmatched, 2 skipped (run by templatec)"), first.stderr)
        XCTAssertFalse(first.stdout.contains("shared objects"), "COMMENT ON DATABASE is not recorded")

        let second = try TemplatecBinary.run(show)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.stdout, "")
        XCTAssertTrue(second.stderr.contains("0 statements read"), second.stderr)

        // --since reads by time, ignoring the cursor, and leaves it.
        let again = try TemplatecBinary.run(show + ["--since", "2000-01-01T00:00:00Z"])
        XCTAssertEqual(changes(again.stdout).map(\.0), expected, again.stderr)
        XCTAssertEqual(try TemplatecBinary.run(show).stdout, "")

        let printed = try TemplatecBinary.run(["history", "uninstall", "--connector", "postgres", "--print"])
        XCTAssertTrue(printed.stdout.contains("DROP EVENT TRIGGER IF EXISTS templatec_history_ddl"), printed.stdout)
        let removed = try TemplatecBinary.run(["history", "uninstall", "--connector", "postgres", "--connection", target])
        XCTAssertEqual(removed.status, 0, removed.stderr)
        let left = try psql(main, database: database, """
            SELECT (SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'templatec%')
                 + (SELECT count(*) FROM pg_namespace WHERE nspname = 'templatec_history')
                 + (SELECT count(*) FROM pg_proc WHERE proname = 'record_ddl')
            """)
        XCTAssertEqual(left.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0", left.stderr)
        let gone = try TemplatecBinary.run(show)
        XCTAssertEqual(gone.status, 1)
        XCTAssertTrue(gone.stderr.contains("not installed") && gone.stderr.contains("history install"), gone.stderr)
    }

    /// A database whose sessions read `'…'` with backslash escapes (`standard_conforming_strings`
    /// off, set on the database as a DBA would): the trigger records the setting with the text, and
    /// the text is matched with the same rules, so the value is what PostgreSQL stored, byte for
    /// byte (read with the default rules, `\\` would come back doubled and `\'` would not match).
    func testPostgreSQLStatementsReadWithStandardConformingStringsOff() throws {
        let main = try TestDatabases.spec(.postgresql)
        let database = TestDatabases.uniqueName("history_scs")
        _ = try TestDatabases.query(.postgresql, "CREATE DATABASE \(database)")
        defer { _ = try? TestDatabases.query(.postgresql, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)") }
        let target = url(main, database: database)
        XCTAssertEqual(try TemplatecBinary.run(["history", "install", "--connector", "postgres", "--connection", target]).status, 0)
        XCTAssertEqual(try psql(main, database: database, "CREATE SCHEMA s; CREATE TABLE s.t (a int); ALTER DATABASE \(database) SET standard_conforming_strings = off").status, 0)
        // A new session takes the database's setting; the literal uses backslash escapes.
        let literal = #"'back\\slash it\'s \"q\" ✓'"#
        let set = try psql(main, database: database, "SHOW standard_conforming_strings; COMMENT ON TABLE s.t IS \(literal)")
        XCTAssertEqual(set.status, 0, set.stderr)
        XCTAssertEqual(set.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "off", "the setting is crossed")
        let stored = try psql(main, database: database, "SELECT encode(convert_to(obj_description('s.t'::regclass), 'UTF8'), 'hex')").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = #"back\slash it's "q" ✓"#
        XCTAssertEqual(stored, Array(expected.utf8).map { String(format: "%02x", $0) }.joined(), "PostgreSQL stored the backslash-escaped text")
        let shown = try TemplatecBinary.run(["history", "show", "--connector", "postgres", "--connection", target, "--service", "pg"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertEqual(changes(shown.stdout).map(\.0), [Change(entity: "pg.\(database).s.t", field: "description", value: expected)], shown.stdout + shown.stderr)
    }

    /// ClickHouse 18.16's system.query_log: `ALTER TABLE … COMMENT COLUMN` sent by hand over HTTP
    /// (log_queries on for the session, as 18.16 logs nothing by default) is read back with its
    /// hostile value; templatec's executor's statement (user agent templatec) is skipped; a second
    /// read gives nothing new.
    func testClickHouseQueryLogHistory() throws {
        let main = try TestDatabases.spec(.clickhouse)
        let database = TestDatabases.uniqueName("history")
        _ = try TestDatabases.query(.clickhouse, "CREATE DATABASE \(database)")
        defer { _ = try? TestDatabases.query(.clickhouse, "DROP DATABASE IF EXISTS \(database)") }
        _ = try TestDatabases.query(.clickhouse, "CREATE TABLE \(database).t (a Int32, b String) ENGINE = MergeTree ORDER BY a")
        let dir = try stateDirectory()
        let target = "http://\(main.host):\(main.port)/?database=\(database)"
        let show = ["history", "show", "--connector", "clickhouse", "--connection", target, "--service", "ch", "--state-dir", dir]
        // Everything before this test is behind the cursor.
        XCTAssertEqual(try TemplatecBinary.run(show).status, 0)

        let value = "it's \\ a\nnew ✓ 😀 line"
        var spec = main
        spec.database = database
        spec.options = ["log_queries": "1"]
        // By hand: curl-like, over HTTP without templatec's user agent.
        let literal = "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        for sql in ["ALTER TABLE \(database).t COMMENT COLUMN a \(literal)", "ALTER TABLE \(database).t ADD COLUMN c String"] {
            let response = try HTTPClient(host: main.host, port: main.port).send(
                method: "POST", target: "/?log_queries=1&database=\(database)", headers: [("User-Agent", "curl/8")],
                body: Array(sql.utf8), connectTimeout: 5, timeout: 10)
            XCTAssertEqual(response.status, 200, String(decoding: response.body, as: UTF8.self))
        }
        let executor = try ClickHouseExecutor(spec: spec, environment: [:])
        XCTAssertEqual(executor.execute("ALTER TABLE \(database).t COMMENT COLUMN b 'written by templatec'"), .ok)
        // A read takes queries that finished before the second it began.
        Thread.sleep(forTimeInterval: 1.1)

        let first = try TemplatecBinary.run(show)
        XCTAssertEqual(first.status, 0, first.stderr)
        let mine = changes(first.stdout).filter { $0.0.entity.hasPrefix("ch.default.\(database).") }
        XCTAssertEqual(mine.map(\.0), [Change(entity: "ch.default.\(database).t.a", field: "description", value: value)])
        XCTAssertEqual(mine.first?.1["sql"] as? String, "ALTER TABLE \(database).t COMMENT COLUMN a \(literal)")
        XCTAssertTrue(first.stderr.contains("skipped (run by templatec)") && !first.stderr.contains(" 0 skipped"), first.stderr)
        if try TestDatabases.query(.clickhouse, "SELECT value FROM system.settings WHERE name = 'log_queries'") == "0" {
            XCTAssertTrue(first.stderr.contains("log_queries is 0"), "18.16's default is reported: \(first.stderr)")
        }

        let second = try TemplatecBinary.run(show)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertFalse(second.stdout.contains(database), second.stdout)
    }
    /// ClickHouse 26 (chdb) keeps no query log of its own, so the reader runs against a table of
    /// the 26 server's `system.query_log` shape (`type` an Enum8, LowCardinality strings): only the
    /// finished initial queries are read, templatec's are marked, and its own reads are left out.
    func testClickHouse26QueryLogShape() throws {
        let spec = try TestDatabases.spec(.clickhouse26)
        let database = TestDatabases.uniqueName("history")
        _ = try TestDatabases.query(.clickhouse26, "CREATE DATABASE \(database)")
        defer { _ = try? TestDatabases.query(.clickhouse26, "DROP DATABASE IF EXISTS \(database)") }
        _ = try TestDatabases.query(.clickhouse26, """
            CREATE TABLE \(database).query_log (type Enum8('QueryStart' = 1, 'QueryFinish' = 2, 'ExceptionBeforeStart' = 3, 'ExceptionWhileProcessing' = 4),
              event_date Date, event_time DateTime, is_initial_query UInt8, user LowCardinality(String), query_id String,
              http_user_agent LowCardinality(String), query String) ENGINE = MergeTree ORDER BY event_time
            """)
        let alter = "ALTER TABLE db.t COMMENT COLUMN c 'it''s ✓'"
        let quoted = "'" + alter.replacingOccurrences(of: "'", with: "''") + "'"
        _ = try TestDatabases.query(.clickhouse26, """
            INSERT INTO \(database).query_log VALUES
              ('QueryStart', today(), now() - 5, 1, 'alice', 'q1', 'curl/8', \(quoted)),
              ('QueryFinish', today(), now() - 5, 1, 'alice', 'q1', 'curl/8', \(quoted)),
              ('QueryFinish', today(), now() - 4, 0, 'alice', 'q2', 'curl/8', 'ALTER TABLE db.t COMMENT COLUMN c ''shard'''),
              ('QueryFinish', today(), now() - 3, 1, 'sync', 'q3', 'templatec', 'ALTER TABLE db.t COMMENT COLUMN c ''mine'''),
              ('QueryFinish', today(), now() - 3, 1, 'sync', 'q4', 'templatec-state', 'SELECT ''ALTER'''),
              ('QueryFinish', today(), now() - 2, 1, 'alice', 'q5', '', 'SELECT 1')
            """)
        // chdb keeps no system.query_log (as a new server that has logged nothing yet): an empty
        // history, said in a note, and no cursor, so what is logged later is read from the start.
        let none = try ClickHouseStatementHistory(spec: spec, environment: [:], keywords: nil).read(after: nil, since: nil)
        XCTAssertEqual(none.statements.count, 0)
        XCTAssertNil(none.next)
        XCTAssertTrue(none.notes.contains { $0.contains("has no system.query_log yet") }, "\(none.notes)")
        var history = ClickHouseStatementHistory(spec: spec, environment: [:], keywords: ["ALTER"])
        history.log = (database, "query_log")
        let read = try history.read(after: nil, since: nil)
        XCTAssertEqual(read.statements.map(\.sql), [alter, "ALTER TABLE db.t COMMENT COLUMN c 'mine'"])
        XCTAssertEqual(read.statements.map(\.ranByTemplatec), [false, true])
        XCTAssertEqual(read.statements.first?.user, "alice")
        let templates = try HistoryTemplates(connector: Connectors.connector(.clickhouse), channels: nil)
        XCTAssertEqual(read.statements.first.flatMap { templates.changes(in: $0, service: "ch") }?.map(\.value), ["it's ✓"])
        let next = try XCTUnwrap(read.next)
        XCTAssertEqual(try history.read(after: next, since: nil).statements, [], "a second read gives nothing new")
    }
}
