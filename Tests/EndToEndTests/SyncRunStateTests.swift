import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Runs on one state directory, through the binary, with no database: concurrent runs each get
/// their record, overlapping runs of one pipeline apply it once, `TEMPLATEC_STATE_DIR` is honoured,
/// and the output format and progress lines are decided by what was given, not by what happened.
final class SyncRunStateTests: XCTestCase {
    var state: StateDirectory!
    var files: [URL] = []

    override func setUp() { state = StateDirectory() }

    override func tearDown() {
        state.remove()
        for f in files { try? FileManager.default.removeItem(at: f) }
    }

    func pipeline(_ count: Int, tag: String = "") throws -> String {
        let file = try RunnerDatabases.pipelineFile((0..<count).map { "<#E::table::pg.db\(tag).s.t\($0)>" })
        files.append(file)
        return file.path
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var e = ProcessInfo.processInfo.environment
        e.removeValue(forKey: "TEMPLATEC_STATE_DIR")
        for (k, v) in extra { e[k] = v }
        return e
    }

    func testSixtyConcurrentRunsGiveSixtyRecords() throws {
        let file = try pipeline(2)
        let runs = try (0..<60).map { _ in
            try BackgroundSync(["sync", file, "--connector", "postgres", "--dry-run"], environment: environment(["TEMPLATEC_STATE_DIR": state.path]))
        }
        for run in runs { XCTAssertEqual(run.wait().status, 0) }
        XCTAssertEqual(state.files(".json").count, 60, "run ids never collide, even at one PID and one millisecond")
        XCTAssertEqual(state.files(".journal"), [])
    }

