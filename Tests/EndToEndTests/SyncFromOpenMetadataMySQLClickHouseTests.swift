import Foundation
import XCTest

/// `templatec sync --from-openmetadata` against MariaDB and ClickHouse: the catalog names their
/// databases as schemas of a `default` database, their comments are read back from
/// information_schema / system.columns, and a second run writes nothing.
final class SyncFromOpenMetadataMySQLTests: XCTestCase {
    var url = ""
    var database = ""

    func mysql(_ sql: String) throws -> String { try TestDatabases.query(.mysql, sql) }

    override func setUpWithError() throws {
        guard let u = TestDatabases.url(.mysql) else { try TestDatabases.unavailable("MySQL not configured (scripts/db/start.sh)") }
        url = u
        _ = try TestDatabases.executor(.mysql)  // skips (or fails in CI) when the server is down
        database = TestDatabases.uniqueName("batch")
        _ = try mysql("CREATE DATABASE \(database); CREATE TABLE \(database).t1 (id int); CREATE TABLE \(database).t2 (id int) COMMENT 'in line'")
    }

    override func tearDownWithError() throws {
        if !database.isEmpty { _ = try? mysql("DROP DATABASE IF EXISTS \(database)") }
    }

    func testTableDescriptionsAreWrittenOnceAndASecondRunExecutesNothing() throws {
        let hostile = TestDatabases.trickyBMPValue
        let standIn = try StandInCatalog(catalog: [
            "service": "batch_my", "serviceType": "Mysql",
            "databases": [["name": "default", "schemas": [["name": database, "tables": [
                ["name": "t1", "description": hostile, "columns": [["name": "id", "description": "MySQL's default templates have no column comments"]]],
                ["name": "t2", "description": "in line", "columns": [["name": "id"]]],
                ["name": "t3", "description": "not in the database", "columns": [["name": "id"]]],
            ]]]]],
        ])
        let first = try CatalogSync.run(standIn, service: "batch_my", connector: "mysql", connection: url)
        XCTAssertEqual(first.status, 0, first.stderr + first.stdout)
        XCTAssertEqual(try SyncE2E.schemaProblems(first.stdout), [])
        let results = SyncE2E.results(try CatalogSync.json(first.stdout))
        XCTAssertEqual(results.count, 1, "\(results) \(first.stderr)")
        XCTAssertEqual(results.first?.success, true, "\(results)")
        XCTAssertEqual(try mysql("SELECT HEX(TABLE_COMMENT) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(database)' AND TABLE_NAME = 't1'"),
                       TestDatabases.hex(hostile))
        XCTAssertTrue(first.stderr.contains("\(database).t3"), first.stderr)

        let log = FileManager.default.temporaryDirectory.appendingPathComponent("mariadb-starts-\(UUID().uuidString).log")
        let wrapper = try CatalogSync.clientWrapper(StateClient.mysql, marker: "--force", log: log)
        defer { try? FileManager.default.removeItem(at: log); try? FileManager.default.removeItem(at: wrapper) }
        let second = try CatalogSync.run(standIn, service: "batch_my", connector: "mysql", connection: url,
                                         environment: ["TEMPLATEC_MYSQL_CLIENT": wrapper.path])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(SyncE2E.results(try CatalogSync.json(second.stdout)).count, 0, second.stdout)
        XCTAssertEqual(try String(contentsOf: log, encoding: .utf8), "reader\n", "the second run started the executor's session")
    }
}

/// The MySQL client on PATH, as the executor picks it.
enum StateClient {
    static var mysql: String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return ["mariadb", "mysql"].first { name in path.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") } } ?? "mariadb"
    }
}

final class SyncFromOpenMetadataClickHouseTests: XCTestCase {
    var url = ""
    var database = ""

    func clickhouse(_ sql: String) throws -> String { try TestDatabases.query(.clickhouse, sql) }

    override func setUpWithError() throws {
        guard let u = TestDatabases.url(.clickhouse) else { try TestDatabases.unavailable("ClickHouse not configured (scripts/db/start.sh)") }
        url = u
        _ = try TestDatabases.executor(.clickhouse)
        database = TestDatabases.uniqueName("batch")
        _ = try clickhouse("CREATE DATABASE \(database)")
        _ = try clickhouse("CREATE TABLE \(database).events (id UInt64, `odd col` String) ENGINE = Memory")
    }

    override func tearDownWithError() throws {
        if !database.isEmpty { _ = try? clickhouse("DROP DATABASE IF EXISTS \(database)") }
    }

    func testColumnDescriptionsAreWrittenOnceAndASecondRunExecutesNothing() throws {
        let hostile = TestDatabases.trickyValue
        let standIn = try StandInCatalog(catalog: [
            "service": "batch_ch", "serviceType": "Clickhouse",
            "databases": [["name": "default", "schemas": [["name": database, "tables": [
                ["name": "events", "columns": [["name": "id", "description": hostile], ["name": "odd col", "description": "odd ' col"]]],
            ]]]]],
        ])
        let stateDir = FileManager.default.temporaryDirectory.appendingPathComponent("batch-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: stateDir) }
        let first = try CatalogSync.run(standIn, service: "batch_ch", connector: "clickhouse", connection: url, extra: ["--state-dir", stateDir.path])
        XCTAssertEqual(first.status, 0, first.stderr + first.stdout)
        let results = SyncE2E.results(try CatalogSync.json(first.stdout))
        XCTAssertEqual(results.count, 2, "\(results) \(first.stderr)")
        XCTAssertTrue(results.allSatisfy(\.success), "\(results)")
        XCTAssertEqual(try clickhouse("SELECT hex(comment) FROM system.columns WHERE database = '\(database)' AND table = 'events' AND name = 'id'"),
                       TestDatabases.hex(hostile))
        XCTAssertEqual(try clickhouse("SELECT comment FROM system.columns WHERE database = '\(database)' AND table = 'events' AND name = 'odd col'"), "odd \\' col")

        let second = try CatalogSync.run(standIn, service: "batch_ch", connector: "clickhouse", connection: url, extra: ["--state-dir", stateDir.path])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(SyncE2E.results(try CatalogSync.json(second.stdout)).count, 0, second.stdout)
        let runs = try FileManager.default.contentsOfDirectory(atPath: stateDir.appendingPathComponent("runs").path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(runs.count, 2)
        let last = try CatalogSync.json(String(contentsOfFile: stateDir.appendingPathComponent("runs/\(runs[1])").path, encoding: .utf8))
        XCTAssertEqual(((last["pipelines"] as? [[String: Any]])?.first?["operations"] as? [Any])?.count, 0)
    }
}
