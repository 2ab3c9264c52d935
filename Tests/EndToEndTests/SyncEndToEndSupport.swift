import Foundation
import XCTest

/// Runs the built `templatec` binary and validates responses against the OpenMetadata schema.
enum SyncE2E {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var binary: URL { TemplatecBinary.url }
    /// The catalog's schemas: `shared/` sits beside the repository (in CI's clone too).
    static let schemaDir = root.deletingLastPathComponent().appendingPathComponent("shared/reference/openmetadata/schema").path

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

    /// Validates each JSON document (one, or JSON lines) against reverseIngestionResponse.json
    /// with python's jsonschema; returns the problems (empty when valid).
    static func schemaProblems(_ output: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: schemaDir) else { throw XCTSkip("schemas not found at \(schemaDir)") }
        let script = """
        import json, sys, os
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        d = sys.argv[1]
        reg = Registry()
        for f in os.listdir(d):
            if f.endswith('.json'):
                s = json.load(open(os.path.join(d, f)))
                reg = reg.with_resource(f, Resource.from_contents(s, default_specification=__import__('referencing.jsonschema').jsonschema.DRAFT202012))
        schema = json.load(open(os.path.join(d, 'reverseIngestionResponse.json')))
        schema = dict(schema); schema.pop('$id', None)
        v = Draft202012Validator(schema, registry=reg, format_checker=Draft202012Validator.FORMAT_CHECKER)
        text = sys.stdin.read().strip()
        docs = [json.loads(text)] if text.startswith('{\\n') or '\\n' not in text else [json.loads(l) for l in text.splitlines() if l.strip()]
        bad = [e.message for doc in docs for e in v.iter_errors(doc)]
        print(json.dumps(bad))
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = TestPython.arguments(script, [schemaDir])
        let inp = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = inp
        p.standardOutput = out
        p.standardError = err
        try p.run()
        inp.fileHandleForWriting.write(Data(output.utf8))
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            return ["validator failed: " + String(decoding: e, as: UTF8.self)]
        }
        return (try JSONSerialization.jsonObject(with: o) as? [String]) ?? ["unreadable validator output"]
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
