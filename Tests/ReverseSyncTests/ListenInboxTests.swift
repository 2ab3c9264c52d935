import XCTest
@testable import ReverseSync

/// The inbox: durable before the answer, pending again after a restart, a torn tail cut off.
final class ListenInboxTests: XCTestCase {
    private func directory() -> String {
        let d = NSTemporaryDirectory() + "listen-inbox-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: d) }
        return d
    }

    func testPendingSurvivesARestartAndAppliedDoesNot() throws {
        let dir = directory()
        do {
            let inbox = try Inbox(directory: dir)
            for i in 1...5 { XCTAssertEqual(try inbox.append(Array("body \(i)\nwith newline".utf8)), UInt64(i)) }
            try inbox.markApplied(through: 2)
            XCTAssertEqual(inbox.pendingCount, 3)
        }
        let again = try Inbox(directory: dir)
        let pending = again.next(limit: 10, timeout: 0)
        XCTAssertEqual(pending.map(\.sequence), [3, 4, 5])
        XCTAssertEqual(pending.first?.body, Array("body 3\nwith newline".utf8))
        // Sequences go on after the restart.
        XCTAssertEqual(try again.append([1]), 6)
    }

    func testTornTailIsCutOff() throws {
        let dir = directory()
        do {
            let inbox = try Inbox(directory: dir)
            try inbox.append(Array("one".utf8))
            try inbox.append(Array("two".utf8))
        }
        // A crash in the middle of the third write: never answered 200.
        let handle = FileHandle(forWritingAtPath: dir + "/inbox.log")!
        handle.seekToEndOfFile()
        handle.write(Data("event 3 100\n{\"partial".utf8))
        handle.closeFile()
        let inbox = try Inbox(directory: dir)
        XCTAssertEqual(inbox.next(limit: 10, timeout: 0).map(\.sequence), [1, 2])
        XCTAssertEqual(try inbox.append(Array("three".utf8)), 3)
        let reread = try Inbox(directory: dir)
        XCTAssertEqual(reread.next(limit: 10, timeout: 0).map { String(decoding: $0.body, as: UTF8.self) }, ["one", "two", "three"])
    }

    func testConcurrentAppendsAllDurableInOrder() throws {
        let dir = directory()
        let inbox = try Inbox(directory: dir)
        DispatchQueue.concurrentPerform(iterations: 200) { i in _ = try? inbox.append(Array("e\(i)".utf8)) }
        let pending = inbox.next(limit: 1000, timeout: 0)
        XCTAssertEqual(pending.map(\.sequence), (1...200).map(UInt64.init))
        XCTAssertEqual(Set(pending.map { String(decoding: $0.body, as: UTF8.self) }).count, 200)
        let reread = try Inbox(directory: dir)
        XCTAssertEqual(reread.pendingCount, 200)
    }

    func testCompactionWhenAllApplied() throws {
        let dir = directory()
        let inbox = try Inbox(directory: dir)
        inbox.compactAbove = 10
        try inbox.append(Array("0123456789abcdef".utf8))
        try inbox.markApplied(through: 1)
        let size = try FileManager.default.attributesOfItem(atPath: dir + "/inbox.log")[.size] as? Int
        XCTAssertEqual(size, 0)
        XCTAssertEqual(try Inbox(directory: dir).append([1]), 2)
    }

    func testTransientFailureKinds() {
        XCTAssertEqual(TransientFailure.kind(of: "cannot connect to PostgreSQL at 127.0.0.1:1 …"), .connection)
        XCTAssertEqual(TransientFailure.kind(of: "PostgreSQL session with 127.0.0.1:5432 ended: psql exited"), .connection)
        XCTAssertEqual(TransientFailure.kind(of: "ERROR:  canceling statement due to lock timeout"), .lock)
        XCTAssertEqual(TransientFailure.kind(of: "ERROR 1205 (HY000): Lock wait timeout exceeded; try restarting transaction"), .lock)
        XCTAssertNil(TransientFailure.kind(of: "ERROR:  permission denied for table t"))
        XCTAssertNil(TransientFailure.kind(of: "ERROR:  relation \"x\" does not exist"))
        XCTAssertNil(TransientFailure.kind(of: nil))
    }
}
