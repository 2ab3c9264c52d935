import Foundation

/// The Python interpreter for tests that drive Python tools: the project's venv
/// (`.build/venv`, made by scripts/ci/python-deps.sh), named by TEMPLATEC_PYTHON, else the venv
/// found beside the package, else `python3` on PATH (its tests then skip when a tool is missing).
enum TestPython {
    static var executable: String {
        if let named = ProcessInfo.processInfo.environment["TEMPLATEC_PYTHON"], !named.isEmpty { return named }
        let venv = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// Arguments for `/usr/bin/env` that run `script` with the interpreter.
    static func arguments(_ script: String, _ rest: [String]) -> [String] {
        [executable, "-c", script] + rest
    }
}
