import XCTest
@testable import ReverseSync
import TemplateCompiler

/// The runner's promises beyond batching: each operation goes to the session of the database its
/// entity names (or is refused, with nothing executed), and every operation is accounted for,
/// exactly once and as soon as known, also when the run is stopped midway.
final class RunnerAccountingTests: XCTestCase {
    static func pipeline(_ links: [String]) throws -> ReverseIngestionPipeline {
        let ops = links.enumerated().map { i, link in
            #"{"id": "\#(i)", "entityLink": "\#(link)", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "d\#(i)"}}"#
        }
        let doc = #"{"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-000000000001", "type": "databaseService", "name": "pg"}, "operations": [\#(ops.joined(separator: ","))]}"#
        return try PipelineReader.read(Data(doc.utf8))
    }

    let postgres = Planner(connector: Connectors.connector(.postgres))

    func testAConnectionWithADatabaseServesOnlyThatOne() throws {
        let executor = RecordingExecutor { _ in false }
        var opened: [String?] = []
        let router = SessionRouter(serving: .only("templatec")) { database in opened.append(database); return executor }
        let runner = Runner(planner: postgres, mode: .execute(sessions: router))
        let outcome = runner.run(try Self.pipeline(["<#E::table::pg.templatec.sync.orders>", "<#E::table::pg.otherdb.sync.orders>",
                                                    "<#E::databaseSchema::pg.templatec.sync>"]))
        let executed = sql(executor.calls).flatMap { $0.dropFirst() }
        XCTAssertEqual(executed.count, 2, "\(executed)")
        XCTAssertFalse(executed.contains { $0.contains("d1") }, "nothing of the other database's operation runs")
        XCTAssertEqual(opened, [nil], "the connection as given")
        let results = outcome.response.results
        XCTAssertEqual(results.map(\.success), [true, false, true])
        let message = try XCTUnwrap(results[1].message)
        XCTAssertTrue(message.contains("`otherdb`") && message.contains("`templatec`") && message.contains("nothing of it was executed"), message)
        XCTAssertEqual(outcome.response.success, true, "a refused entity is that operation's failure, not the pipeline's")
    }

    func testAConnectionWithoutADatabaseOpensOneSessionPerDatabaseInOrder() throws {
        var sessions: [String: RecordingExecutor] = [:]
        var order: [String] = []
        let router = SessionRouter(serving: .each) { database in
            let name = try XCTUnwrap(database)
            order.append(name)
            let e = RecordingExecutor { _ in false }
            sessions[name] = e
            return e
        }
        let runner = Runner(planner: postgres, mode: .execute(sessions: router))
        runner.firstBatchSize = 256
        let outcome = runner.run(try Self.pipeline(["<#E::table::pg.a.s.t1>", "<#E::table::pg.a.s.t2>", "<#E::table::pg.b.s.t3>",
                                                    "<#E::table::pg.a.s.t4>", "<#E::database::pg.b>"]))
        XCTAssertEqual(order, ["a", "b"], "one session per database, opened once")
        // A batch holds one session's statements: the switch to b and back to a splits it, so
        // operations keep their order.
        XCTAssertEqual(sql(sessions["a"]!.calls).map { $0.count - 1 }, [2, 1])
        XCTAssertEqual(sql(sessions["b"]!.calls).map { $0.count - 1 }, [1, 1])
        XCTAssertTrue(sql(sessions["b"]!.calls).joined().contains { $0.contains("COMMENT ON DATABASE b") })
        XCTAssertTrue(outcome.response.results.allSatisfy(\.success))
        XCTAssertTrue(sessions.values.allSatisfy(\.closed))
    }

