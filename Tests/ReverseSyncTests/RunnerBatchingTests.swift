import XCTest
@testable import ReverseSync
@testable import TemplateWorkspace
import TemplateCompiler

/// An executor that records how it was called and fails the statements `fails` picks.
final class RecordingExecutor: SQLExecutor {
    enum Call: Equatable {
        case execute(String)
        case executeAll([String])
    }
    var calls: [Call] = []
    var closed = false
    let fails: (String) -> Bool

    init(fails: @escaping (String) -> Bool) { self.fails = fails }

    func outcome(_ sql: String) -> ExecutionOutcome { fails(sql) ? .failed("ERROR: refused \(sql)") : .ok }
    func execute(_ sql: String) -> ExecutionOutcome {
        calls.append(.execute(sql))
        return outcome(sql)
    }
    func executeAll(_ statements: [String]) -> [ExecutionOutcome] {
        calls.append(.executeAll(statements))
        return statements.map(outcome)
    }
    func close() { closed = true }
}

/// An executor with only `execute`: the protocol's default `executeAll` maps it.
private final class OneByOneExecutor: SQLExecutor {
    var executed: [String] = []
    func execute(_ sql: String) -> ExecutionOutcome {
        executed.append(sql)
        return sql.contains("T2") || sql.contains("UNSET") ? .failed("ERROR: refused") : .ok
    }
    func close() {}
}

final class RunnerBatchingTests: XCTestCase {
    func tag(_ fqn: String) -> String {
        #"{"tagFQN": "\#(fqn)", "source": "Classification", "labelType": "Manual", "state": "Confirmed"}"#
    }

    func description(_ id: Int, _ table: String) -> String {
        #"{"id": "\#(id)", "entityLink": "<#E::table::svc.DB.S.\#(table)>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "d"}}"#
    }

    /// 0, 1, 3, 6: one statement each (1 fails); 2: two statements (removal, then addition), the
    /// first fails; 4: team owner and 5: ambiguous tags fail while planning.
    func pipeline() throws -> ReverseIngestionPipeline {
        let ops = [
            description(0, "T1"),
            description(1, "T2"),
            #"{"id": "2", "entityLink": "<#E::table::svc.DB.S.T3>", "type": "UPDATE_TAGS", "parameters": {"addedTags": [\#(tag("PII.Sensitive"))], "removedTags": [\#(tag("PII.None"))]}}"#,
            description(3, "T4"),
            #"{"id": "4", "entityLink": "<#E::table::svc.DB.S.T6>", "type": "UPDATE_OWNER", "parameters": {"addedOwners": [{"id": "t1", "type": "team", "name": "finance"}]}}"#,
            #"{"id": "5", "entityLink": "<#E::table::svc.DB.S.T7>", "type": "UPDATE_TAGS", "parameters": {"addedTags": [\#(tag("PII.A")), \#(tag("PII.B"))]}}"#,
            description(6, "T5"),
        ]
        let doc = #"{"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-000000000001", "type": "databaseService", "name": "svc"}, "operations": [\#(ops.joined(separator: ","))]}"#
        return try PipelineReader.read(Data(doc.utf8))
    }

    func sql(_ calls: [RecordingExecutor.Call]) -> [[String]] {
        calls.map {
            switch $0 {
            case .execute(let s): return ["execute", s]
            case .executeAll(let s): return ["executeAll"] + s
            }
        }
    }

