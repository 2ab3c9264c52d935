import Foundation

/// One long-lived command-line client (psql, mariadb) fed statements on its standard input, in one
/// session. After each statement the session writes a *marker* command whose output is a line no
/// statement can produce (`__templatec_<random>_<n>__`); everything the client printed between two
/// markers belongs to the statement between them, and the client's error lines in it mean that
/// statement failed. The client is told to go on after errors, so each statement stands alone.
///
/// `runAll` pipelines: a writer thread sends statements while this thread reads results, so the
/// client never waits for us between statements.
final class ClientSession: @unchecked Sendable {
    /// What differs between clients.
    struct Dialect {
        /// Display name: "PostgreSQL", "MySQL".
        var name: String
        /// The marker command to write after statement `n`, which makes the client print `marker`.
        var markerCommand: (_ marker: String) -> String
        /// Turns the lines a statement printed into its outcome.
        var outcome: (_ lines: [String]) -> ExecutionOutcome
        /// Why the client would misread this statement (see ClientScriptCheck), or nil.
        var problem: (_ sql: String) -> String?
        /// For clients that prefix each message with the input line it belongs to (psql -f -:
        /// `psql:<stdin>:12: ERROR: …`): splits a line into that number and the rest. Then `runAll`
        /// writes a marker only every `markerEvery` statements and sorts messages by line number.
        var lineNumber: ((_ line: String) -> (Int, String)?)? = nil
        /// Ends the server side of the session when templatec gives up waiting (over another
        /// connection: `pg_terminate_backend`, `KILL`), so a statement it no longer waits for is
        /// not applied later. Answers what it did, for the message, or nil when it could not.
        var cancel: (() -> String?)? = nil
    }

    /// With `lineNumber`, statements between two markers. Fewer markers = less work for the client.
    static let markerEvery = 256

    let dialect: Dialect
    let endpoint: String
    let statementTimeout: Double
    private let process: ChildProcess
    private let nonce = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    private var counter = 0
    /// Why the session ended (client exited, timed out), once it has.
    private(set) var endedBecause: String?

    init(process: ChildProcess, dialect: Dialect, endpoint: String, statementTimeout: Double) {
        self.process = process
        self.dialect = dialect
        self.endpoint = endpoint
        self.statementTimeout = statementTimeout
    }

    var isAlive: Bool { endedBecause == nil }

    /// Sends raw client input (setup commands) followed by a marker and returns the lines printed
    /// before the marker, or nil with `endedBecause` set when the client exits or times out first.
    func exchange(_ input: String, timeout: Double) -> [String]? {
        counter += 1
        let marker = marker(counter)
        guard isAlive else { return nil }
        let bytes = Array((input + "\n" + dialect.markerCommand(marker) + "\n").utf8)
        inputLines += bytes.lazy.filter { $0 == 0x0A }.count
        guard process.write(bytes) else {
            end(because: "\(clientName) stopped reading its input")
            return nil
        }
        return readUntil(marker, timeout: timeout)
    }

    /// Runs one statement.
    func run(_ sql: String) -> ExecutionOutcome { runAll([sql])[0] }

