import Foundation
import XCTest

/// `templatec lsp` driven by a second client, from PyPI: `lsprotocol`'s LSP 3.17 types with a small
/// client (Tests/Support/LSPProtocolClient.py). Every message the server sends must be an instance
/// of its protocol type, field for field; positions must equal `check --format json`'s in utf-16
/// and utf-8 with CJK and emoji, in `.sql` and JSON files; versions, incremental edits, code
/// actions, hover, completion, malformed input and the shutdown/exit statuses are checked.
final class LSPProtocolTests: XCTestCase {
    func testProtocolDetailsWithLSProtocolTypes() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: TemplatecBinary.path), "build templatec first (swift build)")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lsp-protocol-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let script = TemplatecBinary.repository.appendingPathComponent("Tests/Support/LSPProtocolClient.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [TestPython.executable, script, TemplatecBinary.path, work.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        do { try p.run() } catch { throw XCTSkip("python is not available: \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if p.terminationStatus == 77 {
            throw XCTSkip("lsprotocol is not installed (scripts/ci/python-deps.sh installs scripts/ci/requirements/lsp.txt): \(text)")
        }
        XCTAssertEqual(p.terminationStatus, 0, text)
        for scenario in ["scenario_positions", "scenario_incremental_and_actions", "scenario_bad_input"] {
            XCTAssertTrue(text.contains("ok \(scenario)"), text)
        }
    }
}
