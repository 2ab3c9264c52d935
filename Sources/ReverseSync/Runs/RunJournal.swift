import Foundation
import TemplateCompiler
#if canImport(Glibc)
import Glibc
#endif

/// The results of a run as they happen: `<state-dir>/runs/<id>.journal`, JSON lines, appended after
/// each batch and synced to disk.
///
/// A run that ends normally writes its record (`<id>.json`) and removes its journal. A run that is
/// killed (SIGKILL, a second Ctrl-C, a crash, the machine stopped) leaves its journal: every result
/// that was known is in it, so `templatec runs` shows what was applied and which operations have no
/// result. The journal is also what reserves a run id: it is created with `O_EXCL`, so two runs can
/// never get the same id, and it is locked (`flock`) while its run lives, so `runs` can tell a run
/// still going from one that was killed.
///
/// Lines: `{"run": {…}}` first; per pipeline `{"pipeline": {…}}`, one `{"op": {…}}` per operation
/// (`p`: the pipeline's index, `i`: the operation's), and `{"end": {…}}` when the pipeline ends.
public final class RunJournal {
    public let id: String
    public let url: URL
    private let fd: Int32
    private var pending: [UInt8] = []

    public struct Head: Codable, Sendable {
        public var id: String
        public var connector: String
        public var dryRun: Bool
        public var start: Double
        public var pid: Int32
    }

    public struct PipelineHead: Codable, Sendable {
        public var p: Int
        public var file: String
        public var serviceId: String?
        public var serviceName: String?
        public var operations: Int
        public var start: Double
    }

    public struct PipelineEnd: Codable, Sendable {
        public var p: Int
        public var success: Bool?
        public var message: String?
        public var end: Double
    }

    public struct OperationLine: Codable, Sendable {
        public var p: Int
        public var i: Int
        public var record: OperationRecord
    }

    struct Line: Codable {
        var run: Head?
        var pipeline: PipelineHead?
        var op: OperationLine?
        var end: PipelineEnd?
    }

    /// Creates the journal of a new run, with an id no other run has (see `RunStore.newID`).
    public init(store: RunStore, connector: String, dryRun: Bool, start: Date) throws {
        try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
        var attempt = 0
        while true {
            let candidate = RunStore.newID(start)
            let path = store.directory.appendingPathComponent(candidate + ".journal")
            let opened = open(path.path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
            if opened >= 0 {
                id = candidate
                url = path
                fd = opened
                break
            }
            attempt += 1
            guard errno == EEXIST, attempt < 100 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path.path, NSLocalizedDescriptionKey: "cannot create the run journal \(path.path): \(String(cString: strerror(errno)))"])
            }
        }
        _ = flock(fd, LOCK_EX)
        append(Line(run: Head(id: id, connector: connector, dryRun: dryRun, start: start.timeIntervalSince1970, pid: getpid())))
        sync()
    }

    deinit { Glibc.close(fd) }

    public func pipelineStarted(_ index: Int, file: String, serviceId: String?, serviceName: String?, operations: Int, start: Date) {
        append(Line(pipeline: PipelineHead(p: index, file: file, serviceId: serviceId, serviceName: serviceName,
                                           operations: operations, start: start.timeIntervalSince1970)))
    }

    /// One operation's result (kept in memory until `sync`).
    public func record(pipeline: Int, index: Int, _ record: OperationRecord) {
        // Written by hand with the core's string encoder: this runs once per operation, and
        // JSONEncoder would cost more than the statement.
        func raw(_ text: String) { pending.append(contentsOf: text.utf8) }
        func string(_ text: String) { JSONDocument.writeString(text, into: &pending) }
        raw(#"{"op":{"p":\#(pipeline),"i":\#(index),"record":{"id":"#); string(record.id)
        raw(#","entity":"#); string(record.entity)
        raw(#","type":"#); string(record.type)
        raw(#","success":\#(record.success)"#)
        if let message = record.message { raw(#","message":"#); string(message) }
        raw(#","statements":\#(record.statements),"seconds":\#(record.seconds.isFinite ? record.seconds : 0)"#)
        if record.notRun == true { raw(#","notRun":true"#) }
        raw("}}}\n")
    }

    public func pipelineEnded(_ index: Int, success: Bool?, message: String?, end: Date) {
        append(Line(end: PipelineEnd(p: index, success: success, message: message, end: end.timeIntervalSince1970)))
        sync()
    }

    /// Writes what is pending and syncs it to disk (after each batch: a quarter of a second of
    /// statements at most).
    public func sync() {
        if !pending.isEmpty {
            var offset = 0
            pending.withUnsafeBytes { bytes in
                while offset < bytes.count {
                    let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 { if errno == EINTR { continue }; break }
                    offset += n
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        _ = fdatasync(fd)
    }

    /// The run's record is saved: the journal is no longer needed.
    public func remove() {
        sync()
        _ = unlink(url.path)
    }

    private func append(_ line: Line) {
        guard let data = try? JSONEncoder().encode(line) else { return }
        pending.append(contentsOf: data)
        pending.append(0x0A)
    }

    // MARK: reading

    /// The record a journal holds: what was known when its run stopped writing. `running`: the run
    /// still holds its journal's lock.
    static func read(_ url: URL) throws -> (record: RunRecord, running: Bool) {
        let data = try Data(contentsOf: url)
        var head: Head?
        var pipelines: [Int: (head: PipelineHead, end: PipelineEnd?, ops: [Int: OperationRecord])] = [:]
        let decoder = JSONDecoder()
        for line in data.split(separator: 0x0A) where !line.isEmpty {
            // A line cut by the end of the process is skipped: everything before it is whole.
            guard let entry = try? decoder.decode(Line.self, from: Data(line)) else { continue }
            if let h = entry.run { head = h }
            if let p = entry.pipeline { pipelines[p.p] = (p, nil, [:]) }
            if let e = entry.end { pipelines[e.p]?.end = e }
            if let o = entry.op { pipelines[o.p]?.ops[o.i] = o.record }
        }
        guard let head else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path]) }
        let runs = pipelines.keys.sorted().map { key -> RunRecord.PipelineRun in
            let p = pipelines[key]!
            let ops = p.ops.keys.sorted().map { p.ops[$0]! }
            var message = p.end?.message
            if p.end == nil {
                let missing = p.head.operations - ops.count
                message = "the run ended without finishing this pipeline: \(ops.count) of \(p.head.operations) operations have a result" + (missing > 0 ? "; \(missing) have none (they may or may not have been applied)" : "")
            }
            return RunRecord.PipelineRun(file: p.head.file, serviceId: p.head.serviceId, serviceName: p.head.serviceName,
                                         success: p.end?.success ?? false, message: message,
                                         start: Date(timeIntervalSince1970: p.head.start),
                                         end: p.end.map { Date(timeIntervalSince1970: $0.end) }, operations: ops)
        }
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        var running = false
        if fd >= 0 {
            running = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK
            Glibc.close(fd)
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let modified = attributes?[.modificationDate] as? Date ?? Date(timeIntervalSince1970: head.start)
        var record = RunRecord(id: head.id, connector: head.connector, dryRun: head.dryRun,
                               start: Date(timeIntervalSince1970: head.start), end: modified, pipelines: runs)
        record.state = running ? .running : .interrupted
        return (record, running)
    }
}
