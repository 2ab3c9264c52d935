import Foundation
import XCTest

/// Shared pieces of the session-contract tests (SessionCrossedSettingsTests, SessionFaultTests):
/// scratch objects on the real servers, `templatec sync` with the URL in an environment variable,
/// and the byte-for-byte read-back of what the sync wrote.
enum SessionContract {
    /// The hostile values of the round-trip proof that every target stores (no NUL, no empty
    /// text, which removes a description), plus the injections of issue 13 and characters whose
    /// second byte is `\` (0x5C) in SJIS (ソ 十 能 表), GBK (乗 0x815C, 癨 0xB05C) and BIG5
    /// (許 0xB35C, 功 0xA55C): in a session with those encodings they would swallow an escaping backslash.
    static let values: [String] = RoundTrip.values.filter { !$0.isEmpty && !$0.contains("\u{0}") } + [
        "x' ; DROP TABLE canary ; SELECT '", "\\' ; DROP TABLE canary; --", "x' ; DROP TABLE canary; #",
        "x\" ; DROP TABLE canary; #", "ソ\\' ; DROP TABLE canary; --", "十' 能\\ 表\\'", "癨\\' 乗", "許\\' 功\\'",
        "\\'\\'\\'", "''\\''",
    ]

    /// Values a MySQL comment can hold (the Basic Multilingual Plane: utf8mb3 in the catalog).
    static let bmpValues = values.filter { $0.unicodeScalars.allSatisfy { $0.value <= 0xFFFF } }

    static let environment = ProcessInfo.processInfo.environment

    /// The name of the variable that carries the URL to `templatec sync --connection-env`.
    static let urlVariable = "TEMPLATEC_SESSION_TEST_URL"

