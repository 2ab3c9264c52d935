import Foundation
import XCTest

/// `templatec sync --from-openmetadata` against the stand-in catalog where the catalog is the
/// subject: tokens refused, permissions missing, answers to retry, an unknown service, and a
/// connector whose current state cannot be read (everything is planned). No database is needed:
/// `--plan` without a connection reads no state.
final class SyncFromOpenMetadataCatalogTests: XCTestCase {
    static var catalog: [String: Any] { [
        "service": "batch_sf", "serviceType": "Snowflake",
        "databases": [["name": "DB", "description": "the database",
                       "schemas": [["name": "S", "description": "the schema", "tags": ["PII.Sensitive"],
                                    "tables": [["name": "T", "description": "the table", "owners": ["batch_alice"],
                                                "tags": ["PII.Sensitive", "Tier.Tier1"],
                                                "columns": [["name": "C", "description": "the column", "tags": ["PII.Email"]],
                                                            ["name": "D"]]]]]]]],
    ] }

    func plan(_ standIn: StandInCatalog, service: String = "batch_sf", token: String? = nil) throws -> SyncE2E.Result {
        try CatalogSync.run(standIn, service: service, connector: "snowflake", connection: nil, token: token, extra: ["--plan"])
    }

    func testWithoutATokenTheMessageSaysWhereToGetOne() throws {
        let standIn = try StandInCatalog(catalog: Self.catalog, token: "right-token")
        let r = try plan(standIn)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("HTTP 401") && r.stderr.contains("set OPENMETADATA_TOKEN"), r.stderr)
    }

    func testARefusedTokenIsNamedButNeverPrinted() throws {
        let standIn = try StandInCatalog(catalog: Self.catalog, token: "right-token")
        let r = try plan(standIn, token: "wrong-token-7f3a")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("refused the token in OPENMETADATA_TOKEN"), r.stderr)
        XCTAssertFalse(r.stderr.contains("wrong-token-7f3a"), r.stderr)
        XCTAssertEqual(try standIn.requests().count, 1, "a 401 is not retried")
    }

    func testMissingPermissionSaysWhichRoleToGive() throws {
        let standIn = try StandInCatalog(catalog: Self.catalog)
        try standIn.fault(403, count: 1, path: "/api/v1/tables")
        let r = try plan(standIn)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("HTTP 403") && r.stderr.contains("ViewAll") && r.stderr.contains("tables of databaseSchema `batch_sf.DB.S`"), r.stderr)
    }

    func testTooManyRequestsAndUnavailableAreRetried() throws {
        let standIn = try StandInCatalog(catalog: Self.catalog)
        try standIn.fault(429, count: 2, path: "/api/v1/databaseSchemas")
        try standIn.fault(503, count: 1, path: "/api/v1/tables")
        let r = try plan(standIn)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try CatalogSync.operations(r.stdout).count, 7, r.stdout)
        let requests = try standIn.requests()
        XCTAssertEqual(requests.filter { $0.path == "/api/v1/databaseSchemas" }.count, 3)
        XCTAssertEqual(requests.filter { $0.path == "/api/v1/tables" }.count, 2)
    }

    func testAnUnknownServiceIsNamed() throws {
        let standIn = try StandInCatalog(catalog: Self.catalog)
        let r = try plan(standIn, service: "batch_nope")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("no database service `batch_nope`") && r.stderr.contains("--service"), r.stderr)
    }

    func testWithoutReadableStateEverythingTheCatalogHasIsPlanned() throws {
        let standIn = try StandInCatalog(catalog: Self.catalog)
        let r = try plan(standIn)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("cannot be read: every description, owner and tag the catalog has is written"), r.stderr)
        XCTAssertNil(try CatalogSync.modelProblems(r.stdout))
        let ops = try CatalogSync.operations(r.stdout).map { "\($0["type"] as? String ?? "") \($0["entityLink"] as? String ?? "")" }
        // Snowflake syncs descriptions at every level and tags at schema, table and column; it
        // has no owners. Column D has nothing to write.
        XCTAssertEqual(Set(ops), [
            "UPDATE_DESCRIPTION <#E::database::batch_sf.DB>",
            "UPDATE_DESCRIPTION <#E::databaseSchema::batch_sf.DB.S>",
            "UPDATE_TAGS <#E::databaseSchema::batch_sf.DB.S>",
            "UPDATE_DESCRIPTION <#E::table::batch_sf.DB.S.T>",
            "UPDATE_TAGS <#E::table::batch_sf.DB.S.T>",
            "UPDATE_DESCRIPTION <#E::table::batch_sf.DB.S.T::columns::C>",
            "UPDATE_TAGS <#E::table::batch_sf.DB.S.T::columns::C>",
        ], "\(ops)")
        XCTAssertEqual(ops.count, 7)
    }

    func testUsageErrors() throws {
        let standIn = try StandInCatalog(catalog: Self.catalog)
        let noConnection = try CatalogSync.run(standIn, service: "batch_sf", connector: "snowflake", connection: nil)
        XCTAssertEqual(noConnection.status, 2)
        XCTAssertTrue(noConnection.stderr.contains("--connection (or --connection-env) is required"), noConnection.stderr)
        let badURL = try SyncE2E.run(["sync", "--from-openmetadata", "ftp://x", "--service", "s", "--connector", "postgres", "--plan"])
        XCTAssertEqual(badURL.status, 2)
        XCTAssertTrue(badURL.stderr.contains("http://host:8585"), badURL.stderr)
        let withFile = try SyncE2E.run(["sync", "p.json", "--from-openmetadata", standIn.url, "--service", "s", "--connector", "postgres", "--plan"])
        XCTAssertEqual(withFile.status, 2)
    }
}

extension SyncFromOpenMetadataCatalogTests {
    /// The batch form takes its connection as `sync FILE` does: a connector the connection cannot
    /// serve is a usage error before the catalog is asked anything, and `--connection-env` keeps
    /// the URL (and its password) off the command line.
    func testConnectionIsCheckedAsForSyncFile() throws {
        let mismatch = try SyncE2E.run(["sync", "--from-openmetadata", "http://127.0.0.1:9", "--service", "s",
                                        "--connector", "mysql", "--connection", "postgresql://u:secret@127.0.0.1:9/db"])
        XCTAssertEqual(mismatch.status, 2, mismatch.stderr)
        XCTAssertTrue(mismatch.stderr.contains("mysql://"), mismatch.stderr)
        XCTAssertFalse(mismatch.stderr.contains("secret"), mismatch.stderr)
        let unset = try SyncE2E.run(["sync", "--from-openmetadata", "http://127.0.0.1:9", "--service", "s",
                                     "--connector", "postgres", "--connection-env", "TEMPLATEC_TEST_UNSET_URL"])
        XCTAssertEqual(unset.status, 2, unset.stderr)
        XCTAssertTrue(unset.stderr.contains("TEMPLATEC_TEST_UNSET_URL"), unset.stderr)
    }
}
