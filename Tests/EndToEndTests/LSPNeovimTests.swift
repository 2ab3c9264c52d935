import Foundation
import XCTest

/// `templatec lsp` in a real editor: Neovim (Debian's package, 0.7+; scripts/ci/editors.sh
/// installs it), headless. Opens a template with a mistake after an emoji and CJK, waits for the
/// diagnostic, applies the preferred code action the way Neovim applies any workspace edit, and
/// checks the buffer's text, that the diagnostic went away and that the server exited 0.
final class LSPNeovimTests: XCTestCase {
    func nvim() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/nvim"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    func testNeovimShowsTheDiagnosticAndAppliesTheFix() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: TemplatecBinary.path), "build templatec first (swift build)")
        guard let nvim = nvim() else { throw XCTSkip("Neovim is not installed (scripts/ci/editors.sh: apt-get install -y neovim)") }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lsp-neovim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let template = work.appendingPathComponent("orders.sql")
        try "-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {schema}.{table} IS '😀 日本' || {descripton};\n"
            .write(to: template, atomically: true, encoding: .utf8)
        let result = work.appendingPathComponent("result.txt")
        let script = TemplatecBinary.repository.appendingPathComponent("Tests/Support/LSPNeovimClient.lua").path

        let p = Process()
        p.executableURL = URL(fileURLWithPath: nvim)
        p.arguments = ["--headless", "--clean", "-c", "luafile \(script)"]
        var env = ProcessInfo.processInfo.environment
        env["TEMPLATEC_BINARY"] = TemplatecBinary.path
        env["LSP_FILE"] = template.path
        env["LSP_OUT"] = result.path
        env["HOME"] = work.path
        p.environment = env
        p.currentDirectoryURL = work
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // The script waits at most ~60 s in all; a hung editor is killed, not waited on forever.
        let deadline = Date().addingTimeInterval(90)
        while p.isRunning && Date() < deadline { usleep(50_000) }
        if p.isRunning { p.terminate(); XCTFail("Neovim did not finish within 90 s") }
        p.waitUntilExit()

        let text = (try? String(contentsOf: result, encoding: .utf8)) ?? ""
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            values[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        XCTAssertNil(values["error"], text)
        XCTAssertEqual(values["diagnosed"], "true", text)
        XCTAssertEqual(values["source"], "templatec", text)
        // Neovim converts the server's utf-16 column into the byte column of `{descripton}`:
        // `COMMENT ON TABLE {schema}.{table} IS '` (38) + 😀 (4) + space + 日本 (6) + `' || ` (5).
        XCTAssertEqual(values["lnum"], "1", text)
        XCTAssertEqual(values["col"], "54", text)
        XCTAssertEqual(values["action"], "replace with `{description}`", text)
        XCTAssertEqual(values["cleared"], "true", text)
        XCTAssertEqual(values["line2"], "COMMENT ON TABLE {schema}.{table} IS '😀 日本' || {description};", text)
        XCTAssertEqual(values["exit"], "0", text)
    }
}
