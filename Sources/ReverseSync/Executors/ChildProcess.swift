#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A child process with its standard input and one output pipe (standard output and standard error
/// merged, so their order is the order the child wrote them), driven with plain file descriptors:
/// reads are bounded by deadlines (`poll`), so a silent or dead child never hangs the caller.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// Our end of the child's standard input, or -1 once closed.
    private(set) var inputFD: Int32
    /// Our end of the child's merged standard output and error, or -1 once closed.
    private(set) var outputFD: Int32
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    /// Reused for every read (allocating 64 KiB per read showed in the PostgreSQL benchmark).
    private var readChunk = [UInt8](repeating: 0, count: 65_536)
    private var exitStatus: Int32?
    private(set) var reachedEOF = false

    /// How the child's standard streams are connected.
    enum Streams {
        /// Standard input from `inputFD`; standard output and error merged into `outputFD`.
        case pipes
        /// Standard input and output are one end of a socket pair, whose other end is `inputFD`
        /// (written and read with send/recv, as a network connection: a TLS tunnel such as
        /// `openssl s_client` carries bytes both ways there); standard error alone is `outputFD`.
        case socket
    }

    /// Spawns `executable` (looked up in `PATH` when it has no slash) with `arguments` and exactly
    /// `environment`. The child's SIGPIPE is reset to the default (we ignore it in this process).
    init(executable: String, arguments: [String], environment: [String: String], streams: Streams = .pipes) throws(ConnectionError) {
        ChildProcess.ignoreSIGPIPE()
        var inPipe: [Int32] = [-1, -1], outPipe: [Int32] = [-1, -1]
        guard streams == .pipes ? ChildProcess.makePipe(&inPipe) : ChildProcess.makeSocketPair(&inPipe) else {
            throw ConnectionError(.clientFailed, "cannot create a pipe for \(executable): \(String(cString: strerror(errno)))")
        }
        guard ChildProcess.makePipe(&outPipe) else {
            close(inPipe[0]); close(inPipe[1])
            throw ConnectionError(.clientFailed, "cannot create a pipe for \(executable): \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, streams == .pipes ? outPipe[1] : inPipe[0], 1)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigmask(&attributes, &noneBlocked)
        // A process group of its own: Ctrl-C at a terminal signals the whole foreground group, and
        // a client that got it would abandon its statements; templatec stops them in order instead.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let status = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (envp + [nil]).withUnsafeBufferPointer { envBuffer in
                posix_spawnp(&pid, executable, &actions, &attributes,
                             UnsafeMutablePointer(mutating: argvBuffer.baseAddress!),
                             UnsafeMutablePointer(mutating: envBuffer.baseAddress!))
            }
        }
        close(inPipe[0]); close(outPipe[1])
        guard status == 0 else {
            close(inPipe[1]); close(outPipe[0])
            let reason = status == ENOENT
                ? "not found in PATH (\(environment["PATH"] ?? "unset")): install it or put it on PATH"
                : String(cString: strerror(status))
            throw ConnectionError(.clientNotFound, "cannot run \(executable): \(reason)")
        }
        self.pid = pid
        self.inputFD = inPipe[1]
        self.outputFD = outPipe[0]
    }

    deinit { terminate() }

    /// A pipe whose both ends close on exec (the child gets its ends through dup2, which clears it).
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        guard pipe(&fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    /// A connected pair of stream sockets, both closing on exec; `fds[0]` is the child's end.
    private static func makeSocketPair(_ fds: inout [Int32]) -> Bool {
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0 else { return false }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    private static let sigpipeIgnored: Bool = { signal(SIGPIPE, SIG_IGN); return true }()
    /// A write to a pipe whose reader died must fail with EPIPE, not kill this process.
    static func ignoreSIGPIPE() { _ = sigpipeIgnored }

    /// Writes all of `bytes`; false when the child no longer reads (it exited).
    func write(_ bytes: [UInt8]) -> Bool {
        guard inputFD >= 0 else { return false }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.write(inputFD, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    func closeInput() {
        if inputFD >= 0 { close(inputFD); inputFD = -1 }
    }

    enum ReadResult { case line([UInt8]), timedOut, endOfFile }

    /// The next line (without its newline) of the child's output, waiting at most until `deadline`.
    /// At end of file, a last unterminated line is returned first.
    func readLine(deadline: DispatchTime) -> ReadResult {
        while true {
            let found: Int? = buffer.withUnsafeBufferPointer { all in
                guard bufferStart < all.count,
                      let hit = memchr(all.baseAddress! + bufferStart, 0x0A, all.count - bufferStart) else { return nil }
                return all.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            if let newline = found {
                let line = Array(buffer[bufferStart..<newline])
                bufferStart = newline + 1
                if bufferStart > 65_536 { buffer.removeFirst(bufferStart); bufferStart = 0 }
                return .line(line)
            }
            if reachedEOF {
                if bufferStart < buffer.count {
                    let line = Array(buffer[bufferStart...])
                    buffer.removeAll(); bufferStart = 0
                    return .line(line)
                }
                return .endOfFile
            }
            let now = DispatchTime.now()
            guard now < deadline else { return .timedOut }
            let milliseconds = Int32(min((deadline.uptimeNanoseconds - now.uptimeNanoseconds) / 1_000_000 + 1, 60_000))
            var descriptor = pollfd(fd: outputFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno != EINTR { reachedEOF = true; continue }
            if ready <= 0 { continue }
            let n = readChunk.withUnsafeMutableBytes { Glibc.read(outputFD, $0.baseAddress!, $0.count) }
            if n > 0 {
                buffer.append(contentsOf: readChunk[0..<n])
            } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                reachedEOF = true
            }
        }
    }

    /// All output still buffered or readable within `seconds` (for error reports of a dying client).
    func drain(seconds: Double) -> String {
        var lines: [String] = []
        let deadline = DispatchTime.now() + seconds
        while case .line(let line) = readLine(deadline: deadline) { lines.append(String(decoding: line, as: UTF8.self)) }
        return lines.joined(separator: "\n")
    }

    /// The exit status if the child has exited (reaps it), nil while it runs.
    func pollExit() -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exitStatus = ChildProcess.decode(status)
        }
        return exitStatus
    }

    /// Waits for the child to exit, up to `seconds`; then kills it. Returns its exit status.
    @discardableResult
    func wait(seconds: Double) -> Int32 {
        let deadline = DispatchTime.now() + seconds
        while DispatchTime.now() < deadline {
            if let status = pollExit() { return status }
            usleep(2_000)
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        exitStatus = ChildProcess.decode(status)
        return exitStatus!
    }

    /// SIGKILL, leaving the descriptors open (another thread may still be writing).
    func forceKill() {
        if pollExit() == nil { kill(pid, SIGKILL) }
    }

    /// Closes the pipes and makes sure the child is gone (SIGTERM, then SIGKILL).
    func terminate() {
        closeInput()
        if pollExit() == nil {
            kill(pid, SIGTERM)
            wait(seconds: 2)
        }
        if outputFD >= 0 { close(outputFD); outputFD = -1 }
    }

    /// Exit code, or 128 + signal number for a child killed by a signal (as shells report it).
    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