    func testADatabaseThatCannotBeReachedFailsOnlyItsOperations() throws {
        let good = RecordingExecutor { _ in false }
        let router = SessionRouter(serving: .each) { database in
            if database == "gone" { throw ConnectionError(.connectionFailed, "database \"gone\" does not exist") }
            return good
        }
        let runner = Runner(planner: postgres, mode: .execute(sessions: router))
        let outcome = runner.run(try Self.pipeline(["<#E::table::pg.gone.s.t1>", "<#E::table::pg.here.s.t2>", "<#E::table::pg.gone.s.t3>"]))
        XCTAssertEqual(outcome.response.results.map(\.success), [false, true, false])
        XCTAssertEqual(outcome.response.success, false)
        XCTAssertTrue(outcome.response.message?.contains("could not connect to database `gone`") == true, outcome.response.message ?? "")
        XCTAssertTrue(outcome.response.results[2].message?.hasPrefix("not applied: could not connect") == true)
    }

    func testTheFoldingServicesCompareDatabaseNamesWithoutCase() throws {
        let executor = RecordingExecutor { _ in false }
        let router = try ConnectionURL.parse("snowflake+http://127.0.0.1:1/SALES").router { _ in executor }
        let runner = Runner(planner: Planner(connector: Connectors.connector(.snowflake)), mode: .execute(sessions: router))
        let outcome = runner.run(try Self.pipeline(["<#E::table::pg.sales.s.t>", "<#E::table::pg.OTHER.s.t>"]))
        XCTAssertEqual(outcome.response.results.map(\.success), [true, false])
    }

    func testRoutersFromConnectionURLs() throws {
        XCTAssertEqual(try ConnectionURL.parse("postgresql://u@h:5432/templatec").router { _ in RecordingExecutor { _ in false } }.serving, .only("templatec"))
        XCTAssertEqual(try ConnectionURL.parse("postgresql://u@h:5432/").router { _ in RecordingExecutor { _ in false } }.serving, .each)
        XCTAssertEqual(try ConnectionURL.parse("trino://h/hive/sales").router { _ in RecordingExecutor { _ in false } }.serving, .only("hive"))
        XCTAssertEqual(try ConnectionURL.parse("trino://h").router { _ in RecordingExecutor { _ in false } }.serving, .each)
        XCTAssertEqual(try ConnectionURL.parse("databricks://h/wh?catalog=main").router { _ in RecordingExecutor { _ in false } }.serving, .only("main"))
        XCTAssertEqual(try ConnectionURL.parse("databricks://h/wh").router { _ in RecordingExecutor { _ in false } }.serving, .each)
        XCTAssertEqual(try ConnectionURL.parse("command:cat").router { _ in RecordingExecutor { _ in false } }.serving, .any)
        // The spec for another database keeps everything else.
        let spec = try ConnectionURL.parse("postgresql://u:pw@h:5433/?connect_timeout=3")
        let other = spec.serving("otherdb")
        XCTAssertEqual(other.database, "otherdb")
        XCTAssertEqual(other.password, "pw")
        XCTAssertEqual(other.options["connect_timeout"], "3")
        XCTAssertEqual(try ConnectionURL.parse("snowflake+http://h:1/A/B").serving("C").path, ["C"])
        XCTAssertEqual(try ConnectionURL.parse("databricks://h/wh").serving("main").options["catalog"], "main")
    }

    func testTheMySQLPseudoDatabaseDefaultIsNeverATarget() throws {
        let executor = RecordingExecutor { _ in false }
        let planner = Planner(connector: Connectors.connector(.mysql))
        let runner = Runner(planner: planner, mode: .execute(openSession: { executor }))
        var ops = try Self.pipeline(["<#E::database::pg.default>", "<#E::table::pg.default.shop.orders>"])
        ops.operations[0].sqlTemplate = "ALTER DATABASE {database} COMMENT = {description};"
        let outcome = runner.run(ops)
        XCTAssertEqual(outcome.response.results.map(\.success), [false, true])
        // The planner refuses it (EntityNames): `default` stands for the whole server.
        XCTAssertTrue(outcome.response.results[0].message?.contains("`default`") == true, outcome.response.results[0].message ?? "")
        XCTAssertFalse(sql(executor.calls).joined().contains { $0.contains("`default`") || $0.contains("DATABASE default") })
    }

