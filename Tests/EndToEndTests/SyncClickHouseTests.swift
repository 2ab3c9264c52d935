import Foundation
import XCTest

/// `templatec sync` against the local ClickHouse (HTTP): column comments work on every server;
/// table comments need 23.9, so on Debian's 18.16 they fail with the server's message, and on
/// ClickHouse 26 (chdb behind the HTTP front) they are stored byte for byte.
final class SyncClickHouseTests: XCTestCase {
    var url = ""

    func query(_ sql: String) throws -> String {
        guard var c = URLComponents(string: url) else { return "" }
        c.queryItems = (c.queryItems ?? []).filter { $0.name != "query" }
        let (status, out) = try RealEngines.shell(["curl", "-sS", "--fail-with-body", c.string ?? url, "--data-binary", "@-"], stdin: sql)
        XCTAssertEqual(status, 0, out)
        return out
    }

    override func setUpWithError() throws {
        // The test's name says which server: `…26` runs against ClickHouse 26.
        if name.contains("26") {
            url = try LocalEngines.start(.clickhouse26).url
        } else {
            guard let u = RealEngines.url("TEMPLATEC_CLICKHOUSE_URL") else { throw XCTSkip("ClickHouse not configured") }
            url = u
        }
        let (status, out) = try RealEngines.shell(["curl", "-sS", "--max-time", "3", url, "--data-binary", "select 1"])
        guard status == 0, out == "1" else { throw XCTSkip("ClickHouse not running: \(out)") }
        _ = try query("CREATE DATABASE IF NOT EXISTS sync_ch")
        _ = try query("DROP TABLE IF EXISTS sync_ch.events")
        _ = try query("CREATE TABLE sync_ch.events (id UInt64, `odd col` String) ENGINE = Memory")
    }

    func testColumnAndTableComments() throws { try columnAndTableComments() }

    func testColumnAndTableComments26() throws { try columnAndTableComments() }

    func columnAndTableComments() throws {
        let (_, results, _) = try RealEngines.sync(RealEngines.pipeline(service: "ch", [
            RealEngines.description(1, "<#E::table::ch.default.sync_ch.events::columns::id>", "It's \\ an id"),
            RealEngines.description(2, "<#E::table::ch.default.sync_ch.events::columns::odd col>", "odd"),
            RealEngines.description(3, "<#E::table::ch.default.sync_ch.events>", "table comment"),
        ]), connector: "clickhouse", connection: url)
        XCTAssertEqual(results[0].success, true, "\(results)")
        XCTAssertEqual(results[1].success, true, "\(results)")
        XCTAssertEqual(try query("SELECT comment FROM system.columns WHERE database = 'sync_ch' AND table = 'events' AND name = 'id' FORMAT TSVRaw"), "It's \\ an id")
        XCTAssertEqual(try query("SELECT comment FROM system.columns WHERE database = 'sync_ch' AND table = 'events' AND name = 'odd col' FORMAT TSVRaw"), "odd")
        let version = try query("SELECT version()")
        if version.hasPrefix("18.") || version.hasPrefix("19.") || version.hasPrefix("20.") {
            XCTAssertFalse(results[2].success, "MODIFY COMMENT does not exist before 23.9")
            XCTAssertNotNil(results[2].message)
        } else {
            XCTAssertEqual(results[2].success, true, "\(version): \(results)")
            XCTAssertEqual(try query("SELECT comment FROM system.tables WHERE database = 'sync_ch' AND name = 'events' FORMAT TSVRaw"), "table comment")
        }
    }
}
