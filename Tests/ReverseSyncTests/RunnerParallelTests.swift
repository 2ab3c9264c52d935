import Foundation
import XCTest
@testable import ReverseSync
import TemplateCompiler

/// `--parallel N`: operations run on several sessions at once, operations on one object never
/// overtake each other, results stay in input order, and a failure is its own operation's.
final class RunnerParallelTests: XCTestCase {
    /// Sessions that take a random 0–4 ms per statement and log what they run, when, and how many
    /// statements were in flight at once.
    final class Log: @unchecked Sendable {
        let lock = NSLock()
        var executed: [String] = []
        var inFlight = 0
        var mostInFlight = 0
        var sessions = 0
    }

    final class SlowSession: SQLExecutor {
        let log: Log
        let fails: (String) -> Bool
        init(_ log: Log, fails: @escaping (String) -> Bool) { self.log = log; self.fails = fails }
        func execute(_ sql: String) -> ExecutionOutcome {
            log.lock.lock(); log.inFlight += 1; log.mostInFlight = max(log.mostInFlight, log.inFlight); log.lock.unlock()
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.004))
            log.lock.lock(); log.inFlight -= 1; log.executed.append(sql); log.lock.unlock()
            return fails(sql) ? .failed("ERROR: refused") : .ok
        }
        func close() {}
    }

    func runner(_ log: Log, parallel: Int, fails: @escaping (String) -> Bool = { _ in false }) -> Runner {
        let router = SessionRouter(serving: .any) { _ in
            log.lock.lock(); log.sessions += 1; log.lock.unlock()
            return SlowSession(log, fails: fails)
        }
        let runner = Runner(planner: Planner(connector: Connectors.connector(.snowflake)), mode: .execute(sessions: router))
        runner.parallel = parallel
        return runner
    }

    static func pipeline(_ ops: [(table: String, description: String)]) throws -> ReverseIngestionPipeline {
        let items = ops.enumerated().map { i, op in
            #"{"id": "\#(i)", "entityLink": "<#E::table::svc.DB.S.\#(op.table)>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "\#(op.description)"}}"#
        }
        return try PipelineReader.read(Data(#"{"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-000000000001", "type": "databaseService", "name": "svc"}, "operations": [\#(items.joined(separator: ","))]}"#.utf8))
    }

    func testOperationsOnOneObjectKeepTheirOrderWhileOthersRunInParallel() throws {
        let log = Log()
        let runner = runner(log, parallel: 8)
        // 12 tables, 25 operations each, interleaved: table t(i % 12) gets its (i / 12)-th.
        let ops = (0..<300).map { (table: "T\($0 % 12)", description: "n\($0 / 12)") }
        let outcome = runner.run(try Self.pipeline(ops))
        XCTAssertEqual(outcome.response.results.map(\.id), (0..<300).map(String.init), "results in input order")
        XCTAssertTrue(outcome.response.results.allSatisfy(\.success))
        XCTAssertEqual(log.sessions, 8)
        XCTAssertGreaterThan(log.mostInFlight, 1, "statements ran at once")
        XCTAssertLessThanOrEqual(log.mostInFlight, 8, "never more in flight than sessions")
        for t in 0..<12 {
            let order = log.executed.filter { $0.contains("DB.S.T\(t) ") }.map { $0.components(separatedBy: "'n")[1].prefix { $0.isNumber } }
            XCTAssertEqual(order.map { Int($0)! }, Array(0..<25), "table T\(t) in input order")
        }
    }

    func testAFailureInAParallelBatchIsExactlyItsOwnOperation() throws {
        let log = Log()
        let runner = runner(log, parallel: 4) { $0.contains("'bad'") }
        var ops = (0..<40).map { (table: "T\($0)", description: "ok") }
        ops[17].description = "bad"
        let outcome = runner.run(try Self.pipeline(ops))
        let failed = outcome.response.results.enumerated().filter { !$0.element.success }.map(\.offset)
        XCTAssertEqual(failed, [17])
        XCTAssertTrue(outcome.response.results[17].message?.contains("refused") == true)
        XCTAssertEqual(log.executed.count, 40)
    }

    func testAnOperationsStatementsRunInOrderAndStopAtItsFirstFailure() throws {
        let log = Log()
        let runner = runner(log, parallel: 4) { $0.contains("UNSET TAG DB.S.PII") && $0.contains("T3") }
        let tag = { (fqn: String) in #"{"tagFQN": "\#(fqn)", "source": "Classification", "labelType": "Manual", "state": "Confirmed"}"# }
        let ops = (0..<8).map { i in
            #"{"id": "\#(i)", "entityLink": "<#E::table::svc.DB.S.T\#(i)>", "type": "UPDATE_TAGS", "parameters": {"addedTags": [\#(tag("PII.New"))], "removedTags": [\#(tag("PII.Old"))]}}"#
        }
        let pipeline = try PipelineReader.read(Data(#"{"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-000000000001", "type": "databaseService", "name": "svc"}, "operations": [\#(ops.joined(separator: ","))]}"#.utf8))
        let outcome = runner.run(pipeline)
        XCTAssertEqual(outcome.response.results.map(\.success), [true, true, true, false, true, true, true, true])
        XCTAssertTrue(outcome.response.results[3].message?.contains("statement 1 of 2; 0 applied before it") == true, outcome.response.results[3].message ?? "")
        for i in [0, 1, 2, 4, 5, 6, 7] {
            let mine = log.executed.filter { $0.contains("DB.S.T\(i) ") }
            XCTAssertEqual(mine.count, 2)
            XCTAssertTrue(mine.first?.contains("UNSET") == true, "the removal first: \(mine)")
        }
        XCTAssertFalse(log.executed.contains { $0.contains("DB.S.T3 ") && $0.contains("SET TAG DB.S.PII =") }, "the failed operation's addition never runs")
    }
}