    /// Runs statements in order, pipelined.
    func runAll(_ statements: [String]) -> [ExecutionOutcome] {
        var outcomes = [ExecutionOutcome?](repeating: nil, count: statements.count)
        var markers: [(index: Int, marker: String)] = []
        var input: [[UInt8]] = []
        /// The last input line of each statement sent, and the statements each marker closes.
        var lastLine: [(line: Int, index: Int)] = []
        var groups: [[Int]] = []
        var group: [Int] = []
        func closeGroup() {
            counter += 1
            let marker = marker(counter)
            markers.append((group.last!, marker))
            groups.append(group)
            group = []
            input.append(Array((dialect.markerCommand(marker) + "\n").utf8))
            inputLines += 1
        }
        for (index, sql) in statements.enumerated() {
            if let problem = dialect.problem(sql) {
                outcomes[index] = .failed("not sent to \(dialect.name) at \(endpoint): \(problem). Fix the template or the value that produced it.")
                continue
            }
            let text = Array((terminated(sql) + "\n").utf8)
            inputLines += text.lazy.filter { $0 == 0x0A }.count
            lastLine.append((inputLines, index))
            input.append(text)
            group.append(index)
            if dialect.lineNumber == nil || group.count == Self.markerEvery { closeGroup() }
        }
        if !group.isEmpty { closeGroup() }
        if !isAlive || markers.isEmpty {
            for (index, _) in markers { outcomes[index] = sessionEndedOutcome() }
            return outcomes.map { $0! }
        }
        // Small batches are written inline (the pipe buffer holds them); large ones by a writer thread.
        let writer = DispatchGroup()
        let process = self.process
        let chunks = input
        let totalBytes = input.reduce(0) { $0 + $1.count }
        if totalBytes <= 16_384 {
            if !process.write(input.flatMap { $0 }) { end(because: "\(clientName) stopped reading its input") }
        } else {
            writerActive = true
            writer.enter()
            Thread.detachNewThread {
                for chunk in chunks where !process.write(chunk) { break }
                writer.leave()
            }
        }
        for (groupIndex, (_, marker)) in markers.enumerated() {
            let members = groups[groupIndex]
            if let lines = readUntil(marker, timeout: statementTimeout * Double(members.count)) {
                if members.count == 1 && dialect.lineNumber == nil {
                    outcomes[members[0]] = dialect.outcome(lines)
                } else {
                    for (index, statementLines) in attribute(lines, to: members, lastLine: lastLine) {
                        outcomes[index] = dialect.outcome(statementLines)
                    }
                }
            } else {
                for (index, outcome) in settleLost(members, output: lastOutput, lastLine: lastLine) { outcomes[index] = outcome }
                lastOutput = []
            }
        }
        if writerActive {
            writer.wait()  // returns at once when the client died: its writes fail with EPIPE
            writerActive = false
            if !isAlive { process.terminate() }
        }
        return outcomes.map { $0! }
    }

    private var lastOutput: [String] = []
    /// Lines written to the client so far (psql numbers its input lines from 1).
    private var inputLines = 0

    /// Sorts a group's output lines to its statements by the line numbers in the messages; a line
    /// without a number continues the message before it.
    private func attribute(_ lines: [String], to members: [Int], lastLine: [(line: Int, index: Int)]) -> [(Int, [String])] {
        var byStatement: [Int: [String]] = [:]
        for index in members { byStatement[index] = [] }
        var current = members[0]
        for line in lines {
            if let (number, rest) = dialect.lineNumber?(line) {
                // The statement whose last line is the first at or after `number`.
                var low = 0, high = lastLine.count - 1
                while low < high {
                    let mid = (low + high) / 2
                    if lastLine[mid].line < number { low = mid + 1 } else { high = mid }
                }
                if !lastLine.isEmpty, byStatement[lastLine[low].index] != nil { current = lastLine[low].index }
                byStatement[current]!.append(rest)
            } else {
                byStatement[current]!.append(line)
            }
        }
        return members.map { ($0, byStatement[$0]!) }
    }

    /// The outcomes of a group whose session ended before its marker. With psql, messages name the
    /// input line, so a connection lost at line N (`psql:<stdin>:N: server closed the connection…`,
    /// `FATAL: terminating connection…`) means: statements ending before line N ran to the end and
    /// are answered from their own messages (committed, autocommit); the one at N was cut off; those
    /// after it were never run (psql exits when the connection is lost). Without that information
    /// (a timeout, a client without line numbers) every member is reported as not known to be applied.
    private func settleLost(_ members: [Int], output: [String], lastLine: [(line: Int, index: Int)]) -> [(Int, ExecutionOutcome)] {
        guard let lineNumber = dialect.lineNumber else { return members.map { ($0, sessionEndedOutcome(pending: output)) } }
        let losses = output.compactMap { line -> Int? in
            guard let (number, rest) = lineNumber(line) else { return nil }
            return Self.lossMarkers.contains(where: { rest.contains($0) }) ? number : nil
        }
        guard let lostAt = losses.min() else { return members.map { ($0, sessionEndedOutcome(pending: output)) } }
        let lines = Dictionary(uniqueKeysWithValues: attribute(output, to: members, lastLine: lastLine))
        let lastLineOf = Dictionary(lastLine.map { ($0.index, $0.line) }, uniquingKeysWith: { a, _ in a })
        var cutOff = false
        return members.map { index in
            let line = lastLineOf[index] ?? Int.max
            if line < lostAt { return (index, dialect.outcome(lines[index] ?? [])) }
            if !cutOff {
                cutOff = true
                return (index, sessionEndedOutcome(pending: lines[index] ?? []))
            }
            return (index, .failed("not applied: the \(dialect.name) session with \(endpoint) ended (\(endedBecause ?? "connection lost")) before this statement ran; run the pipeline again to apply it"))
        }
    }