    func testSingleStatementOperationsAreBatchedAndMultiStepOperationsStopAtTheirFailure() throws {
        let executor = RecordingExecutor { $0.contains("T2") || $0.contains("UNSET") }
        let runner = Runner(planner: Planner(connector: Connectors.connector(.snowflake)), mode: .execute(openSession: { executor }))
        runner.firstBatchSize = 256
        var progress: [Int] = []
        runner.progress = { done, total in XCTAssertEqual(total, 7); progress.append(done) }
        let outcome = runner.run(try pipeline())

        // Calls: the batch before the multi-step operation, the multi-step operation's first
        // statement only (it failed: its addition never runs), then the rest in one batch.
        // The failed plans (4, 5) execute nothing.
        XCTAssertEqual(executor.calls.count, 3, "\(executor.calls)")
        guard executor.calls.count == 3,
              case .executeAll(let first) = executor.calls[0],
              case .execute(let removal) = executor.calls[1],
              case .executeAll(let last) = executor.calls[2] else { return XCTFail("\(executor.calls)") }
        XCTAssertEqual(first.count, 2)
        XCTAssertTrue(first[0].contains("T1") && first[1].contains("T2"), "\(first)")
        XCTAssertTrue(removal.contains("UNSET") && removal.contains("T3"), removal)
        XCTAssertEqual(last.count, 2)
        XCTAssertTrue(last[0].contains("T4") && last[1].contains("T5"), "\(last)")
        XCTAssertFalse(sql(executor.calls).joined().contains { $0.contains("T6") || $0.contains("T7") || $0.contains("SET TAG DB.S.PII =") })
        XCTAssertTrue(executor.closed)

        // Results: one per operation, in the operations' order.
        let results = outcome.response.results
        XCTAssertEqual(results.map(\.id), ["0", "1", "2", "3", "4", "5", "6"])
        XCTAssertEqual(results.map(\.success), [true, false, false, true, false, false, true])
        XCTAssertTrue(results[1].message?.contains("refused") ?? false, results[1].message ?? "")
        XCTAssertTrue(results[2].message?.contains("statement 1 of 2; 0 applied before it") ?? false, results[2].message ?? "")
        XCTAssertTrue(results[4].message?.contains("team owner") ?? false, results[4].message ?? "")
        XCTAssertTrue(results[5].message?.contains("ambiguous") ?? false, results[5].message ?? "")
        XCTAssertEqual(outcome.operations.map(\.id), results.map(\.id))
        XCTAssertEqual(outcome.operations.map(\.success), results.map(\.success))

        // Progress: after each batch and after the operation run on its own.
        XCTAssertEqual(progress, [2, 3, 7])
    }

    func testBatchesAreSplitAtTheBatchSize() throws {
        let executor = RecordingExecutor { _ in false }
        let runner = Runner(planner: Planner(connector: Connectors.connector(.snowflake)), mode: .execute(openSession: { executor }))
        runner.batchSize = 3
        runner.firstBatchSize = 256
        var progress: [Int] = []
        runner.progress = { done, _ in progress.append(done) }
        let ops = (0..<7).map { description($0, "T\($0)") }
        let doc = #"{"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-000000000001", "type": "databaseService", "name": "svc"}, "operations": [\#(ops.joined(separator: ","))]}"#
        let outcome = runner.run(try PipelineReader.read(Data(doc.utf8)))
        XCTAssertEqual(sql(executor.calls).map { $0.count - 1 }, [3, 3, 1])
        XCTAssertEqual(progress, [3, 6, 7])
        XCTAssertEqual(outcome.response.results.map(\.id), (0..<7).map(String.init))
        XCTAssertTrue(outcome.response.results.allSatisfy(\.success))
    }

    func testAnExecutorWithoutPipeliningRunsStatementsOneByOneAsBefore() throws {
        let executor = OneByOneExecutor()
        let runner = Runner(planner: Planner(connector: Connectors.connector(.snowflake)), mode: .execute(openSession: { executor }))
        let outcome = runner.run(try pipeline())
        XCTAssertEqual(executor.executed.count, 5, "\(executor.executed)")
        XCTAssertEqual(executor.executed.map { ["T1", "T2", "T3", "T4", "T5"].first(where: $0.contains) }, ["T1", "T2", "T3", "T4", "T5"])
        XCTAssertEqual(outcome.response.results.map(\.success), [true, false, false, true, false, false, true])
    }

    func testDryRunExecutesNothingAndLogsEveryStatement() throws {
        var log: [String] = []
        let runner = Runner(planner: Planner(connector: Connectors.connector(.snowflake)), mode: .dryRun(log: { log.append($0) }))
        let outcome = runner.run(try pipeline())
        XCTAssertEqual(log.count, 6)  // 4 descriptions + removal and addition of operation 2
        XCTAssertEqual(outcome.response.results.map(\.success), [true, true, true, true, false, false, true])
        XCTAssertTrue(outcome.response.results[2].message?.contains("dry run: 2 statements planned") ?? false)
    }
}
