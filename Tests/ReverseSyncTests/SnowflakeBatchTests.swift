import Foundation
import XCTest
@testable import ReverseSync

/// `sync --snowflake-batch N` through the binary, against the multi-statement Snowflake stand-in:
/// statements of different objects share a request, results stay in input order, one object's
/// operations keep their order, and a failing statement in a request fails exactly its operation.
final class SnowflakeBatchTests: XCTestCase {
    static let token = "tok-SNOW-BATCH-1234567"

    /// Twelve operations on six tables, each table twice (the second later in the input), and
    /// one that fails in the middle (table T3's first).
    static let tables = ["T0", "T1", "T2", "T0", "T3", "T4", "T5", "T1", "T2", "T3", "T4", "T5"]

    func sync(_ port: Int, _ extra: [String]) throws -> (status: Int32, results: [[String: Any]]) {
        let file = try TemplatecProcess.pipelineFile(service: "sf", Self.tables.enumerated().map { i, table in
            ("<#E::table::sf.DB.SCH.\(table)>", "\(i == 4 ? "FAIL " : "")d\(i); it's")
        })
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, data) = try TemplatecProcess.run(["sync", file.path, "--connector", "snowflake", "--connection", "snowflake+http://127.0.0.1:\(port)/DB/SCH?warehouse=WH"] + extra,
                                                      environment: ["SNOWFLAKE_TOKEN": Self.token])
        let response = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: data, as: UTF8.self))
        return (status, try XCTUnwrap(response["results"] as? [[String: Any]]))
    }

    func testStatementsOfDifferentObjectsShareARequestAndAFailureMapsToItsOperation() throws {
        for parallel in ["1", "2"] {
            let standIn = try SnowflakeStandIn { $0.contains("FAIL") ? "SQL compilation error: \(($0.split(separator: "\n").last ?? "").prefix(40)) refused" : nil }
            let (status, results) = try sync(standIn.port, ["--parallel", parallel, "--snowflake-batch", "4"])
            XCTAssertEqual(status, 1, "one operation fails (--parallel \(parallel))")
            // Results in input order, each with its own outcome.
            XCTAssertEqual(results.map { $0["id"] as? String }, Self.tables.indices.map { "00000000-0000-4000-8000-\(String(format: "%012d", $0))" })
            for (i, result) in results.enumerated() {
                XCTAssertEqual(result["success"] as? Bool, i != 4, "operation \(i) (--parallel \(parallel)): \(result)")
            }
            let failure = results[4]["message"] as? String ?? ""
            XCTAssertTrue(failure.contains("SQL compilation error: COMMENT ON TABLE DB.SCH.T3 IS 'FAIL d4"), failure)

            // Fewer requests than statements, never two statements of one table in a request.
            let sizes = standIn.statementsPerRequest
            XCTAssertTrue(sizes.contains { $0 > 1 }, "\(sizes)")
            XCTAssertTrue(sizes.allSatisfy { $0 <= 4 }, "\(sizes)")
            let comments = standIn.comments
            // Every operation but the failing one is applied, and each table ends with the text of
            // its last operation: one object's operations kept their order.
            for (i, table) in Self.tables.enumerated() where i != 4 {
                XCTAssertTrue(comments.contains { $0.object == "DB.SCH.\(table)" && $0.text == "d\(i); it's" }, "operation \(i) applied (--parallel \(parallel))")
            }
            for table in Set(Self.tables) {
                let last = Self.tables.lastIndex(of: table)!
                XCTAssertEqual(comments.last { $0.object == "DB.SCH.\(table)" }?.text, "d\(last); it's", "\(table) (--parallel \(parallel))")
            }
            XCTAssertFalse(comments.contains { $0.text.contains("FAIL") })
        }
    }

    func testOneStatementPerRequestWithBatchOne() throws {
        let standIn = try SnowflakeStandIn { $0.contains("FAIL") ? "refused" : nil }
        let (_, results) = try sync(standIn.port, ["--parallel", "1", "--snowflake-batch", "1"])
        XCTAssertEqual(results.count, Self.tables.count)
        XCTAssertEqual(standIn.statementsPerRequest, Array(repeating: 1, count: Self.tables.count))
    }

    func testARefusedRequestIsRunAgainOneStatementPerRequest() throws {
        // The service counts the statements differently (here: one of them is two): the request
        // is refused, nothing runs, and each statement is sent on its own.
        let standIn = try SnowflakeStandIn()
        let executor = try SnowflakeExecutor(spec: try ConnectionURL.parse("snowflake+http://127.0.0.1:\(standIn.port)/DB"),
                                             environment: ["SNOWFLAKE_TOKEN": Self.token])
        let outcomes = executor.executeTogether(["COMMENT ON TABLE D IS 'd' -- a note;", "COMMENT ON TABLE A IS 'a'", "COMMENT ON TABLE B IS 'b'; COMMENT ON TABLE C IS 'c'"])
        XCTAssertEqual(outcomes.map(\.success), [true, true, false])
        XCTAssertTrue(outcomes[2].message?.contains("did not match the desired statement count 1") == true, "\(outcomes)")
        XCTAssertEqual(standIn.statementsPerRequest, [4, 1, 1, 2], "the group (D's comment did not swallow the separator after it), then one by one")
        XCTAssertEqual(standIn.comments.map(\.object), ["D", "A"])
    }
}
