import Foundation
import XCTest

/// A `templatec sync` running in the background, for tests that signal it or act on the database
/// while it runs; and the state directory it records in.
final class BackgroundSync {
    let process = Process()
    private let group = DispatchGroup()
    private final class Box: @unchecked Sendable { var data = Data() }
    private let out = Box(), err = Box()

    init(_ args: [String], environment: [String: String]? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: TemplatecBinary.path) else {
            throw XCTSkip("build templatec first (swift build): \(TemplatecBinary.path)")
        }
        process.executableURL = TemplatecBinary.url
        process.arguments = args
        if let environment { process.environment = environment }
        let o = Pipe(), e = Pipe()
        process.standardOutput = o
        process.standardError = e
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let oh = o.fileHandleForReading, eh = e.fileHandleForReading
        let (ob, eb) = (out, err)
        group.enter(); DispatchQueue.global().async { [group] in ob.data = oh.readDataToEndOfFile(); group.leave() }
        group.enter(); DispatchQueue.global().async { [group] in eb.data = eh.readDataToEndOfFile(); group.leave() }
    }

    /// Waits for the end: (exit status or signal number, whether it ended by a signal, stdout, stderr).
    func wait() -> (status: Int32, bySignal: Bool, stdout: String, stderr: String) {
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal,
                String(decoding: out.data, as: UTF8.self), String(decoding: err.data, as: UTF8.self))
    }

    /// Waits (at most `seconds`) until `condition` holds; false when it never did.
    static func until(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }
}

/// A state directory of a test's own, and what the runs recorded in it.
struct StateDirectory {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("runner-state-\(UUID().uuidString)").path
    var runs: String { path + "/runs" }

    func files(_ suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []).filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
    }

    /// Whether a journal has at least one operation's result in it.
    var journalHasResults: Bool {
        files(".journal").contains { (try? String(contentsOfFile: runs + "/" + $0, encoding: .utf8))?.contains(#"{"op":"#) == true }
    }

    /// The single run record, as JSON.
    func onlyRecord() throws -> [String: Any] {
        let records = files(".json")
        guard records.count == 1 else { throw NSError(domain: "runs", code: 1, userInfo: [NSLocalizedDescriptionKey: "expected one record, found \(records)"]) }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: runs + "/" + records[0]))) as! [String: Any]
    }

    /// The operations of a record's pipelines, in order.
    static func operations(_ record: [String: Any]) -> [[String: Any]] {
        ((record["pipelines"] as? [[String: Any]]) ?? []).flatMap { ($0["operations"] as? [[String: Any]]) ?? [] }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
