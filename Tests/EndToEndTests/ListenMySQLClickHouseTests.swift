import Foundation
import XCTest

/// `templatec listen` on the local MariaDB and ClickHouse: webhook events from the stand-in catalog
/// land in the database (read back with each server's own client), and what a connector cannot do
/// is recorded as failed with the reason.
final class ListenMySQLTests: XCTestCase {
    var url = ""
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
        _ = try mysql("CREATE DATABASE IF NOT EXISTS listen_shop; DROP TABLE IF EXISTS listen_shop.orders; CREATE TABLE listen_shop.orders (id int)")
        addTeardownBlock { [client] in _ = try? RealEngines.shell(client + ["-e", "DROP DATABASE IF EXISTS listen_shop"]) }
    }

    func testTableDescriptionsAndAnUnsupportedLevel() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let listener = try ListenProcess(connector: "mysql", connection: url, stateDirectory: state, extra: ["--service", "my"], secret: "s")
        let fqn = "my.default.listen_shop.orders"
        let hostile = "It's \\' \"quoted\"; DROP TABLE listen_shop.orders; -- \u{e9}t\u{e9}"
        let answers = try ListenE2E.send([
            ListenE2E.description("table", fqn, "first"),
            ListenE2E.description("table", fqn, "column: not synced by MySQL", field: "columns.id.description"),
            ListenE2E.description("table", fqn, hostile),
        ], to: listener, secret: "s")
        XCTAssertEqual(answers.map(\.status), [200, 200, 200], "\(answers)")
        XCTAssertTrue(try ListenE2E.eventually { (try listener.metrics()["templatec_listen_events_applied_total"] ?? 0) == 2 }, listener.stderr)
        XCTAssertEqual(try mysql("select table_comment from information_schema.tables where table_schema='listen_shop' and table_name='orders'"), hostile)
        XCTAssertEqual(try listener.metrics()["templatec_listen_events_failed_total"], 1)
        XCTAssertEqual(listener.terminate(), 0)
        let failed = try ListenE2E.recordedEvents(state).filter { $0["success"] as? Bool == false }
        XCTAssertEqual(failed.count, 1)
        XCTAssertTrue("\(failed)".contains("column"), "\(failed)")
    }
}

final class ListenClickHouseTests: XCTestCase {
    var url = ""

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
        _ = try query("CREATE DATABASE IF NOT EXISTS listen_ch")
        _ = try query("DROP TABLE IF EXISTS listen_ch.events")
        _ = try query("CREATE TABLE listen_ch.events (id UInt64, `a.b` String) ENGINE = Memory")
        addTeardownBlock { [self] in _ = try? query("DROP DATABASE IF EXISTS listen_ch") }
    }

    func testColumnComments() throws {
        let state = ListenE2E.temporaryDirectory(self)
        let listener = try ListenProcess(connector: "clickhouse", connection: url, stateDirectory: state, extra: ["--service", "ch"])
        let fqn = "ch.default.listen_ch.events"
        let hostile = "It's \\ an id'); DROP TABLE listen_ch.events; --"
        let answers = try ListenE2E.send([
            ListenE2E.description("table", fqn, hostile, field: "columns.id.description"),
            ListenE2E.description("table", fqn, "dotted", field: "columns.\"a.b\".description"),
        ], to: listener)
        XCTAssertEqual(answers.map(\.status), [200, 200], "\(answers)")
        XCTAssertTrue(try ListenE2E.eventually { (try listener.metrics()["templatec_listen_events_applied_total"] ?? 0) == 2 }, listener.stderr)
        XCTAssertEqual(try query("SELECT comment FROM system.columns WHERE database = 'listen_ch' AND table = 'events' AND name = 'id' FORMAT TSVRaw"), hostile)
        XCTAssertEqual(try query("SELECT comment FROM system.columns WHERE database = 'listen_ch' AND table = 'events' AND name = 'a.b' FORMAT TSVRaw"), "dotted")
        XCTAssertEqual(listener.terminate(), 0)
    }
}
