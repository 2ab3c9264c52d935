import Foundation
import XCTest
@testable import ReverseSync

/// The session contract on real servers whose settings cross what the escaper relies on (issue 13):
/// every hostile value of `SessionContract.values` is synced with the connector's default template
/// through `templatec sync`, read back from the catalog as hex and compared byte for byte; the
/// canary table survives. Each test first proves that the setting is really crossed for an
/// ordinary client, so the test can fail.
final class SessionCrossedSettingsTests: XCTestCase {
    // MARK: PostgreSQL

    /// Syncs every value onto tables of `schema` in `database` over `url`; asserts the round trip
    /// and the canary.
    private func postgresRoundTrip(_ pg: ConnectionParts, url: String, database: String, schema: String,
                                   environment: [String: String] = [:], arguments: [String] = [], what: String,
                                   file: StaticString = #filePath, line: UInt = #line) throws {
        let values = SessionContract.values
        try SessionContract.postgresTables(pg, database: database, schema: schema, count: values.count)
        let operations = values.enumerated().map { RealEngines.description($0 + 1, "<#E::table::pg.\(database).\(schema).t\($0)>", $1) }
        let (r, results) = try SessionContract.sync(operations, service: "pg", connector: "postgres", url: url, environment: environment, arguments: arguments)
        XCTAssertEqual(r.status, 0, "\(what): \(r.stderr)\n\(r.stdout.prefix(2000))", file: file, line: line)
        SessionContract.assertRoundTrip(values, results: results, stored: try SessionContract.postgresComments(pg, database: database, schema: schema),
                                        what: what, file: file, line: line)
        XCTAssertEqual(try SessionContract.postgresCanary(pg, database: database, schema: schema), "42", "\(what): the canary table", file: file, line: line)
    }