    /// What psql prints when the connection ends under a statement.
    static let lossMarkers = ["server closed the connection", "connection to server was lost", "terminating connection",
                              "FATAL:", "could not receive data from server", "SSL SYSCALL error"]

    private func marker(_ n: Int) -> String { "__templatec_\(nonce)_\(n)__" }

    private var clientName: String { dialect.name == "PostgreSQL" ? "psql" : "the mysql client" }

    private func readUntil(_ marker: String, timeout: Double) -> [String]? {
        guard isAlive else { return nil }
        let markerBytes = Array(marker.utf8)
        var lines: [String] = []
        let deadline = DispatchTime.now() + timeout
        while true {
            switch process.readLine(deadline: deadline) {
            case .line(let bytes):
                if bytes == markerBytes { return lines }
                lines.append(String(decoding: bytes, as: UTF8.self))
            case .timedOut:
                lastOutput = lines
                let cancelled = dialect.cancel?()
                end(because: "no answer within \(Self.format(timeout)) s (connection option timeout=…, which the server was also given as its statement timeout); "
                    + (cancelled.map { "the session was closed and \($0), so the statement was not applied unless it had already finished" }
                        ?? "the session was closed, and whether the statement was applied is not known"))
                return nil
            case .endOfFile:
                lastOutput = lines
                let status = process.wait(seconds: 2)
                end(because: "\(clientName) exited with status \(status)")
                return nil
            }
        }
    }

    private func sessionEndedOutcome(pending: [String] = []) -> ExecutionOutcome {
        let output = pending.filter { !$0.isEmpty }.joined(separator: "\n")
        return .failed("\(dialect.name) session with \(endpoint) ended: \(endedBecause ?? "unknown reason")"
            + (output.isEmpty ? "" : ". Client output: \(output)")
            + ". Check that the server is still running; the next statement opens a new session.")
    }

    /// True while a writer thread uses the client's input: then the descriptors must stay open
    /// (closing them under the writer could hand its writes to a reused descriptor).
    private var writerActive = false

    private func end(because reason: String) {
        if endedBecause == nil { endedBecause = reason }
        if writerActive { process.forceKill() } else { process.terminate() }
    }

    /// Everything the client printed after the last marker (when a setup exchange failed).
    func failureOutput() -> String {
        let rest = process.drain(seconds: 0.5)
        return (lastOutput + (rest.isEmpty ? [] : [rest])).filter { !$0.isEmpty }.joined(separator: "\n")
    }

    func close() {
        guard isAlive else { return }
        process.closeInput()  // end of input: the client quits cleanly
        process.wait(seconds: 5)
        end(because: "closed")
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// Runs a client once to completion (a cancel over a second connection) within `timeout` seconds;
/// true when it exited with status 0 and printed `expect` (when given).
func runClientOnce(_ executable: String, _ arguments: [String], environment: [String: String], timeout: Double, expect: String? = nil) -> Bool {
    guard let process = try? ChildProcess(executable: executable, arguments: arguments, environment: environment) else { return false }
    process.closeInput()
    let deadline = DispatchTime.now() + timeout
    var printed: [String] = []
    while true {
        switch process.readLine(deadline: deadline) {
        case .line(let bytes): printed.append(String(decoding: bytes, as: UTF8.self))
        case .timedOut:
            process.forceKill()
            return false
        case .endOfFile:
            return process.wait(seconds: 2) == 0 && (expect.map { printed.contains($0) } ?? true)
        }
    }
}

/// Environment for a client process: the caller's, with `changes` applied (nil removes).
func childEnvironment(_ base: [String: String], _ changes: [String: String?]) -> [String: String] {
    var environment = base
    if environment["PATH"] == nil { environment["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
    for (key, value) in changes { environment[key] = value }
    return environment
}
