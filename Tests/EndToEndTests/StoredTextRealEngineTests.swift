import Foundation
import XCTest

/// Values the target would change, on the real servers: a rendered name longer than PostgreSQL
/// keeps (it would be truncated onto another table), a MariaDB comment whose template text plus
/// value exceeds the limit, and a bare non-ASCII capital in a single-byte PostgreSQL database.
/// Canary tables prove nothing landed where it should not.
final class StoredTextRealEngineTests: XCTestCase {
    // MARK: PostgreSQL

    func pgURL() throws -> String {
        guard let u = RealEngines.url("TEMPLATEC_PG_URL") else { throw XCTSkip("PostgreSQL not configured (scripts/db/start.sh)") }
        let (status, out) = try RealEngines.shell(["psql", u, "-X", "-Atc", "select 1"])
        guard status == 0 else { throw XCTSkip("PostgreSQL not running: \(out)") }
        return u
    }

    @discardableResult
    func psql(_ url: String, _ sql: String) throws -> String {
        // UTF-8 on the wire whatever the test's locale, so names arrive as written.
        let (status, out) = try RealEngines.shell(["PGCLIENTENCODING=UTF8", "psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        XCTAssertEqual(status, 0, out)
        return out
    }

    func comment(_ url: String, _ qualified: String) throws -> String {
        try psql(url, "select coalesce(obj_description('\(qualified)'::regclass), '<none>')")
    }

    func testAGluedOrQuotedNameIsNeverTruncatedOntoAnotherTable() throws {
        let url = try pgURL()
        let db = try psql(url, "select current_database()")
        let a59 = String(repeating: "a", count: 59), a60 = String(repeating: "a", count: 60)
        // `stg_` + 60 letters is 64 bytes, which PostgreSQL truncates to `stg_` + 59: the canary.
        // `"` + 60 letters + `_bak"` truncates to 60 letters + `_ba`: a second canary.
        try psql(url, """
            DROP SCHEMA IF EXISTS inputs_len CASCADE; CREATE SCHEMA inputs_len;
            CREATE TABLE inputs_len.stg_\(a59) (x int); CREATE TABLE inputs_len.\(a60)_ba (x int);
            CREATE TABLE inputs_len.\(a59)_bak (x int);
            """)
        defer { _ = try? psql(url, "DROP SCHEMA IF EXISTS inputs_len CASCADE") }
        let glued = "-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.stg_{table} IS {description};"
        let quoted = "-- templatec: dialect=postgres\nCOMMENT ON TABLE {schema}.\"{table}_bak\" IS {description};"
        let (r, results, _) = try RealEngines.sync(RealEngines.pipeline(service: "pg", [
            RealEngines.description(1, "<#E::table::pg.\(db).inputs_len.\(a60)>", "must not land", template: glued),
            RealEngines.description(2, "<#E::table::pg.\(db).inputs_len.\(a60)>", "must not land", template: quoted),
            RealEngines.description(3, "<#E::table::pg.\(db).inputs_len.\(a59)>", "fits: 63 bytes", template: glued),
            RealEngines.description(4, "<#E::table::pg.\(db).inputs_len.\(a59)>", "fits too", template: quoted),
        ]), connector: "postgres", connection: url)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(results.map(\.success), [false, false, true, true], "\(results)")
        for k in 0..<2 { XCTAssertTrue(results[k].message?.contains("RND308") == true, "\(results[k])") }
        // The first canary got only operation 3's comment (its own, exact name); the second none.
        XCTAssertEqual(try comment(url, "inputs_len.stg_\(a59)"), "fits: 63 bytes")
        XCTAssertEqual(try comment(url, "inputs_len.\(a60)_ba"), "<none>")
        XCTAssertEqual(try comment(url, "inputs_len.\(a59)_bak"), "fits too")
    }

    /// Needs a single-byte database whose locale folds non-ASCII letters (LATIN1 with a Latin-1
    /// locale): PostgreSQL then folds a bare `É` to `é`. Skips where the server has no such locale
    /// (`localedef -i fr_FR -f ISO-8859-1 fr_FR.ISO-8859-1` makes one).
    func testABareNonASCIICapitalIsQuotedInASingleByteDatabase() throws {
        let url = try pgURL()
        guard var c = URLComponents(string: url) else { throw XCTSkip("unusual URL") }
        _ = try? psql(url, "DROP DATABASE IF EXISTS inputs_latin1")
        var created = false
        for locale in ["en_US.ISO-8859-1", "en_US.iso88591", "fr_FR.ISO-8859-1", "de_DE.ISO-8859-1", "en_US", "fr_FR"] {
            let (status, _) = try RealEngines.shell(["psql", url, "-X", "-q", "-c",
                "CREATE DATABASE inputs_latin1 ENCODING 'LATIN1' LC_COLLATE '\(locale)' LC_CTYPE '\(locale)' TEMPLATE template0"])
            if status == 0 { created = true; break }
        }
        guard created else { throw XCTSkip("the PostgreSQL server has no Latin-1 locale to create a single-byte database with") }
        defer { _ = try? psql(url, "DROP DATABASE IF EXISTS inputs_latin1") }
        c.path = "/inputs_latin1"
        let latin1 = c.string!
        try psql(latin1, #"CREATE SCHEMA s; CREATE TABLE s."É" (x int); CREATE TABLE s."é" (x int)"#)
        try psql(latin1, "COMMENT ON TABLE s.É IS 'bare'")
        guard try comment(latin1, #"s."é""#) == "bare" else {
            throw XCTSkip("this server's Latin-1 locale does not fold `É`: nothing to prove here")
        }
        try psql(latin1, #"COMMENT ON TABLE s."é" IS NULL"#)
        // The session engineer's executor pins client_encoding itself; the environment does it
        // here, so that only case folding is under test.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("latin1-\(UUID().uuidString).json")
        try RealEngines.pipeline(service: "pg", [RealEngines.description(1, "<#E::table::pg.inputs_latin1.s.É>", "for the capital")])
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var environment = ProcessInfo.processInfo.environment
        environment["PGCLIENTENCODING"] = "UTF8"
        let r = try SyncE2E.run(["sync", file.path, "--connector", "postgres", "--connection", latin1], environment: environment)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(try comment(latin1, #"s."É""#), "for the capital")
        XCTAssertEqual(try comment(latin1, #"s."é""#), "<none>")
    }

    // MARK: MariaDB

    func testAMariaDBCommentIsLimitedWithTheTemplatesOwnText() throws {
        guard let u = RealEngines.url("TEMPLATEC_MYSQL_URL"), let c = URLComponents(string: u) else { throw XCTSkip("MySQL not configured") }
        let client = ["mysql", "-h", c.host ?? "127.0.0.1", "-P", String(c.port ?? 3306), "-u", c.user ?? "root", "-p\(c.password ?? "")"]
        func mysql(_ sql: String) throws -> String {
            let (status, out) = try RealEngines.shell(client + ["-N", "-B", "--raw", "-e", sql])
            XCTAssertEqual(status, 0, out)
            return out
        }
        guard try RealEngines.shell(client + ["-e", "select 1"]).0 == 0 else { throw XCTSkip("MySQL not running") }
        _ = try mysql("CREATE DATABASE IF NOT EXISTS inputs_len; DROP TABLE IF EXISTS inputs_len.canary; CREATE TABLE inputs_len.canary (id int) COMMENT 'canary'; DROP TABLE IF EXISTS inputs_len.t; CREATE TABLE inputs_len.t (id int) COMMENT 'before'")
        defer { _ = try? mysql("DROP DATABASE IF EXISTS inputs_len") }
        let template = "-- templatec: dialect=mysql\nALTER TABLE {schema}.{table} COMMENT = 'Owner: {description}';"
        let (r, results, _) = try RealEngines.sync(RealEngines.pipeline(service: "mysql", [
            // 7 + 2,045 characters: over the 2,048 of a table comment, which a non-strict server truncates.
            RealEngines.description(1, "<#E::table::mysql.default.inputs_len.t>", String(repeating: "x", count: 2045), template: template),
        ]), connector: "mysql", connection: u)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(results[0].message?.contains("RND308") == true, "\(results)")
        XCTAssertEqual(try mysql("select table_comment from information_schema.tables where table_schema='inputs_len' and table_name='t'"), "before")
        // 7 + 2,041 fits exactly, and is stored whole.
        let fits = String(repeating: "x", count: 2041)
        let (ok, okResults, _) = try RealEngines.sync(RealEngines.pipeline(service: "mysql", [
            RealEngines.description(1, "<#E::table::mysql.default.inputs_len.t>", fits, template: template),
        ]), connector: "mysql", connection: u)
        XCTAssertEqual(ok.status, 0, "\(okResults)")
        XCTAssertEqual(try mysql("select table_comment from information_schema.tables where table_schema='inputs_len' and table_name='t'"), "Owner: " + fits)
        XCTAssertEqual(try mysql("select table_comment from information_schema.tables where table_schema='inputs_len' and table_name='canary'"), "canary")
    }
}
