import Foundation
import XCTest

/// The `templatec` binary the end-to-end tests run: `TEMPLATEC_BINARY` when set (scripts/test.sh
/// points it at the release build, the product people run), else the debug build.
enum TemplatecBinary {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var url: URL {
        if let p = ProcessInfo.processInfo.environment["TEMPLATEC_BINARY"], !p.isEmpty {
            return URL(fileURLWithPath: p, relativeTo: repository).standardizedFileURL
        }
        return repository.appendingPathComponent(".build/debug/templatec")
    }

    static var path: String { url.path }
}

/// What a finished process printed.
struct ProcessOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

extension TemplatecBinary {
    /// Runs the binary to completion. Both pipes are read concurrently before waiting, so a child
    /// that fills one of them cannot block. Skips the test when the binary is not built.
    static func run(_ args: [String], stdin: String? = nil, cwd: URL? = nil,
                    environment: [String: String]? = nil) throws -> ProcessOutput {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("build templatec first (swift build): \(path)")
        }
        let p = Process()
        p.executableURL = url
        p.arguments = args
        p.currentDirectoryURL = cwd ?? repository
        if let environment { p.environment = environment }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? inp.fileHandleForWriting.close()
        final class Box: @unchecked Sendable { var data = Data() }
        let o = Box(), e = Box()
        let g = DispatchGroup()
        let outHandle = out.fileHandleForReading, errHandle = err.fileHandleForReading
        g.enter(); DispatchQueue.global().async { o.data = outHandle.readDataToEndOfFile(); g.leave() }
        g.enter(); DispatchQueue.global().async { e.data = errHandle.readDataToEndOfFile(); g.leave() }
        g.wait()
        p.waitUntilExit()
        return ProcessOutput(status: p.terminationStatus, stdout: String(decoding: o.data, as: UTF8.self),
                             stderr: String(decoding: e.data, as: UTF8.self))
    }
}
