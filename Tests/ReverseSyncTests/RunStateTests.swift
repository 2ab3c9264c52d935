import Foundation
import XCTest
@testable import ReverseSync

/// Run ids, the journal and the pipeline lock: the state directory's guarantees when runs overlap
/// or die.
final class RunStateTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("runner-state-\(UUID().uuidString)").path
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    func record(_ id: String, success: Bool = true, message: String? = nil) -> OperationRecord {
        var r = OperationRecord(notRun: try! PipelineReader.read(Data(#"{"type": "ReverseIngestion", "service": {"id": "s", "type": "databaseService"}, "operations": [{"id": "x", "entityLink": "<#E::table::s.d.c.t>", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "x"}}]}"#.utf8)).operations[0], reason: "")
        r.notRun = nil
        r.id = id
        r.success = success
        r.message = message
        r.statements = 1
        return r
    }

    func testRunIDsAreUniqueWithinOneMillisecondAndOneProcess() throws {
        let now = Date()
        let ids = (0..<2000).map { _ in RunStore.newID(now) }
        XCTAssertEqual(Set(ids).count, ids.count, "no PID in the id: in containers every process is PID 1")
        XCTAssertTrue(ids.allSatisfy { $0.hasPrefix(String(ids[0].prefix(19))) })
        // Journals reserve their ids: a hundred runs started in the same instant get a hundred.
        let store = RunStore(stateDirectory: dir)
        let journals = try (0..<100).map { _ in try RunJournal(store: store, connector: "postgres", dryRun: false, start: now) }
        XCTAssertEqual(Set(journals.map(\.id)).count, 100)
        XCTAssertEqual(store.ids().count, 100)
    }

    func testAJournalWithoutARecordReadsAsARunningOrInterruptedRun() throws {
        let store = RunStore(stateDirectory: dir)
        var journal: RunJournal? = try RunJournal(store: store, connector: "postgres", dryRun: false, start: Date())
        let id = journal!.id
        journal!.pipelineStarted(0, file: "p.json", serviceId: "s", serviceName: "svc", operations: 3, start: Date())
        journal!.record(pipeline: 0, index: 0, record("a"))
        journal!.record(pipeline: 0, index: 1, record("b\"\n\u{1}", success: false, message: "ERROR: \"quoted\"\nsecond line"))
        journal!.sync()
        var running = try store.load(id)
        XCTAssertEqual(running.state, .running, "its process still holds the journal's lock")
        XCTAssertEqual(running.pipelines[0].operations.map(\.id), ["a", "b\"\n\u{1}"])
        XCTAssertEqual(running.pipelines[0].operations[1].message, "ERROR: \"quoted\"\nsecond line")
        XCTAssertTrue(running.pipelines[0].message?.contains("2 of 3 operations have a result; 1 have none") == true, running.pipelines[0].message ?? "")

        // The process dies: the lock goes with it, and a line cut in the middle is skipped.
        let url = journal!.url
        journal = nil
        let handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        handle.write(Data(#"{"op":{"p":0,"i":2,"record":{"id":"c","ent"#.utf8))
        try handle.close()
        running = try store.load(id)
        XCTAssertEqual(running.state, .interrupted)
        XCTAssertEqual(running.operationCount, 2)
        XCTAssertEqual(store.ids(), [id])
    }

    func testAFinishedRunKeepsItsRecordAndDropsItsJournal() throws {
        let store = RunStore(stateDirectory: dir)
        let journal = try RunJournal(store: store, connector: "postgres", dryRun: false, start: Date())
        journal.pipelineStarted(0, file: "p.json", serviceId: nil, serviceName: nil, operations: 1, start: Date())
        journal.record(pipeline: 0, index: 0, record("a"))
        journal.pipelineEnded(0, success: true, message: nil, end: Date())
        try store.save(RunRecord(id: journal.id, connector: "postgres", dryRun: false, start: Date(), end: Date(),
                                 pipelines: [.init(file: "p.json", serviceId: nil, serviceName: nil, success: true, message: nil, start: nil, end: nil, operations: [record("a")])]))
        journal.remove()
        XCTAssertFalse(FileManager.default.fileExists(atPath: journal.url.path))
        XCTAssertNil(try store.load(journal.id).state)
    }

    func testAPipelineLockIsRefusedWhileHeldAndFreeAfter() throws {
        let key = Array("postgres postgresql://h/db\0{pipeline}".utf8)
        let first = try PipelineLock(stateDirectory: dir, key: key, runID: "run-1")
        XCTAssertThrowsError(try PipelineLock(stateDirectory: dir, key: key, runID: "run-2")) { error in
            guard case PipelineLock.Failure.held(let holder) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(holder, "run-1")
        }
        // Another pipeline, or the same one elsewhere, is not held.
        let other = try PipelineLock(stateDirectory: dir, key: key + [1], runID: "run-3")
        other.release()
        first.release()
        let again = try PipelineLock(stateDirectory: dir, key: key, runID: "run-4")
        again.release()
        XCTAssertNotEqual(PipelineLock.digest([1, 2]), PipelineLock.digest([2, 1]))
        XCTAssertEqual(PipelineLock.digest([]).count, 32)
    }
}
