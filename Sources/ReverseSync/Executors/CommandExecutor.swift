import Foundation

/// Runs a shell command once per statement: `/bin/sh -c <command>` with the statement (as given, plus
/// a newline) on its standard input. Exit status 0 is success; otherwise the message is what the
/// command printed (standard output and error, merged), or its exit status when it printed nothing.
///
/// One process per statement keeps each statement's outcome separate whatever the command is
/// (`sqlite3 db`, `ssh host psql`, a script of the user's). The environment gets
/// TEMPLATEC_STATEMENT_NUMBER (1, 2, …).
public final class CommandExecutor: SQLExecutor {
    public let command: String
    private let environment: [String: String]
    private let timeout: Double
    private var number = 0

    public init(command: String, environment: [String: String], timeout: Double = 300) {
        self.command = command
        self.environment = environment
        self.timeout = timeout
    }

    public func execute(_ sql: String) -> ExecutionOutcome {
        number += 1
        let process: ChildProcess
        do {
            process = try ChildProcess(executable: "/bin/sh", arguments: ["-c", command],
                                       environment: childEnvironment(environment, ["TEMPLATEC_STATEMENT_NUMBER": String(number)]))
        } catch {
            return .failed("statement \(number): \(error.message)")
        }
        defer { process.terminate() }
        let input = Array((sql.hasSuffix("\n") ? sql : sql + "\n").utf8)
        // Write from another thread: a command that prints much before reading could otherwise block us both.
        let writer = DispatchGroup()
        writer.enter()
        let writingProcess = UncheckedBox(process)
        Thread.detachNewThread {
            _ = writingProcess.value.write(input)
            writingProcess.value.closeInput()
            writer.leave()
        }
        var lines: [String] = []
        let deadline = DispatchTime.now() + timeout
        var timedOut = false
        reading: while true {
            switch process.readLine(deadline: deadline) {
            case .line(let bytes): lines.append(String(decoding: bytes, as: UTF8.self))
            case .endOfFile: break reading
            case .timedOut: timedOut = true; process.forceKill(); break reading
            }
        }
        writer.wait()
        let status = process.wait(seconds: timedOut ? 1 : 10)
        let output = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if timedOut {
            return .failed("statement \(number): command `\(command)` did not finish within \(ClientSession.format(timeout)) s and was killed")
        }
        if status == 0 { return ExecutionOutcome(success: true, message: output.isEmpty ? nil : output) }
        return .failed(output.isEmpty ? "statement \(number): command `\(command)` exited with status \(status)" : output)
    }

    public func close() {}
}

/// Hands a non-Sendable value to another thread whose use of it the caller serializes.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Runs nothing: records each statement and passes it to `sink` (default: standard output, each
/// statement followed by a newline). Every statement succeeds.
public final class DryRunExecutor: SQLExecutor {
    public private(set) var statements: [String] = []
    private let sink: (String) -> Void

    public init(sink: @escaping (String) -> Void = { print($0) }) {
        self.sink = sink
    }

    public func execute(_ sql: String) -> ExecutionOutcome {
        statements.append(sql)
        sink(sql)
        return .ok
    }

    public func close() {}
}
