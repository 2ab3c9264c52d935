import Foundation
import XCTest
@testable import ReverseSync
#if canImport(Glibc)
import Glibc
#endif

/// A server that accepts TCP connections and never answers (a listening socket nobody accepts on:
/// the kernel completes the handshake): opening a psql, mariadb or ClickHouse session ends within
/// the connect timeout with a clear error, never a hang.
final class ExecutorBlackHoleTests: XCTestCase {
    private var listener: Int32 = -1
    private var port = 0

    override func setUpWithError() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw XCTSkip("no socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw XCTSkip("cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    override func tearDown() { if listener >= 0 { Glibc.close(listener) } }

    private func assertEndsWithinTheConnectTimeout(_ url: String, client: String?, file: StaticString = #filePath, line: UInt = #line) throws {
        if let client, (try? RealEngines.shell(["sh", "-c", "command -v \(client)"]))?.0 != 0 { throw XCTSkip("\(client) is not installed") }
        let started = Date()
        XCTAssertThrowsError(try makeExecutor(try ConnectionURL.parse(url), environment: ProcessInfo.processInfo.environment), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("127.0.0.1:\(port)"), message, file: file, line: line)
            XCTAssertFalse(message.contains("pw-black-hole"), message, file: file, line: line)
        }
        // connect_timeout=2, plus the exchange's grace of 5 s and process start-up.
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "\(url) ended within its bound", file: file, line: line)
    }

    func testPostgres() throws {
        try assertEndsWithinTheConnectTimeout("postgresql://u:pw-black-hole@127.0.0.1:\(port)/db?connect_timeout=2", client: "psql")
    }

    func testMariaDB() throws {
        try assertEndsWithinTheConnectTimeout("mysql://u:pw-black-hole@127.0.0.1:\(port)/db?connect_timeout=2", client: "mariadb")
    }

    func testClickHouse() throws {
        try assertEndsWithinTheConnectTimeout("http://u:pw-black-hole@127.0.0.1:\(port)/?database=db&connect_timeout=2", client: nil)
    }
}
