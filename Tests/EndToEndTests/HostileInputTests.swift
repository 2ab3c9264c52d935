import Foundation
import XCTest

/// Hostile inputs through the built binary (`.build/debug/templatec check FILE --dialect D`): each
/// run must end by itself with exit status 0, 1 or 2, print no crash report or backtrace, and stay
/// under a generous 10 s (then it is killed and the test fails). The goal is under a second per
/// run; the time of each run is printed, not asserted, since the debug build on a shared machine is
/// slow and noisy.
final class HostileInputTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = TemplatecBinary.url
    static let dialects = ["postgres", "mysql", "mssql", "bigquery", "clickhouse", "oracle", "athena"]
    /// A hang, not a speed limit: the debug binary on a loaded 2-core machine took over 10 s for the
    /// 5 MB inputs, so the bound is generous (speed is the benchmarks' concern).
    static let killAfter: TimeInterval = 60

    var workDir: URL!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw XCTSkip("build templatec first: swift build (\(Self.binary.path) is missing)")
        }
        workDir = FileManager.default.temporaryDirectory.appendingPathComponent("templatec-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let w = workDir { try? FileManager.default.removeItem(at: w) }
    }

    struct Run {
        var status: Int32
        var signalled: Bool
        var killed: Bool
        var seconds: Double
        var stdoutBytes: Int
        var crashText: String?
    }

    /// Runs `templatec check FILE --dialect D`, output to files (it may be large), killing it after
    /// `killAfter` seconds.
    func check(_ file: URL, dialect: String, format: String = "text") throws -> Run {
        let out = workDir.appendingPathComponent("stdout"), err = workDir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        defer { try? outHandle.close(); try? errHandle.close() }
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = ["check", file.path, "--dialect", dialect, "--format", format]
        p.standardOutput = outHandle
        p.standardError = errHandle
        p.standardInput = FileHandle.nullDevice
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        p.environment = environment
        let start = Date()
        try p.run()
        var killed = false
        while p.isRunning {
            if Date().timeIntervalSince(start) > Self.killAfter {
                p.terminate()
                killed = true
                break
            }
            usleep(5_000)
        }
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        let size = (try? FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int) ?? 0
        // A crash report goes to stderr; scan it whole, and the ends of stdout.
        var text = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        if let h = try? FileHandle(forReadingFrom: out) {
            text += String(decoding: h.readData(ofLength: 65_536), as: UTF8.self)
            if size > 65_536 {
                h.seek(toFileOffset: UInt64(size - 65_536))
                text += String(decoding: h.readDataToEndOfFile(), as: UTF8.self)
            }
            try? h.close()
        }
        let markers = ["Fatal error", "Current stack trace", "Backtrace", "Program crashed", "Segmentation fault", "SIGSEGV", "SIGILL", "SIGTRAP"]
        let crash = markers.first { text.contains($0) }
        return Run(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal, killed: killed,
                   seconds: seconds, stdoutBytes: size, crashText: crash)
    }

    func assertSurvives(_ name: String, _ bytes: [UInt8], dialects: [String] = HostileInputTests.dialects,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let url = workDir.appendingPathComponent(name + ".sql")
        try Data(bytes).write(to: url)
        for d in dialects {
            let r = try check(url, dialect: d)
            print("hostile \(name) [\(d)]: exit \(r.status)\(r.signalled ? " (signal)" : "") in \(String(format: "%.3f", r.seconds)) s, \(r.stdoutBytes) bytes of output")
            XCTAssertFalse(r.killed, "\(name) [\(d)]: still running after \(Int(Self.killAfter)) s, killed", file: file, line: line)
            if r.killed { continue }
            XCTAssertFalse(r.signalled, "\(name) [\(d)]: ended by signal \(r.status)", file: file, line: line)
            XCTAssertTrue([0, 1, 2].contains(r.status), "\(name) [\(d)]: exit status \(r.status)", file: file, line: line)
            XCTAssertNil(r.crashText, "\(name) [\(d)]: output holds `\(r.crashText ?? "")`", file: file, line: line)
        }
    }

    static func repeated(_ s: String, _ n: Int) -> [UInt8] {
        Array([[UInt8]](repeating: Array(s.utf8), count: n).joined())
    }

    func testNulBytes() throws {
        try assertSurvives("nul", Array("COMMENT ON TABLE {table} IS {description};\0".utf8) + [UInt8](repeating: 0, count: 100_000))
    }

    func testInvalidUTF8() throws {
        // Deterministic: a fixed mix of stray continuation bytes, overlong leads, 0xFF and braces.
        let pool: [UInt8] = [0xFF, 0xC0, 0x80, 0xE0, 0xF4, 0x41, 0x7B, 0x27, 0x0A]
        var state: UInt32 = 12345
        let bytes = (0..<100_000).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return pool[Int(state >> 16) % pool.count]
        }
        try assertSurvives("invalid-utf8", bytes)
    }

    func testInvalidUTF8OnOneLine() throws {
        try assertSurvives("invalid-utf8-line", Self.repeated("\u{7B}", 1) + [UInt8]((0..<100_000).map { k in [0xFF, 0xC0, 0x80][k % 3] }))
    }

    func testManyQuotes() throws {
        try assertSurvives("quotes-even", Self.repeated("'", 200_000))
        try assertSurvives("quotes-odd", Self.repeated("'", 200_001))
        try assertSurvives("double-quotes-odd", Self.repeated("\"", 200_001))
        try assertSurvives("backticks-odd", Self.repeated("`", 200_001), dialects: ["mysql", "bigquery", "databricks"])
    }

    func testNestedCommentOpeners() throws {
        try assertSurvives("comment-openers", Self.repeated("/*", 50_000))
    }

    func testBraceRuns() throws {
        try assertSurvives("open-braces", Self.repeated("{", 40_001))
        try assertSurvives("close-braces", Self.repeated("}", 40_001))
        try assertSurvives("escaped-braces", Self.repeated("{{", 20_000))
        try assertSurvives("open-close", Self.repeated("{}", 20_000))
    }

    func testFormatSpecRun() throws {
        try assertSurvives("format-spec-run", Self.repeated("{:", 40_000))
    }

    func testEmptyFile() throws {
        try assertSurvives("empty", [])
    }

    func testFiveMegabyteLine() throws {
        let literal = Array("COMMENT ON TABLE {table} IS '".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 5 << 20) + Array("';".utf8)
        try assertSurvives("5mb-literal", literal)
        try assertSurvives("5mb-words", Self.repeated("x ", 5 << 19))
    }
}