    /// Runs `templatec sync` on `operations` with the connection URL in the environment (never on
    /// the command line), `extra` added to the environment.
    static func sync(_ operations: [String], service: String, connector: String, url: String,
                     environment extra: [String: String] = [:], arguments: [String] = []) throws -> (SyncE2E.Result, [(id: String, success: Bool, message: String?)]) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString).json")
        try RealEngines.pipeline(service: service, operations).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var env = environment.merging(extra) { $1 }
        env[urlVariable] = url
        let r = try SyncE2E.run(["sync", file.path, "--connector", connector, "--connection-env", urlVariable] + arguments, environment: env)
        guard r.status != 2 else { return (r, []) }
        let documents = try SyncE2E.responses(r.stdout)
        return (r, documents.first.map(SyncE2E.results) ?? [])
    }

    // MARK: PostgreSQL

    /// The shared server's URL parts, or skip.
    static func postgres() throws -> ConnectionParts {
        guard let url = TestDatabases.url(.postgresql) else { try TestDatabases.unavailable("TEMPLATEC_PG_URL is not set") }
        return try ConnectionParts(url)
    }

    /// Runs SQL with psql as the test superuser (on `database`); returns the output, trimmed.
    @discardableResult
    static func psql(_ pg: ConnectionParts, _ sql: String, database: String? = nil) throws -> String {
        let (status, out) = try RealEngines.shell(["env", "PGPASSWORD=\(pg.password)", "PGOPTIONS=", "psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                                                   "-h", pg.host, "-p", String(pg.port), "-U", pg.user, "-d", database ?? pg.database, "-c", sql])
        guard status == 0 else { throw TestDatabases.TestFailure(description: "psql failed: \(out)") }
        return out
    }

    /// Creates `schema` with tables t0…t(count-1) and `canary` in `database`.
    static func postgresTables(_ pg: ConnectionParts, database: String, schema: String, count: Int) throws {
        let tables = (0..<count).map { "CREATE TABLE \(schema).t\($0) (id int);" }.joined()
        try psql(pg, "CREATE SCHEMA \(schema); CREATE TABLE \(schema).canary (id int); INSERT INTO \(schema).canary VALUES (42); \(tables)", database: database)
    }

    /// Table name → the bytes of its comment, as stored (UTF-8).
    static func postgresComments(_ pg: ConnectionParts, database: String, schema: String) throws -> [String: [UInt8]] {
        let text = try psql(pg, """
            SELECT c.relname || '|' || encode(convert_to(d.description, 'UTF8'), 'hex') FROM pg_class c
            JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = 0 AND d.classoid = 'pg_class'::regclass
            WHERE c.relnamespace = '\(schema)'::regnamespace
            """, database: database)
        return hexMap(text, separator: "|")
    }

    static func postgresCanary(_ pg: ConnectionParts, database: String, schema: String) throws -> String {
        try psql(pg, "SELECT id FROM \(schema).canary", database: database)
    }

    // MARK: MariaDB

    static func mariadb(_ url: String?) throws -> ConnectionParts {
        guard let url else { try TestDatabases.unavailable("the MariaDB server is not configured: run scripts/db/start.sh and scripts/db/start-crossed.sh") }
        let parts = try ConnectionParts(url)
        let (status, out) = try RealEngines.shell(["env", "MYSQL_PWD=\(parts.password)", "mariadb", "--no-defaults", "--protocol=TCP", "--connect-timeout=3",
                                                   "-h", parts.host, "-P", String(parts.port), "-u", parts.user, "-e", "SELECT 1"])
        if status != 0 { try TestDatabases.unavailable("MariaDB at \(parts.host):\(parts.port) is not available: \(out)") }
        return parts
    }

    /// The crossed-settings MariaDB (scripts/db/start-crossed.sh): from the environment, else the
    /// `env.crossed` file next to `.db/env`.
    static var crossedMariaDBURL: String? {
        if let url = environment["TEMPLATEC_MYSQL_CROSSED_URL"], !url.isEmpty { return url }
        var directories = [TestDatabases.repositoryRoot.appendingPathComponent(".db").path]
        if let dir = environment["TEMPLATEC_DB_DIR"] { directories.insert(dir, at: 0) }
        for dir in directories {
            guard let text = try? String(contentsOfFile: dir + "/env.crossed", encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") where line.hasPrefix("TEMPLATEC_MYSQL_CROSSED_URL=") {
                return String(line.dropFirst("TEMPLATEC_MYSQL_CROSSED_URL=".count))
            }
        }
        return nil
    }

    @discardableResult
    static func mysql(_ m: ConnectionParts, _ sql: String) throws -> String {
        let (status, out) = try RealEngines.shell(["env", "MYSQL_PWD=\(m.password)", "mariadb", "--no-defaults", "--protocol=TCP", "--batch", "--skip-column-names",
                                                   "--default-character-set=utf8mb4", "-h", m.host, "-P", String(m.port), "-u", m.user, "-e", sql])
        guard status == 0 else { throw TestDatabases.TestFailure(description: "mariadb failed: \(out)") }
        return out
    }

    /// Creates database `db` with tables t0…t(count-1) and `canary`.
    static func mysqlTables(_ m: ConnectionParts, db: String, count: Int) throws {
        let tables = (0..<count).map { "CREATE TABLE \(db).t\($0) (id int);" }.joined()
        try mysql(m, "CREATE DATABASE \(db) CHARACTER SET utf8mb4; CREATE TABLE \(db).canary (id int); INSERT INTO \(db).canary VALUES (42); \(tables)")
    }

    static func mysqlComments(_ m: ConnectionParts, db: String) throws -> [String: [UInt8]] {
        hexMap(try mysql(m, "SELECT CONCAT(TABLE_NAME, '|', HEX(TABLE_COMMENT)) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(db)' AND TABLE_COMMENT <> ''"), separator: "|")
    }

    // MARK: checking

    static func hexMap(_ text: String, separator: Character) -> [String: [UInt8]] {
        var map: [String: [UInt8]] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: separator, maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            map[String(parts[0])] = RoundTrip.bytes(hex: parts[1]) ?? []
        }
        return map
    }

    /// Every operation succeeded and every table's comment is its value, byte for byte.
    static func assertRoundTrip(_ values: [String], results: [(id: String, success: Bool, message: String?)], stored: [String: [UInt8]],
                                what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(results.count, values.count, "\(what): one result per operation", file: file, line: line)
        var failures: [String] = []
        for (i, value) in values.enumerated() {
            if i < results.count, !results[i].success {
                failures.append("\(value.debugDescription): failed: \(results[i].message ?? "")")
            } else if stored["t\(i)"] != Array(value.utf8) {
                let got = stored["t\(i)"].map { String(decoding: $0, as: UTF8.self).debugDescription } ?? "nothing"
                failures.append("\(value.debugDescription): stored \(got)")
            }
        }
        XCTAssertEqual(failures, [], "\(what): \(failures.count) of \(values.count) values did not round-trip", file: file, line: line)
    }

    static func random() -> String { String(UInt32.random(in: 0...UInt32.max), radix: 36) }
}

/// host, port, user, password and database of a test server's URL.
struct ConnectionParts {
    var host: String
    var port: Int
    var user: String
    var password: String
    var database: String

    init(_ url: String) throws {
        guard let c = URLComponents(string: url), let host = c.host else { throw TestDatabases.TestFailure(description: "bad URL \(url)") }
        self.host = host
        port = c.port ?? 0
        user = c.user ?? ""
        password = c.password ?? ""
        database = String(c.path.dropFirst())
    }

    /// The URL for another user, database and query.
    func url(scheme: String, user: String? = nil, password: String? = nil, database: String? = nil, query: String = "") -> String {
        "\(scheme)://\(user ?? self.user):\(password ?? self.password)@\(host):\(port)/\(database ?? self.database)\(query.isEmpty ? "" : "?" + query)"
    }
}