    func testOverlappingRunsOfOnePipelineApplyItOnce() throws {
        let file = try pipeline(3)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("runner-applied-\(UUID().uuidString)")
        files.append(log)
        // Each statement takes a second: the first run holds the pipeline while the others start.
        let connection = "command:sleep 1; cat >> '\(log.path)'"
        let args = ["sync", file, "--connector", "postgres", "--connection", connection, "--state-dir", state.path]
        let first = try BackgroundSync(args, environment: environment())
        let locks = state.path + "/locks"
        XCTAssertTrue(BackgroundSync.until(30) {
            ((try? FileManager.default.contentsOfDirectory(atPath: locks)) ?? []).contains {
                ((try? String(contentsOfFile: locks + "/" + $0, encoding: .utf8)) ?? "").isEmpty == false
            }
        }, "the first run holds its pipeline's lock")
        let runs = try [first] + (0..<3).map { _ in try BackgroundSync(args, environment: environment()) }
        let ends = runs.map { $0.wait() }
        let applied = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        XCTAssertEqual(applied.components(separatedBy: "COMMENT ON TABLE").count - 1, 3, "each statement once: \(applied)")
        XCTAssertEqual(ends.filter { $0.status == 0 }.count, 1, ends.map(\.stderr).joined())
        for end in ends where end.status != 0 {
            XCTAssertEqual(end.status, 1)
            let results = SyncE2E.results(try SyncE2E.responses(end.stdout)[0])
            XCTAssertEqual(results.count, 3)
            XCTAssertTrue(results.allSatisfy { !$0.success && $0.message?.contains("is applying this same pipeline") == true }, "\(results)")
        }
        XCTAssertEqual(state.files(".json").count, 4, "the refused runs are recorded too")
        // Once the first run has ended, the pipeline may be applied again.
        let again = try SyncE2E.run(["sync", file, "--connector", "postgres", "--connection", connection, "--state-dir", state.path], environment: environment())
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    func testSyncHonoursTEMPLATECSTATEDIRAndRunsReadsIt() throws {
        let r = try SyncE2E.run(["sync", try pipeline(1), "--connector", "postgres"], environment: environment(["TEMPLATEC_STATE_DIR": state.path]))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(state.files(".json").count, 1)
        let runs = try SyncE2E.run(["runs", "last"], environment: environment(["TEMPLATEC_STATE_DIR": state.path]))
        XCTAssertEqual(runs.status, 0)
        XCTAssertTrue(runs.stdout.contains("(dry run)"), runs.stdout)
    }

    func testTheNumberOfFilesGivenDecidesTheFormat() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("runner-missing-\(UUID().uuidString).json").path
        // Two files given, one unreadable: JSON lines (one line), exit 2 for the unusable input.
        let two = try SyncE2E.run(["sync", try pipeline(1), missing, "--connector", "postgres"], environment: environment())
        XCTAssertEqual(two.status, 2)
        let lines = two.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, two.stdout)
        XCTAssertTrue(lines.first?.hasPrefix("{\"serviceId\"") == true, two.stdout)
        // One file: one pretty document.
        let one = try SyncE2E.run(["sync", try pipeline(1), "--connector", "postgres"], environment: environment())
        XCTAssertTrue(one.stdout.hasPrefix("{\n"), one.stdout)
    }

    func testProgressOffATerminalIsWholeLinesEndingWithANewline() throws {
        let r = try SyncE2E.run(["sync", try pipeline(5), "--connector", "postgres", "--progress"], environment: environment())
        XCTAssertEqual(r.status, 0)
        let progress = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix("sync: ") }
        XCTAssertFalse(r.stderr.contains("\r"), "no carriage returns off a terminal")
        XCTAssertEqual(progress.last?.hasPrefix("sync: 5/5 operations"), true, r.stderr)
        XCTAssertTrue(r.stderr.contains("operations, ") && r.stderr.hasSuffix("\n"), r.stderr)
    }

    func testCtrlCStopsInOrderAndEndsBySIGINT() throws {
        let file = try pipeline(20)
        let sync = try BackgroundSync(["sync", file, "--connector", "postgres", "--connection", "command:sleep 0.2; cat > /dev/null",
                                       "--state-dir", state.path], environment: environment())
        XCTAssertTrue(BackgroundSync.until(30) { state.journalHasResults })
        sync.process.interrupt()
        let end = sync.wait()
        XCTAssertTrue(end.bySignal)
        XCTAssertEqual(end.status, SIGINT)
        let results = SyncE2E.results(try SyncE2E.responses(end.stdout)[0])
        XCTAssertEqual(results.count, 20)
        let ran = results.filter(\.success).count
        XCTAssertGreaterThan(ran, 0)
        XCTAssertTrue(results.dropFirst(ran).allSatisfy { $0.message?.hasPrefix("not run: the run was stopped (SIGINT)") == true }, "\(results)")
        XCTAssertEqual(try state.onlyRecord()["stoppedBy"] as? String, "SIGINT")
    }

    func testAKilledRunLeavesAJournalThatRunsShowsAsInterrupted() throws {
        let file = try pipeline(20)
        let sync = try BackgroundSync(["sync", file, "--connector", "postgres", "--connection", "command:sleep 0.2; cat > /dev/null",
                                       "--state-dir", state.path], environment: environment())
        XCTAssertTrue(BackgroundSync.until(30) { state.journalHasResults })
        let running = try SyncE2E.run(["runs", "--state-dir", state.path], environment: environment())
        XCTAssertTrue(running.stdout.contains("running: read from its journal"), running.stdout)
        kill(sync.process.processIdentifier, SIGKILL)
        _ = sync.wait()
        XCTAssertEqual(state.files(".json"), [], "a killed run writes no record")
        let list = try SyncE2E.run(["runs", "--state-dir", state.path], environment: environment())
        XCTAssertTrue(list.stdout.contains("interrupted"), list.stdout)
        let shown = try SyncE2E.run(["runs", "--state-dir", state.path, "last"], environment: environment())
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("the run ended without finishing this pipeline"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("ok   00000000-0000-4000-8000-000000000000"), shown.stdout)
    }

    func testParallelIsForTheServicesThatRunStatementsAtOnce() throws {
        let file = try pipeline(1)
        let postgres = try SyncE2E.run(["sync", file, "--connector", "postgres", "--connection", "postgresql://u@127.0.0.1:1/db", "--parallel", "8"], environment: environment())
        XCTAssertEqual(postgres.status, 2)
        XCTAssertTrue(postgres.stderr.contains("--parallel is for Trino, Databricks, Snowflake and ClickHouse"), postgres.stderr)
        let zero = try SyncE2E.run(["sync", file, "--connector", "trino", "--connection", "trino://127.0.0.1:1", "--parallel", "0"], environment: environment())
        XCTAssertEqual(zero.status, 2)
        XCTAssertTrue(zero.stderr.contains("from 1 to 64"), zero.stderr)
        let dry = try SyncE2E.run(["sync", file, "--connector", "postgres", "--dry-run", "--parallel", "8"], environment: environment())
        XCTAssertEqual(dry.status, 0, "a dry run accepts it: --dry-run can be added to any command")
    }
}
