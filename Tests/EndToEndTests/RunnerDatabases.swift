import Foundation
import XCTest

/// Databases of the runner's tests on the shared PostgreSQL server: `runner_main` (where a
/// connection points) and `runner_otherdb`, each with a table `sync.orders`, created for each test
/// and dropped after. The connection URLs are the server's (TEMPLATEC_PG_URL) with another database.
struct RunnerDatabases {
    let base: String
    static let main = "runner_main"
    static let other = "runner_otherdb"

    /// The server's URL for `database` ("" for a URL without a database).
    func url(_ database: String) -> String { base + "/" + database }

    init() throws {
        guard let u = RealEngines.url("TEMPLATEC_PG_URL") else { throw XCTSkip("PostgreSQL not configured (scripts/db/start.sh)") }
        let (status, out) = try RealEngines.shell(["psql", u, "-X", "-Atc", "select 1"])
        guard status == 0 else {
            if ProcessInfo.processInfo.environment["TEMPLATEC_REQUIRE_DATABASES"] == "1" { XCTFail("PostgreSQL not running: \(out)") }
            throw XCTSkip("PostgreSQL not running: \(out)")
        }
        let withoutQuery = u.split(separator: "?", maxSplits: 1)[0]
        base = String(withoutQuery[..<withoutQuery.lastIndex(of: "/")!])
    }

    @discardableResult
    func psql(_ database: String, _ sql: String) throws -> String {
        let (status, out) = try RealEngines.shell(["psql", url(database), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        XCTAssertEqual(status, 0, out)
        return out
    }

    func create() throws {
        for db in [Self.main, Self.other] {
            try drop(db)
            try psql("postgres", "CREATE DATABASE \(db)")
            try psql(db, "CREATE SCHEMA sync; CREATE TABLE sync.orders (amount numeric)")
        }
    }

    func drop(_ db: String) throws {
        try psql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(db)' AND pid <> pg_backend_pid()")
        try psql("postgres", "DROP DATABASE IF EXISTS \(db)")
    }

    func dropAll() {
        for db in [Self.main, Self.other] { try? drop(db) }
    }

    func comment(_ database: String) throws -> String {
        try psql(database, "SELECT coalesce(obj_description('sync.orders'::regclass), '<none>')")
    }

    /// A pipeline file of description operations on `links`, the i-th setting description `d<i>`.
    static func pipelineFile(_ links: [String]) throws -> URL {
        let ops = links.enumerated().map { RealEngines.description($0.offset, $0.element, "d\($0.offset)") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("runner-pipeline-\(UUID().uuidString).json")
        try RealEngines.pipeline(service: "pg", ops).write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
