import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One event as the inbox holds it.
public struct InboxEntry: Sendable {
    /// Arrival order, from 1, across restarts.
    public var sequence: UInt64
    public var body: [UInt8]
    /// When it became durable (just before the 200 answer); for a recovered entry, when it was read.
    public var recorded: Date
}

/// The durable queue between the HTTP answer and the database: `<state>/listen/inbox.log`, append
/// only, and `<state>/listen/applied`, the sequence of the last event whose outcome is recorded.
///
/// A record is a header line `event <sequence> <byte count>` then the body and a newline. An event
/// is answered 200 only once its record is written and fsynced (`append` returns), so the catalog
/// retries anything that was not. Appends from concurrent connections are committed together: one
/// write and one fsync for all records waiting, so the fsync cost is shared (group commit).
/// At the next start, records after the applied sequence are pending again; a torn record at the end
/// (a crash in the middle of a write, never answered 200) is cut off.
public final class Inbox: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let directory: String
    private let logPath: String
    private let appliedPath: String
    private var logFD: Int32 = -1
    private var appliedFD: Int32 = -1
    private var logSize: Int = 0

    private let lock = NSCondition()
    private var nextSequence: UInt64 = 1
    /// Records waiting for the next group write, and the sequences they carry.
    private var waiting: [UInt8] = []
    private var waitingEntries: [InboxEntry] = []
    private var flushing = false
    /// Highest sequence known durable, and those whose write failed (answered 503).
    private var durable: UInt64 = 0
    private var failedSequences: [UInt64: String] = [:]
    /// Durable, not yet applied, in order.
    private var pending: [InboxEntry] = []
    private var applied: UInt64 = 0
    /// The log is cut to empty when everything in it is applied and it is larger than this.
    public var compactAbove = 16 * 1024 * 1024

    public init(directory: String) throws {
        self.directory = directory
        logPath = directory + "/inbox.log"
        appliedPath = directory + "/applied"
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw Failure(description: "cannot create the state directory \(directory): \(error.localizedDescription)")
        }
        appliedFD = open(appliedPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard appliedFD >= 0 else { throw Failure(description: "cannot open \(appliedPath): \(String(cString: strerror(errno)))") }
        var text = [UInt8](repeating: 0, count: 32)
        let n = pread(appliedFD, &text, 32, 0)
        if n > 0 {
            let digits = text.prefix(n).prefix(while: { $0 >= 0x30 && $0 <= 0x39 })
            applied = UInt64(String(decoding: digits, as: UTF8.self)) ?? 0
        }
        logFD = open(logPath, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard logFD >= 0 else { throw Failure(description: "cannot open \(logPath): \(String(cString: strerror(errno)))") }
        // The files' directory entries must be durable too, or a crash could lose a new inbox whole.
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            Glibc.close(directoryFD)
        }
        try recover()
    }

    deinit {
        if logFD >= 0 { Glibc.close(logFD) }
        if appliedFD >= 0 { Glibc.close(appliedFD) }
    }

    /// Reads the log: entries after `applied` become pending; a torn tail is cut off.
    private func recover() throws {
        guard let data = FileManager.default.contents(atPath: logPath) else { throw Failure(description: "cannot read \(logPath)") }
        let bytes = [UInt8](data)
        var offset = 0
        var last: UInt64 = 0
        let now = Date()
        while let (entry, next) = InboxRecord.read(bytes, at: offset) {
            if entry.sequence > applied { pending.append(InboxEntry(sequence: entry.sequence, body: entry.body, recorded: now)) }
            last = entry.sequence
            offset = next
        }
        if offset < bytes.count {
            guard ftruncate(logFD, off_t(offset)) == 0 else {
                throw Failure(description: "cannot cut the torn end of \(logPath): \(String(cString: strerror(errno)))")
            }
        }
        logSize = offset
        nextSequence = max(last, applied) + 1
        durable = nextSequence - 1
    }

    /// Events durable but not yet applied, counted.
    public var pendingCount: Int {
        lock.lock(); defer { lock.unlock() }
        return pending.count
    }

    /// Records `body`; returns its sequence once it is on disk (written and fsynced), or throws
    /// (answer 503).
    @discardableResult
    public func append(_ body: [UInt8]) throws -> UInt64 {
        lock.lock()
        let sequence = nextSequence
        nextSequence += 1
        waiting += InboxRecord.bytes(sequence: sequence, body: body)
        waitingEntries.append(InboxEntry(sequence: sequence, body: body, recorded: Date()))
        if !flushing {
            // This thread writes for everyone waiting, until no one is.
            flushing = true
            while !waiting.isEmpty {
                let bytes = waiting, entries = waitingEntries
                waiting = []
                waitingEntries = []
                let sizeBefore = logSize
                lock.unlock()
                let problem = write(bytes)
                lock.lock()
                if let problem {
                    _ = ftruncate(logFD, off_t(sizeBefore))
                    for e in entries { failedSequences[e.sequence] = problem }
                } else {
                    logSize = sizeBefore + bytes.count
                    let now = Date()
                    pending += entries.map { InboxEntry(sequence: $0.sequence, body: $0.body, recorded: now) }
                }
                durable = entries.last!.sequence
                lock.broadcast()
            }
            flushing = false
        }
        while durable < sequence { lock.wait() }
        defer { lock.unlock() }
        if let problem = failedSequences.removeValue(forKey: sequence) { throw Failure(description: problem) }
        return sequence
    }

    private func write(_ bytes: [UInt8]) -> String? {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(logFD, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                return "cannot write the inbox \(logPath): \(String(cString: strerror(errno)))"
            }
            done += n
        }
        guard fdatasync(logFD) == 0 else { return "cannot fsync the inbox \(logPath): \(String(cString: strerror(errno)))" }
        return nil
    }

    /// Up to `limit` pending entries in arrival order, waiting at most `timeout` seconds for one.
    public func next(limit: Int, timeout: Double) -> [InboxEntry] {
        lock.lock(); defer { lock.unlock() }
        if pending.isEmpty { _ = lock.wait(until: Date().addingTimeInterval(timeout)) }
        return Array(pending.prefix(limit))
    }

    /// Wakes a thread waiting in `next` (at shutdown).
    public func wake() {
        lock.lock()
        lock.broadcast()
        lock.unlock()
    }

    /// Every entry up to `sequence` has its outcome recorded: they leave the inbox.
    public func markApplied(through sequence: UInt64) throws {
        var text = Array(String(sequence).utf8)
        text += [UInt8](repeating: 0x20, count: max(0, 20 - text.count)) + [0x0A]
        guard pwrite(appliedFD, text, text.count, 0) == text.count, fdatasync(appliedFD) == 0 else {
            throw Failure(description: "cannot record progress in \(appliedPath): \(String(cString: strerror(errno)))")
        }
        lock.lock(); defer { lock.unlock() }
        applied = sequence
        pending.removeAll { $0.sequence <= sequence }
        // Everything in the log applied: start it again rather than let it grow.
        if pending.isEmpty, !flushing, waiting.isEmpty, logSize > compactAbove, ftruncate(logFD, 0) == 0 {
            logSize = 0
        }
    }
}

/// The record format of `inbox.log`.
enum InboxRecord {
    static func bytes(sequence: UInt64, body: [UInt8]) -> [UInt8] {
        Array("event \(sequence) \(body.count)\n".utf8) + body + [0x0A]
    }

    /// The record at `offset` and the offset after it, or nil when none is complete there.
    static func read(_ bytes: [UInt8], at offset: Int) -> ((sequence: UInt64, body: [UInt8]), Int)? {
        guard let newline = bytes[offset...].prefix(64).firstIndex(of: 0x0A) else { return nil }
        let header = String(decoding: bytes[offset..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 3, header[0] == "event", let sequence = UInt64(header[1]), let count = Int(header[2]), count >= 0 else { return nil }
        let bodyStart = newline + 1
        guard bytes.count - bodyStart > count, bytes[bodyStart + count] == 0x0A else { return nil }
        return ((sequence, Array(bytes[bodyStart..<bodyStart + count])), bodyStart + count + 1)
    }
}
