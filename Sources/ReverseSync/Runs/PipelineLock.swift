import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps two runs on one state directory from applying the same pipeline at the same time.
///
/// The key is the pipeline's bytes, the connector and the connection (without its password): the
/// same document sent twice to the same place. The lock is `flock` on
/// `<state-dir>/locks/<key>.lock`, held while the pipeline runs; the kernel releases it when the
/// process ends however it ends, so a killed run never leaves a stale lock. The file holds the id
/// of the run that holds it, for the message of the run that is refused.
///
/// Applying a pipeline again after the first run has finished is allowed (the changes are
/// idempotent): only overlapping runs are refused.
public final class PipelineLock {
    private let fd: Int32

    public enum Failure: Error {
        /// Another process holds the lock: its run id, when it wrote one.
        case held(by: String?)
        case unavailable(String)
    }

    /// Takes the lock for `key` at once, or fails: a run never waits for another.
    public convenience init(stateDirectory: String, key: [UInt8], runID: String) throws(Failure) {
        try self.init(stateDirectory: stateDirectory, digest: PipelineLock.digest(key), runID: runID)
    }

    /// Takes the lock whose key has this `digest` (of the key's bytes).
    public init(stateDirectory: String, digest: String, runID: String) throws(Failure) {
        let directory = URL(fileURLWithPath: stateDirectory).appendingPathComponent("locks")
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw .unavailable("cannot create \(directory.path): \(error.localizedDescription)")
        }
        let path = directory.appendingPathComponent(digest + ".lock").path
        let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw .unavailable("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(opened, LOCK_EX | LOCK_NB) == 0 else {
            let holder = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            Glibc.close(opened)
            throw .held(by: holder.flatMap { $0.isEmpty ? nil : $0 })
        }
        fd = opened
        _ = ftruncate(fd, 0)
        let text = Array((runID + "\n").utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Releases the lock (closing the file is enough).
    public func release() { _ = ftruncate(fd, 0); Glibc.close(fd) }

    /// 128 bits of FNV-1a (two 64-bit lanes with different offsets), as hexadecimal: a file name
    /// for the key. Not a cryptographic hash: a collision only refuses an unrelated run while the
    /// other one runs.
    public static func digest<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = b &+ (b >> 29)
        }
        return [a, b].map { let h = String($0, radix: 16); return String(repeating: "0", count: 16 - h.count) + h }.joined()
    }
}
