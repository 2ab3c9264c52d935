import Foundation
import XCTest

/// Runs the templatec binary (`TEMPLATEC_BINARY`, else .build/debug/templatec) for the tests that
/// drive `sync` against stand-ins; skips when it is not built.
enum TemplatecProcess {
    static func binary() throws -> URL {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binary = ProcessInfo.processInfo.environment["TEMPLATEC_BINARY"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, relativeTo: repository).standardizedFileURL }
            ?? repository.appendingPathComponent(".build/debug/templatec")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("build templatec first (swift build): \(binary.path)") }
        return binary
    }

    /// `templatec ARGUMENTS` with exactly `environment` plus PATH; its exit status and standard
    /// output (standard error discarded).
    static func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: Data) {
        let p = Process()
        p.executableURL = try binary()
        p.arguments = arguments
        p.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { old, _ in old }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }

    /// A pipeline document of description operations: `(entity link, description)` each.
    static func pipeline(service: String, _ operations: [(link: String, description: String)]) -> String {
        let ops = operations.enumerated().map { i, op in
            #"{"id": "00000000-0000-4000-8000-\#(String(format: "%012d", i))", "entityLink": "\#(op.link)", "type": "UPDATE_DESCRIPTION", "parameters": {"newDescription": "\#(op.description)"}}"#
        }
        return #"{"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-0000000000ff", "type": "databaseService", "name": "\#(service)"}, "operations": [\#(ops.joined(separator: ","))]}"#
    }

    /// `pipeline` written to a temporary file (the caller removes it).
    static func pipelineFile(service: String, _ operations: [(link: String, description: String)]) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString).json")
        try pipeline(service: service, operations).write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
