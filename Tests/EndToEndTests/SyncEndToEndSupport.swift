import Foundation
import XCTest

/// Runs the built `templatec` binary and validates responses with OpenMetadata's own models.
enum SyncE2E {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: URL { TemplatecBinary.url }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ args: [String], stdin: String? = nil, environment: [String: String]? = nil) throws -> Result {
        let r = try TemplatecBinary.run(args, stdin: stdin, cwd: root, environment: environment)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    static func fixture(_ path: String) -> String { root.appendingPathComponent("Fixtures").appendingPathComponent(path).path }

    /// Validates each JSON document (one, or JSON lines) as OpenMetadata's own
    /// `ReverseIngestionResponse` model (pydantic, `extra="forbid"`), from the
    /// `openmetadata-ingestion` wheel that scripts/ci/python-deps.sh installs; returns the problems
    /// (empty when valid). Throws XCTSkip when the models are not installed: call it outside an
    /// assertion (`let problems = try …`), or the skip is recorded as a failure.
    static func schemaProblems(_ output: String) throws -> [String] {
        let script = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        try:
            import openmetadata_models as om
        except ImportError as e:
            print(json.dumps({"skip": str(e)}))
            sys.exit(0)
        text = sys.stdin.read().strip()
        docs = [json.loads(text)] if text.startswith('{\\n') or '\\n' not in text else [json.loads(l) for l in text.splitlines() if l.strip()]
        bad = []
        for doc in docs:
            try:
                om.ReverseIngestionResponse.model_validate(doc)
            except Exception as e:
                bad.append(str(e))
        print(json.dumps({"problems": bad}))
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = TestPython.arguments(script, [root.appendingPathComponent("Tests/Support").path])
        let inp = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = inp
        p.standardOutput = out
        p.standardError = err
        try p.run()
        inp.fileHandleForWriting.write(Data(output.utf8))
        try inp.fileHandleForWriting.close()
        // Both pipes at once: a validator that fills one (warnings on stderr) while we wait on the
        // other would block forever.
        nonisolated(unsafe) var e = Data()
        let stderrRead = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            e = err.fileHandleForReading.readDataToEndOfFile()
            stderrRead.signal()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        stderrRead.wait()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            return ["validator failed: " + String(decoding: e, as: UTF8.self)]
        }
        let answer = try JSONSerialization.jsonObject(with: o) as? [String: Any]
        if let skip = answer?["skip"] as? String {
            throw XCTSkip("OpenMetadata's models are not installed (\(skip)): run scripts/ci/python-deps.sh")
        }
        return (answer?["problems"] as? [String]) ?? ["unreadable validator output"]
    }

    /// The response documents in an output (one pretty document, or JSON lines).
    static func responses(_ output: String) throws -> [[String: Any]] {
        let t = output.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.hasPrefix("{\n") || !t.contains("\n") {
            return [try JSONSerialization.jsonObject(with: Data(t.utf8)) as! [String: Any]]
        }
        return try t.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    static func results(_ response: [String: Any]) -> [(id: String, success: Bool, message: String?)] {
        ((response["results"] as? [[String: Any]]) ?? []).map { ($0["id"] as! String, $0["success"] as! Bool, $0["message"] as? String) }
    }
}