    func testPostgresDatabaseWithStandardConformingStringsOff() throws {
        let pg = try SessionContract.postgres()
        let database = "session_scs_" + SessionContract.random()
        try SessionContract.psql(pg, "CREATE DATABASE \(database)")
        defer { _ = try? SessionContract.psql(pg, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)") }
        try SessionContract.psql(pg, "ALTER DATABASE \(database) SET standard_conforming_strings = off")
        XCTAssertEqual(try SessionContract.psql(pg, "SHOW standard_conforming_strings", database: database), "off", "the setting is crossed for other clients")
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("session-state-\(SessionContract.random())")
        defer { try? FileManager.default.removeItem(at: state) }
        try postgresRoundTrip(pg, url: pg.url(scheme: "postgresql", database: database), database: database, schema: "s",
                              arguments: ["--state-dir", state.path], what: "database with standard_conforming_strings = off")
        // The run record notes the settings the session ran with.
        let runs = try FileManager.default.contentsOfDirectory(at: state.appendingPathComponent("runs"), includingPropertiesForKeys: nil)
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: try XCTUnwrap(runs.first))) as? [String: Any]
        let session = ((record?["pipelines"] as? [[String: Any]])?.first?["session"] as? [[String: String]]) ?? []
        XCTAssertTrue(session.contains { $0["name"] == "standard_conforming_strings" && $0["value"] == "on" }, "\(session)")
        XCTAssertTrue(session.contains { $0["name"] == "client_encoding" && $0["value"] == "UTF8" }, "\(session)")
    }

    func testPostgresRoleWithStandardConformingStringsOffAndPGOPTIONS() throws {
        let pg = try SessionContract.postgres()
        let role = "session_scs_" + SessionContract.random(), password = "pw" + SessionContract.random()
        try SessionContract.psql(pg, "CREATE ROLE \(role) LOGIN SUPERUSER PASSWORD '\(password)'; ALTER ROLE \(role) SET standard_conforming_strings = off")
        let schemaA = "session_a_" + SessionContract.random(), schemaB = "session_b_" + SessionContract.random()
        defer { _ = try? SessionContract.psql(pg, "DROP SCHEMA IF EXISTS \(schemaA) CASCADE; DROP SCHEMA IF EXISTS \(schemaB) CASCADE; DROP ROLE IF EXISTS \(role)") }
        let roleURL = pg.url(scheme: "postgresql", user: role, password: password)
        try postgresRoundTrip(pg, url: roleURL, database: pg.database, schema: schemaA, what: "role with standard_conforming_strings = off")
        // PGOPTIONS in templatec's environment: dropped for psql, and the pinned values win anyway.
        try postgresRoundTrip(pg, url: pg.url(scheme: "postgresql"), database: pg.database, schema: schemaB,
                              environment: ["PGOPTIONS": "-c standard_conforming_strings=off -c client_encoding=SJIS"],
                              what: "PGOPTIONS standard_conforming_strings=off client_encoding=SJIS")
    }

    func testPostgresRolesWithMultibyteClientEncodings() throws {
        let pg = try SessionContract.postgres()
        for encoding in ["SJIS", "GBK", "BIG5"] {
            let role = "session_enc_" + SessionContract.random(), password = "pw" + SessionContract.random()
            let schema = "session_enc_" + SessionContract.random()
            try SessionContract.psql(pg, "CREATE ROLE \(role) LOGIN SUPERUSER PASSWORD '\(password)'; ALTER ROLE \(role) SET client_encoding = '\(encoding)'")
            defer { _ = try? SessionContract.psql(pg, "DROP SCHEMA IF EXISTS \(schema) CASCADE; DROP ROLE IF EXISTS \(role)") }
            let (_, shown) = try RealEngines.shell(["env", "PGPASSWORD=\(password)", "PGCLIENTENCODING=", "psql", "-X", "-A", "-t", "-h", pg.host, "-p", String(pg.port),
                                                    "-U", role, "-d", pg.database, "-c", "SHOW client_encoding"])
            XCTAssertEqual(shown, encoding, "the role's setting is crossed for other clients")
            try postgresRoundTrip(pg, url: pg.url(scheme: "postgresql", user: role, password: password), database: pg.database, schema: schema,
                                  what: "role with client_encoding = \(encoding)")
        }
    }

    /// URL parameters that would undo a pinned setting are a usage error, before anything connects.
    func testPostgresURLParametersThatUndoThePinnedSettingsAreRefused() throws {
        let pg = try SessionContract.postgres()
        for query in ["options=-c%20standard_conforming_strings%3Doff", "client_encoding=SJIS", "client_encoding=LATIN1"] {
            let (r, _) = try SessionContract.sync([RealEngines.description(1, "<#E::table::pg.\(pg.database).public.nothing>", "x")],
                                                  service: "pg", connector: "postgres", url: pg.url(scheme: "postgresql", query: query))
            XCTAssertEqual(r.status, 2, "\(query): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("is not accepted"), "\(query): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains(":\(pg.password)@"), "the password is never printed: \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "nothing ran")
        }
    }

    // MARK: MariaDB

    private func mysqlRoundTrip(_ m: ConnectionParts, query: String, template: String? = nil, what: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let values = SessionContract.bmpValues
        let db = "session_" + SessionContract.random()
        try SessionContract.mysqlTables(m, db: db, count: values.count)
        defer { _ = try? SessionContract.mysql(m, "DROP DATABASE IF EXISTS \(db)") }
        let operations = values.enumerated().map { RealEngines.description($0 + 1, "<#E::table::my.default.\(db).t\($0)>", $1, template: template) }
        let (r, results) = try SessionContract.sync(operations, service: "my", connector: "mysql", url: m.url(scheme: "mysql", query: query))
        XCTAssertEqual(r.status, 0, "\(what): \(r.stderr)\n\(r.stdout.prefix(2000))", file: file, line: line)
        SessionContract.assertRoundTrip(values, results: results, stored: try SessionContract.mysqlComments(m, db: db), what: what, file: file, line: line)
        XCTAssertEqual(try SessionContract.mysql(m, "SELECT id FROM \(db).canary"), "42", "\(what): the canary table", file: file, line: line)
    }

    func testMariaDBSessionWithNoBackslashEscapesFromTheURL() throws {
        let m = try SessionContract.mariadb(TestDatabases.url(.mysql))
        try mysqlRoundTrip(m, query: "sql_mode=%2BNO_BACKSLASH_ESCAPES", what: "?sql_mode=+NO_BACKSLASH_ESCAPES")
        try mysqlRoundTrip(m, query: "sql_mode=NO_BACKSLASH_ESCAPES", what: "?sql_mode=NO_BACKSLASH_ESCAPES")
    }

    /// ANSI_QUOTES would make a `"…"` literal a name: the session removes it, so a custom template
    /// with `COMMENT = "{description}"` is a string literal on the server as in the check.
    func testMariaDBSessionWithANSIQuotesKeepsDoubleQuotedLiteralsStrings() throws {
        let m = try SessionContract.mariadb(TestDatabases.url(.mysql))
        let template = "ALTER TABLE {schema}.{table} COMMENT = \"{description}\";"
        try mysqlRoundTrip(m, query: "sql_mode=%2BANSI_QUOTES", template: template, what: "?sql_mode=+ANSI_QUOTES, \"…\" template")
        try mysqlRoundTrip(m, query: "sql_mode=ANSI_QUOTES,NO_BACKSLASH_ESCAPES", template: template, what: "?sql_mode=ANSI_QUOTES,NO_BACKSLASH_ESCAPES, \"…\" template")
    }

    /// A server whose defaults are latin1, NO_BACKSLASH_ESCAPES and ANSI_QUOTES, not strict
    /// (scripts/db/start-crossed.sh).
    func testMariaDBServerWithLatin1NoBackslashEscapesAndANSIQuotesDefaults() throws {
        let m = try SessionContract.mariadb(SessionContract.crossedMariaDBURL)
        let defaults = try SessionContract.mysql(m, "SELECT CONCAT_WS(' ', @@GLOBAL.sql_mode, @@GLOBAL.character_set_server)")
        XCTAssertEqual(defaults, "ANSI_QUOTES,NO_BACKSLASH_ESCAPES latin1", "the server's defaults are crossed")
        try mysqlRoundTrip(m, query: "", what: "latin1 server with NO_BACKSLASH_ESCAPES,ANSI_QUOTES")
        try mysqlRoundTrip(m, query: "", template: "ALTER TABLE {schema}.{table} COMMENT = \"{description}\";", what: "latin1 server, \"…\" template")
    }

    /// The current state is read in the session's own character set too: the crossed server skips
    /// the client's character-set handshake, so `--default-character-set=utf8mb4` alone answered in
    /// latin1 and a `✓` stored right came back as `?` (and a batch diff or `--to-openmetadata`
    /// took that for the database's value).
    func testMariaDBStateIsReadInUTF8OnAServerThatSkipsTheHandshake() throws {
        let m = try SessionContract.mariadb(SessionContract.crossedMariaDBURL)
        let db = "session_" + SessionContract.random()
        try SessionContract.mysqlTables(m, db: db, count: 1)
        defer { _ = try? SessionContract.mysql(m, "DROP DATABASE IF EXISTS \(db)") }
        let value = "ünï ✓ — it's \"q\" \\ 中文"
        let (r, _) = try SessionContract.sync([RealEngines.description(1, "<#E::table::my.default.\(db).t0>", value)],
                                              service: "my", connector: "mysql", url: m.url(scheme: "mysql"))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try SessionContract.mysqlComments(m, db: db)["t0"], Array(value.utf8), "stored byte for byte")
        let spec = try ConnectionURL.parse(m.url(scheme: "mysql", database: db))
        let state = try MySQLStateReader(spec: spec, environment: ProcessInfo.processInfo.environment).read()
        let read = state.tables[CurrentState.TableKey(db, "t0")]?.object.description
        XCTAssertEqual(read.map { Array($0.utf8) }, Array(value.utf8), "read back: \(read ?? "nil")")
    }

    /// On a server that is not strict, a comment the server would cut is an error, never a success
    /// with a warning: the renderer refuses it first (RND308: the template's own text counts), and
    /// the session is strict besides, so a value that slipped past would be the server's error.
    func testMariaDBCommentThatTheServerWouldCutFailsInsteadOfBeingTruncated() throws {
        let m = try SessionContract.mariadb(SessionContract.crossedMariaDBURL)
        let db = "session_" + SessionContract.random()
        try SessionContract.mysqlTables(m, db: db, count: 1)
        defer { _ = try? SessionContract.mysql(m, "DROP DATABASE IF EXISTS \(db)") }
        let value = String(repeating: "x", count: 2045)
        let (r, results) = try SessionContract.sync([
            RealEngines.description(1, "<#E::table::my.default.\(db).t0>", value, template: "ALTER TABLE {schema}.{table} COMMENT = 'prefix: {description}';"),
        ], service: "my", connector: "mysql", url: m.url(scheme: "mysql"))
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(results.map(\.success), [false], "\(results)")
        let message = results.first?.message ?? ""
        XCTAssertTrue(message.contains("RND308") || message.contains("too long"), "\(results)")
        XCTAssertEqual(try SessionContract.mysqlComments(m, db: db)["t0"], nil, "nothing was stored, not even a cut comment")
    }
}