    // MARK: accounting

    func testAStopFinishesWhatWasSentAndAnswersTheRestAsNotRun() throws {
        let executor = RecordingExecutor { _ in false }
        let runner = Runner(planner: postgres, mode: .execute(openSession: { executor }))
        runner.batchSize = 2
        var journal: [Int] = []
        runner.onRecord = { index, _ in journal.append(index) }
        var executedBeforeStop = 0
        runner.stopRequested = {
            let sent = executor.calls.count
            executedBeforeStop = sent
            return sent >= 2 ? "SIGTERM" : nil
        }
        let links = (0..<9).map { "<#E::table::pg.db.s.t\($0)>" }
        let outcome = runner.run(try Self.pipeline(links + ["<#E::table::pg.db>"]))
        let sent = sql(executor.calls).flatMap { $0.dropFirst() }
        XCTAssertEqual(executor.calls.count, executedBeforeStop, "nothing is sent after the stop")
        XCTAssertEqual(sent.count, 3, "batches of 1, then 2: \(sent)")
        let results = outcome.response.results
        XCTAssertEqual(results.count, 10)
        XCTAssertEqual(results.map(\.id), (0..<10).map(String.init))
        XCTAssertEqual(results.prefix(3).map(\.success), [true, true, true])
        XCTAssertTrue(results.dropFirst(3).allSatisfy { !$0.success })
        XCTAssertTrue(results.dropFirst(3).allSatisfy { $0.message?.hasPrefix("not run: the run was stopped (SIGTERM)") == true }, "\(results)")
        XCTAssertEqual(outcome.operations.filter { $0.notRun == true }.count, 7)
        XCTAssertEqual(outcome.stopped, "SIGTERM")
        XCTAssertEqual(outcome.response.success, false)
        XCTAssertTrue(outcome.response.message?.contains("stopped (SIGTERM) after 3 of 10 operations; the other 7 were not run") == true, outcome.response.message ?? "")
        XCTAssertEqual(journal.sorted(), Array(0..<10), "each operation reaches the journal exactly once")
    }

    func testEveryResultReachesTheJournalBeforeTheRunEnds() throws {
        let executor = RecordingExecutor { $0.contains("t3") }
        let runner = Runner(planner: postgres, mode: .execute(openSession: { executor }))
        var journal: [(Int, Bool)] = []
        var batchEnds = 0
        runner.onRecord = { index, record in journal.append((index, record.success)) }
        runner.onBatchEnd = { batchEnds += 1 }
        let outcome = runner.run(try Self.pipeline((0..<50).map { "<#E::table::pg.db.s.t\($0)>" }))
        XCTAssertEqual(journal.map(\.0), Array(0..<50))
        XCTAssertEqual(journal.map(\.1), outcome.response.results.map(\.success))
        // Batches of 1, 4, 16, then the rest: the rate is measured from the first statement.
        XCTAssertEqual(sql(executor.calls).map { $0.count - 1 }.prefix(3), [1, 4, 16])
        XCTAssertEqual(batchEnds, executor.calls.count)
    }

    func testAStoppedDryRunAnswersEveryOperation() throws {
        var planned = 0
        let runner = Runner(planner: postgres, mode: .dryRun(log: { _ in planned += 1 }))
        runner.stopRequested = { planned >= 2 ? "SIGINT" : nil }
        let outcome = runner.run(try Self.pipeline((0..<5).map { "<#E::table::pg.db.s.t\($0)>" }))
        XCTAssertEqual(outcome.response.results.count, 5)
        XCTAssertEqual(outcome.operations.map { $0.notRun ?? false }, [false, false, true, true, true])
    }

    func sql(_ calls: [RecordingExecutor.Call]) -> [[String]] {
        calls.map {
            switch $0 {
            case .execute(let s): return ["execute", s]
            case .executeAll(let s): return ["executeAll"] + s
            }
        }
    }
}
