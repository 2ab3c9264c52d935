import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@testable import ReverseSync

/// The test servers of `scripts/db/start.sh`. URLs come from TEMPLATEC_PG_URL, TEMPLATEC_MYSQL_URL,
/// TEMPLATEC_CLICKHOUSE_URL, or else from the file `.db/env` that start.sh writes. A server that is
/// not configured or not reachable makes its tests skip (XCTSkip), unless TEMPLATEC_REQUIRE_DATABASES=1
/// (CI), where it makes them fail.
enum TestDatabases {
    enum Server: String {
        case postgresql = "TEMPLATEC_PG_URL", mysql = "TEMPLATEC_MYSQL_URL", clickhouse = "TEMPLATEC_CLICKHOUSE_URL"
        /// ClickHouse 26 in process (chdb) behind its HTTP interface: LocalEngines starts it.
        case clickhouse26 = "TEMPLATEC_CLICKHOUSE26_URL"
    }

    static let environment = ProcessInfo.processInfo.environment

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Values of `.db/env` (KEY=VALUE lines).
    static let envFile: [String: String] = {
        let directory = environment["TEMPLATEC_DB_DIR"].map { URL(fileURLWithPath: $0) } ?? repositoryRoot.appendingPathComponent(".db")
        guard let text = try? String(contentsOf: directory.appendingPathComponent("env"), encoding: .utf8) else { return [:] }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        return values
    }()

    static func url(_ server: Server) -> String? { environment[server.rawValue] ?? envFile[server.rawValue] }

    /// A spec for the server, or XCTSkip (XCTFail under TEMPLATEC_REQUIRE_DATABASES=1).
    static func spec(_ server: Server, options: [String: String] = [:]) throws -> ConnectionSpec {
        guard let url = try url(server) ?? (server == .clickhouse26 ? LocalEngines.start(.clickhouse26).url : nil) else {
            try unavailable("\(server.rawValue) is not set and .db/env has no value: run scripts/db/start.sh")
        }
        var spec = try ConnectionURL.parse(url)
        spec.options.merge(options) { $1 }
        return spec
    }

    /// An executor connected to the server, or XCTSkip when it cannot connect.
    static func executor(_ server: Server, options: [String: String] = [:]) throws -> SQLExecutor {
        let spec = try spec(server, options: options.merging(["connect_timeout": "5"]) { a, _ in a })
        do {
            return try makeExecutor(spec, environment: environment)
        } catch {
            try unavailable("\(server.rawValue) (\(spec.redacted)) is not available: \(error.message)")
        }
    }

    static func unavailable(_ reason: String) throws -> Never {
        if environment["TEMPLATEC_REQUIRE_DATABASES"] == "1" {
            throw TestFailure(description: "required test database unavailable: \(reason)")
        }
        throw XCTSkip(reason)
    }

    struct TestFailure: Error, CustomStringConvertible { var description: String }

    /// Runs `sql` with the server's own client (not the executor under test) and returns what it
    /// printed, trimmed. For reading values back.
    static func query(_ server: Server, _ sql: String) throws -> String {
        let spec = try spec(server)
        switch server {
        case .postgresql:
            return try run("psql", ["-X", "-A", "-t", "-w", "-v", "ON_ERROR_STOP=1", "-c", sql,
                                    "host=\(spec.host) port=\(spec.port) user=\(spec.user ?? "") dbname=\(spec.database ?? "")"],
                           ["PGPASSWORD": spec.password ?? environment["PGPASSWORD"] ?? ""])
        case .mysql:
            return try run("mariadb", ["--no-defaults", "--batch", "--skip-column-names", "--protocol=TCP",
                                       "--host=\(spec.host)", "--port=\(spec.port)", "--user=\(spec.user ?? "")",
                                       "--database=\(spec.database ?? "")", "--default-character-set=utf8mb4", "-e", sql],
                           ["MYSQL_PWD": spec.password ?? environment["MYSQL_PWD"] ?? ""])
        case .clickhouse, .clickhouse26:
            var components = URLComponents()
            components.scheme = "http"; components.host = spec.host; components.port = spec.port; components.path = "/"
            components.queryItems = [URLQueryItem(name: "database", value: spec.database ?? "default")]
            var request = URLRequest(url: components.url!, timeoutInterval: 10)
            request.httpMethod = "POST"
            request.httpBody = Data(sql.utf8)
            let result = Box()
            let done = DispatchSemaphore(value: 0)
            URLSession.shared.dataTask(with: request) { data, response, error in
                result.text = String(decoding: data ?? Data(), as: UTF8.self)
                result.ok = error == nil && (response as? HTTPURLResponse)?.statusCode == 200
                done.signal()
            }.resume()
            done.wait()
            let text = result.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard result.ok else { throw TestFailure(description: "ClickHouse query failed: \(text)") }
            return text
        }
    }

    private final class Box: @unchecked Sendable { var text = ""; var ok = false }

    private static func run(_ tool: String, _ arguments: [String], _ extra: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.environment = environment.merging(extra) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else { throw TestFailure(description: "\(tool) failed: \(text)") }
        return text
    }

    /// A fresh name for test objects, so runs and tests never collide.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }

    /// A port on 127.0.0.1 where nothing listens (bound and released).
    static func unusedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The value every round-trip test writes: quotes, backslashes (also one at the end), newlines,
    /// a tab, a carriage return, non-BMP characters, and things that look like client commands.
    static let trickyValue = "it's a \"test\" \\ back\\\\slash\nsecond line\\n\tTAB\r\n\\echo nope; \\g :ON_ERROR_STOP $$ -- not a comment /* nor this */ 😀 𝄞 é end\\"

    /// The same value without characters outside the Basic Multilingual Plane (MariaDB's comments
    /// are utf8mb3).
    static let trickyBMPValue = trickyValue.unicodeScalars.filter { $0.value <= 0xFFFF }.map(String.init).joined()

    static func hex(_ text: String) -> String { text.utf8.map { String(format: "%02X", $0) }.joined() }
}
