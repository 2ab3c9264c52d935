import Foundation
import XCTest
@testable import ReverseSync

/// Rate of PostgresExecutor against `psql -f` on the same statements (docs/performance-sync.md).
/// Runs only with TEMPLATEC_BENCH=1:  TEMPLATEC_BENCH=1 swift test -c release --filter ExecutorPostgresPerformanceTests
final class ExecutorPostgresPerformanceTests: XCTestCase {
    func testTenThousandCommentsAgainstPsqlFile() throws {
        guard ProcessInfo.processInfo.environment["TEMPLATEC_BENCH"] == "1" else { throw XCTSkip("set TEMPLATEC_BENCH=1 to run") }
        let count = Int(ProcessInfo.processInfo.environment["TEMPLATEC_BENCH_COUNT"] ?? "") ?? 10_000
        let executor = try TestDatabases.executor(.postgresql)
        defer { executor.close() }
        let spec = try TestDatabases.spec(.postgresql)
        let table = TestDatabases.uniqueName("pg_bench")
        XCTAssertTrue(executor.execute("CREATE TABLE \(table) (id int)").success)
        defer { _ = executor.execute("DROP TABLE \(table)") }
        let statements = (0..<count).map { "COMMENT ON TABLE \(table) IS 'description number \($0) with it''s quote';" }

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(table).sql")
        try statements.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        func psqlFile() throws -> Double {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["psql", "-X", "-q", "-w", "-v", "ON_ERROR_STOP=0", "-f", file.path,
                                 "host=\(spec.host) port=\(spec.port) user=\(spec.user ?? "") dbname=\(spec.database ?? "")"]
            process.environment = ProcessInfo.processInfo.environment.merging(["PGPASSWORD": spec.password ?? ""]) { $1 }
            let start = DispatchTime.now()
            try process.run()
            process.waitUntilExit()
            return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        }
        func timed(_ body: () -> [ExecutionOutcome]) -> Double {
            let start = DispatchTime.now()
            let outcomes = body()
            XCTAssertTrue(outcomes.allSatisfy(\.success))
            return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        }
        var rows: [String] = []
        for round in 1...3 {
            let reference = try psqlFile()
            let pipelined = timed { executor.executeAll(statements) }
            let oneByOne = timed { statements.map { executor.execute($0) } }
            func rate(_ seconds: Double) -> Int { Int(Double(count) / seconds) }
            rows.append("round \(round): psql -f \(rate(reference))/s; executeAll \(rate(pipelined))/s (\(Int(100 * reference / pipelined))%); execute one by one \(rate(oneByOne))/s (\(Int(100 * reference / oneByOne))%)")
        }
        print(rows.joined(separator: "\n"))
    }
}
