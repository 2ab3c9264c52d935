import Foundation
import XCTest

/// `templatec sync` writes only to the database the entity names (real PostgreSQL): a connection
/// to one database refuses entities of another, and a connection without a database serves each.
final class SyncDatabaseTargetTests: XCTestCase {
    var dbs: RunnerDatabases!

    override func setUpWithError() throws {
        dbs = try RunnerDatabases()
        try dbs.create()
    }

    override func tearDown() { dbs?.dropAll() }

    func testAnEntityOfAnotherDatabaseIsRefusedAndNothingOfItRuns() throws {
        let main = RunnerDatabases.main, other = RunnerDatabases.other
        // The case: the other database's sync.orders over a connection to main, which has
        // a sync.orders too (the statement itself names no database).
        let (r, results, doc) = try RealEngines.sync(RealEngines.pipeline(service: "pg", [
            RealEngines.description(1, "<#E::table::pg.\(other).sync.orders>", "for the other database"),
            RealEngines.description(2, "<#E::table::pg.\(main).sync.orders>", "for main"),
        ]), connector: "postgres", connection: dbs.url(main))
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(results.map(\.success), [false, true])
        let message = try XCTUnwrap(results[0].message)
        XCTAssertTrue(message.contains("`\(other)`") && message.contains("`\(main)`"), message)
        XCTAssertTrue(message.contains("nothing of it was executed"), message)
        XCTAssertEqual(doc["success"] as? Bool, true)
        XCTAssertEqual(try dbs.comment(main), "for main", "main's table did not get the other database's description")
        XCTAssertEqual(try dbs.comment(other), "<none>")
    }

    func testAConnectionWithoutADatabaseServesEveryDatabaseThePipelineNames() throws {
        let main = RunnerDatabases.main, other = RunnerDatabases.other
        let (r, results, _) = try RealEngines.sync(RealEngines.pipeline(service: "pg", [
            RealEngines.description(1, "<#E::table::pg.\(other).sync.orders>", "other's"),
            RealEngines.description(2, "<#E::table::pg.\(main).sync.orders>", "main's"),
            RealEngines.description(3, "<#E::database::pg.\(other)>", "the other database"),
            RealEngines.description(4, "<#E::table::pg.runner_missing.sync.orders>", "no such database"),
        ]), connector: "postgres", connection: dbs.url(""))
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(results.map(\.success), [true, true, true, false], "\(results)")
        XCTAssertTrue(results[3].message?.contains("could not connect to database `runner_missing`") == true, results[3].message ?? "")
        XCTAssertEqual(try dbs.comment(other), "other's")
        XCTAssertEqual(try dbs.comment(main), "main's")
        XCTAssertEqual(try dbs.psql(main, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '\(other)'"), "the other database")
    }
}
