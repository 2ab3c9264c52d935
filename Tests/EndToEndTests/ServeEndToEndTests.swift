import XCTest
import Foundation
import TemplateCompiler

/// `templatec render --serve` on the mixed request file (`Tests/Fixtures/serve`): every answer is
/// the general path's answer to that line, byte for byte, CRs dropped; blank lines are answered too.
final class ServeEndToEndTests: XCTestCase {
    func testServeAnswersTheMixedRequestsAsTheGeneralPath() throws {
        let binary = TemplatecBinary.url
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw XCTSkip("build templatec first") }
        let input = try Data(contentsOf: TemplatecBinary.repository.appendingPathComponent("Tests/Fixtures/serve/mixed-requests.jsonl"))
        let p = Process()
        p.executableURL = binary
        p.arguments = ["render", "--serve"]
        let i = Pipe(), o = Pipe()
        p.standardInput = i
        p.standardOutput = o
        try p.run()
        // Written from another thread: the answers fill the output pipe while the input is written.
        let writer = Thread {
            i.fileHandleForWriting.write(input)
            try? i.fileHandleForWriting.close()
        }
        writer.start()
        let out = o.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)

        let reference = RenderService()
        var expected: [UInt8] = []
        for l in [UInt8](input).split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            var line = Array(l)
            if line.last == 0x0D { line.removeLast() }
            line.withUnsafeBufferPointer { reference.respondGeneral(to: $0, into: &expected) }
            expected.append(0x0A)
        }
        let got = [UInt8](out)
        XCTAssertEqual(got.count, expected.count)
        let gotLines = got.split(separator: 0x0A), expectedLines = expected.split(separator: 0x0A)
        XCTAssertEqual(gotLines.count, expectedLines.count)
        for (k, (a, b)) in zip(gotLines, expectedLines).enumerated() where a != b {
            XCTFail("answer \(k + 1):\n got:      \(String(decoding: a, as: UTF8.self))\n expected: \(String(decoding: b, as: UTF8.self))")
        }
    }
}
