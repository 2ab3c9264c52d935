import Foundation
import XCTest

/// `templatec sync` against the local MariaDB: table descriptions (the catalog's MySQL matrix),
/// the `default` database mapping, and an unsupported level among good operations.
final class SyncMySQLTests: XCTestCase {
    var url = ""
    var client: [String] = []

    func mysql(_ sql: String) throws -> String {
        let (status, out) = try RealEngines.shell(client + ["-N", "-B", "--raw", "-e", sql])
        XCTAssertEqual(status, 0, out)
        return out
    }

    override func setUpWithError() throws {
        guard let u = RealEngines.url("TEMPLATEC_MYSQL_URL"), let c = URLComponents(string: u) else { throw XCTSkip("MySQL not configured") }
        url = u
        client = ["mysql", "-h", c.host ?? "127.0.0.1", "-P", String(c.port ?? 3306), "-u", c.user ?? "root", "-p\(c.password ?? "")"]
        let (status, out) = try RealEngines.shell(client + ["-e", "select 1"])
        guard status == 0 else { throw XCTSkip("MySQL not running: \(out)") }
        _ = try mysql("CREATE DATABASE IF NOT EXISTS sync_shop; DROP TABLE IF EXISTS sync_shop.orders; CREATE TABLE sync_shop.orders (id int); DROP TABLE IF EXISTS `sync_shop`.`odd``name`; CREATE TABLE `sync_shop`.`odd``name` (id int)")
    }

    func testTableDescriptions() throws {
        let (r, results, _) = try RealEngines.sync(RealEngines.pipeline(service: "mysql", [
            RealEngines.description(1, "<#E::table::mysql.default.sync_shop.orders>", "It's \\ 'quoted'"),
            RealEngines.description(2, "<#E::table::mysql.default.sync_shop.odd\\\"name>", "x"),
            RealEngines.description(3, "<#E::table::mysql.default.sync_shop.odd`name>", "odd"),
            RealEngines.description(4, "<#E::table::mysql.default.sync_shop.orders::columns::id>", "not supported"),
            RealEngines.description(5, "<#E::table::mysql.default.sync_shop.nope>", "missing"),
        ]), connector: "mysql", connection: url)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(results.map(\.success), [true, false, true, false, false], "\(results)")
        XCTAssertEqual(try mysql("select table_comment from information_schema.tables where table_schema='sync_shop' and table_name='orders'"), "It's \\ 'quoted'")
        XCTAssertEqual(try mysql("select table_comment from information_schema.tables where table_schema='sync_shop' and table_name='odd`name'"), "odd")
    }
}
