import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One receiver per state directory: `<state>/listen/lock`, held with `flock` for the process's
/// life (the kernel releases it when the process ends, however it ends), holding the owner's pid
/// for the message a second receiver gets.
final class StateDirectoryLock {
    struct Refused: Error, CustomStringConvertible { var description: String }

    private let fd: Int32

    init(directory: String) throws(Refused) {
        let path = directory + "/lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Refused(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var text = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &text, 32, 0)
            let pid = n > 0 ? String(decoding: text.prefix(n).prefix(while: { $0 >= 0x30 && $0 <= 0x39 }), as: UTF8.self) : ""
            Glibc.close(fd)
            throw Refused(description: "another `templatec listen`\(pid.isEmpty ? "" : " (pid \(pid))") uses the state directory \(directory): stop it, or give this one another --state-dir")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
    }

    deinit { Glibc.close(fd) }
}
