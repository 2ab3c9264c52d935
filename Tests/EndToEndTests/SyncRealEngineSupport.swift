import Foundation
import XCTest

/// Real database servers for the sync tests (scripts/db/start.sh): URLs from the environment or
/// the `.db/env` file start.sh writes. Tests skip cleanly when a server is not running or when
/// the build has no executor for it.
enum RealEngines {
    static func url(_ key: String) -> String? {
        if let v = ProcessInfo.processInfo.environment[key], !v.isEmpty { return v }
        let dir = ProcessInfo.processInfo.environment["TEMPLATEC_DB_DIR"] ?? SyncE2E.root.appendingPathComponent(".db").path
        guard let text = try? String(contentsOfFile: dir + "/env", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + "=") { return String(line.dropFirst(key.count + 1)) }
        return nil
    }

    /// Runs a client command; returns (status, stdout).
    @discardableResult
    static func shell(_ args: [String], stdin: String? = nil) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? inp.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs `templatec sync` against a server; skips when this build has no executor for it.
    static func sync(_ pipelineJSON: String, connector: String, connection: String, extra: [String] = []) throws -> (SyncE2E.Result, [(id: String, success: Bool, message: String?)], [String: Any]) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString).json")
        try pipelineJSON.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try SyncE2E.run(["sync", file.path, "--connector", connector, "--connection", connection] + extra)
        if r.stdout.contains("no executor for") || r.stderr.contains("unknown connection") {
            throw XCTSkip("this build has no executor for \(connection)")
        }
        let problems = try SyncE2E.schemaProblems(r.stdout)
        XCTAssertEqual(problems, [], r.stdout)
        let doc = try SyncE2E.responses(r.stdout)[0]
        return (r, SyncE2E.results(doc), doc)
    }

    static func pipeline(service: String, _ operations: [String]) -> String {
        """
        {"type": "ReverseIngestion",
         "service": {"id": "7f1e2c3a-0000-4000-8000-0000000000ff", "type": "databaseService", "name": "\(service)"},
         "operations": [\(operations.joined(separator: ",\n"))]}
        """
    }

    static func uuid(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }

    static func description(_ n: Int, _ link: String, _ text: String, template: String? = nil) -> String {
        let t = template.map { ", \"SQLTemplate\": \(jsonString($0))" } ?? ""
        return #"{"id": "\#(uuid(n))", "entityLink": \#(jsonString(link)), "type": "UPDATE_DESCRIPTION"\#(t), "parameters": {"newDescription": \#(jsonString(text))}}"#
    }

    static func owner(_ n: Int, _ link: String, _ name: String, type: String = "user") -> String {
        #"{"id": "\#(uuid(n))", "entityLink": \#(jsonString(link)), "type": "UPDATE_OWNER", "parameters": {"addedOwners": [{"id": "\#(uuid(900 + n))", "type": "\#(type)", "name": \#(jsonString(name))}]}}"#
    }

    static func tags(_ n: Int, _ link: String, _ fqns: [String]) -> String {
        let t = fqns.map { #"{"tagFQN": \#(jsonString($0)), "source": "Classification", "labelType": "Manual", "state": "Confirmed"}"# }
        return #"{"id": "\#(uuid(n))", "entityLink": \#(jsonString(link)), "type": "UPDATE_TAGS", "parameters": {"addedTags": [\#(t.joined(separator: ", "))]}}"#
    }

    static func jsonString(_ s: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [s]), as: UTF8.self).dropFirst().dropLast().description
    }
}
