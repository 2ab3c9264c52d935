import Foundation
import XCTest

/// `templatec listen` on the local MariaDB and ClickHouse: webhook events from the stand-in catalog
/// land in the database (read back with each server's own client), and what a connector cannot do
/// is recorded as failed with the reason.
final class ListenMySQLTests: XCTestCase {
    var url = ""
    /// Per process: two test runs on one server must not share the database.
    let shop = "listen_shop_\(ProcessInfo.processInfo.processIdentifier)"
    var client: [String] = []

    func mysql(_ sql: String) throws -> String {
        let (status, out) = try RealEngines.shell(client + ["-N", "-B", "--raw", "-e", sql])
        XCTAssertEqual(status, 0, out)
        return out
    }

    override func setUpWithError() throws {
        guard let u = RealEngines.url("TEMPLATEC_MYSQL_URL"), let c = URLComponents(string: u) else { try TestDatabases.unavailable("MySQL not configured") }
        url = u
        client = ["mysql", "-h", c.host ?? "127.0.0.1", "-P", String(c.port ?? 3306), "-u", c.user ?? "root", "-p\(c.password ?? "")"]
        let (status, out) = try RealEngines.shell(client + ["-e", "select 1"])
        guard status == 0 else { try TestDatabases.unavailable("MySQL not running: \(out)") }
        _ = try mysql("CREATE DATABASE IF NOT EXISTS \(shop); DROP TABLE IF EXISTS \(shop).orders; CREATE TABLE \(shop).orders (id int)")
        addTeardownBlock { [client, shop] in _ = try? RealEngines.shell(client + ["-e", "DROP DATABASE IF EXISTS \(shop)"]) }
    }

    func testTableDescriptionsAndAnUnsupportedLevel() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let listener = try ListenProcess(connector: "mysql", connection: url, stateDirectory: state, extra: ["--service", "my"], secret: "s")
        let fqn = "my.default.\(shop).orders"
        let hostile = "It's \\' \"quoted\"; DROP TABLE \(shop).orders; -- \u{e9}t\u{e9}"
        let answers = try ListenE2E.send([
            ListenE2E.description("table", fqn, "first"),
            ListenE2E.description("table", fqn, "column: not synced by MySQL", field: "columns.id.description"),
            ListenE2E.description("table", fqn, hostile),
        ], to: listener, secret: "s")
        XCTAssertEqual(answers.map(\.status), [200, 200, 200], "\(answers)")
        XCTAssertTrue(try ListenE2E.eventually { (try listener.metrics()["templatec_listen_events_applied_total"] ?? 0) == 2 }, listener.stderr)
        XCTAssertEqual(try mysql("select table_comment from information_schema.tables where table_schema='\(shop)' and table_name='orders'"), hostile)
        XCTAssertEqual(try listener.metrics()["templatec_listen_events_failed_total"], 1)
        XCTAssertEqual(listener.terminate(), 0)
        let failed = try ListenE2E.recordedEvents(state).filter { $0["success"] as? Bool == false }
        XCTAssertEqual(failed.count, 1)
        XCTAssertTrue("\(failed)".contains("column"), "\(failed)")
    }
}

extension ListenMySQLTests {
    /// The receiver keeps one session open between events (`KeptSession`): statements must still
    /// be rendered for that session's settings. With NO_BACKSLASH_ESCAPES, a backslash is stored as
    /// sent only when the planner compiles with the session's own options (which `KeptSession`
    /// forwards; a default would double every backslash).
    func testBackslashesUnderNoBackslashEscapes() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let connection = url + (url.contains("?") ? "&" : "?") + "sql_mode=%2BNO_BACKSLASH_ESCAPES"
        let listener = try ListenProcess(connector: "mysql", connection: connection, stateDirectory: state, extra: ["--service", "my"])
        let text = #"C:\temp\new \' it's \\ end\"#
        XCTAssertEqual(try ListenE2E.send([ListenE2E.description("table", "my.default.\(shop).orders", text)], to: listener).map(\.status), [200])
        XCTAssertTrue(try ListenE2E.eventually {
            let m = try listener.metrics()
            return (m["templatec_listen_events_applied_total"] ?? 0) + (m["templatec_listen_events_failed_total"] ?? 0) == 1
        }, listener.stderr)
        listener.terminate()
        let outcomes = try ListenE2E.recordedEvents(state)
        XCTAssertEqual(try mysql("select table_comment from information_schema.tables where table_schema='\(shop)' and table_name='orders'"), text, "\(outcomes)")
    }
}

final class ListenClickHouseTests: XCTestCase {
    var url = ""
    let ch = "listen_ch_\(ProcessInfo.processInfo.processIdentifier)"

    func query(_ sql: String) throws -> String {
        guard var c = URLComponents(string: url) else { return "" }
        c.queryItems = (c.queryItems ?? []).filter { $0.name != "query" }
        let (status, out) = try RealEngines.shell(["curl", "-sS", "--fail-with-body", c.string ?? url, "--data-binary", "@-"], stdin: sql)
        XCTAssertEqual(status, 0, out)
        return out
    }

    override func setUpWithError() throws {
        guard let u = RealEngines.url("TEMPLATEC_CLICKHOUSE_URL") else { try TestDatabases.unavailable("ClickHouse not configured") }
        url = u
        let (status, out) = try RealEngines.shell(["curl", "-sS", "--max-time", "3", url, "--data-binary", "select 1"])
        guard status == 0, out == "1" else { try TestDatabases.unavailable("ClickHouse not running: \(out)") }
        _ = try query("CREATE DATABASE IF NOT EXISTS \(ch)")
        _ = try query("DROP TABLE IF EXISTS \(ch).events")
        _ = try query("CREATE TABLE \(ch).events (id UInt64, `a.b` String) ENGINE = Memory")
        addTeardownBlock { [self] in _ = try? query("DROP DATABASE IF EXISTS \(ch)") }
    }

    func testColumnComments() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let listener = try ListenProcess(connector: "clickhouse", connection: url, stateDirectory: state, extra: ["--service", "ch"])
        let fqn = "ch.default.\(ch).events"
        let hostile = "It's \\ an id'); DROP TABLE \(ch).events; --"
        let answers = try ListenE2E.send([
            ListenE2E.description("table", fqn, hostile, field: "columns.id.description"),
            ListenE2E.description("table", fqn, "dotted", field: "columns.\"a.b\".description"),
        ], to: listener)
        XCTAssertEqual(answers.map(\.status), [200, 200], "\(answers)")
        XCTAssertTrue(try ListenE2E.eventually { (try listener.metrics()["templatec_listen_events_applied_total"] ?? 0) == 2 }, listener.stderr)
        XCTAssertEqual(try query("SELECT comment FROM system.columns WHERE database = '\(ch)' AND table = 'events' AND name = 'id' FORMAT TSVRaw"), hostile)
        XCTAssertEqual(try query("SELECT comment FROM system.columns WHERE database = '\(ch)' AND table = 'events' AND name = 'a.b' FORMAT TSVRaw"), "dotted")
        XCTAssertEqual(listener.terminate(), 0)
    }
}
