import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// The stand-in OpenMetadata server (Tests/Support/openmetadata_standin.py) for one test: started
/// on an ephemeral port with a catalog, stopped when the object goes. Every entity it serves has been
/// validated with OpenMetadata's generated models; the test skips when those are not installed
/// (scripts/ci/python-deps.sh).
final class StandInCatalog {
    let process: Process
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    private let catalogFile: URL

    static let support = TemplatecBinary.repository.appendingPathComponent("Tests/Support")

    init(catalog: [String: Any], token: String? = nil) throws {
        catalogFile = FileManager.default.temporaryDirectory.appendingPathComponent("standin-catalog-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: catalog).write(to: catalogFile)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [TestPython.executable, StandInCatalog.support.appendingPathComponent("openmetadata_standin.py").path,
                             "--catalog", catalogFile.path] + (token.map { ["--token", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = StandInCatalog.support.path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // The first line is `PORT n`; anything else means it could not start (models missing).
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            process.waitUntilExit()
            let why = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            try? FileManager.default.removeItem(at: catalogFile)
            if why.contains("openmetadata-ingestion is not installed") || why.contains("No module named") {
                throw XCTSkip("the stand-in catalog needs OpenMetadata's models (scripts/ci/python-deps.sh): \(why.suffix(300))")
            }
            throw TestDatabases.TestFailure(description: "the stand-in catalog did not start: \(why.suffix(2000))")
        }
        self.port = port
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: catalogFile)
    }

    /// Answers the next `count` requests whose path starts with `path` with `status`.
    func fault(_ status: Int, count: Int, path: String) throws {
        try control("POST", "/_control/faults", ["status": status, "count": count, "path": path])
    }

    /// Replaces the catalog (validated again by the stand-in).
    func replace(_ catalog: [String: Any]) throws {
        try control("POST", "/_control/catalog", catalog)
    }

    struct Request {
        var method = "GET"
        var path: String
        var query: [String: String]
        var authorization: String?
        /// A PATCH's Content-Type and body (the parsed JSON, else the text).
        var contentType: String? = nil
        var body: Any? = nil
    }

    /// The API requests the stand-in answered (or refused) so far.
    func requests() throws -> [Request] {
        let data = try control("GET", "/_control/requests", nil)
        let list = (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
        return list.map {
            Request(method: $0["method"] as? String ?? "GET", path: $0["path"] as? String ?? "", query: $0["query"] as? [String: String] ?? [:],
                    authorization: $0["authorization"] as? String, contentType: $0["contentType"] as? String, body: $0["body"])
        }
    }

    func clearRequests() throws { try control("DELETE", "/_control/requests", nil) }

    /// The whole entity (`kind`: databases, databaseSchemas, tables) as the stand-in holds it now, by FQN.
    func entity(_ kind: String, _ fqn: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try control("GET", "/api/v1/\(kind)/name/" + (fqn.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? fqn), nil)) as? [String: Any] ?? [:]
    }

    /// Changes an entity as someone editing the catalog would: a JSON Patch through the API.
    func edit(_ kind: String, _ fqn: String, _ operations: [[String: Any]]) throws {
        let id = try entity(kind, fqn)["id"] as? String ?? ""
        try control("PATCH", "/api/v1/\(kind)/\(id)", operations, contentType: "application/json-patch+json")
        try clearRequests()
    }

    @discardableResult
    private func control(_ method: String, _ path: String, _ body: Any?, contentType: String? = nil) throws -> Data {
        var request = URLRequest(url: URL(string: url + path)!, timeoutInterval: 30)
        request.httpMethod = method
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let body { request.httpBody = try JSONSerialization.data(withJSONObject: body) }
        final class Box: @unchecked Sendable { var data = Data(); var status = 0; var error: Error? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.data = data ?? Data()
            box.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            box.error = error
            done.signal()
        }.resume()
        done.wait()
        if let error = box.error { throw error }
        guard box.status == 200 else {
            throw TestDatabases.TestFailure(description: "stand-in control \(method) \(path): HTTP \(box.status): \(String(decoding: box.data, as: UTF8.self))")
        }
        return box.data
    }
}

/// Helpers to run `templatec sync --from-openmetadata` and to check what it printed.
enum CatalogSync {
    static func run(_ catalog: StandInCatalog, service: String, connector: String, connection: String?, token: String? = nil,
                    extra: [String] = [], environment: [String: String] = [:]) throws -> SyncE2E.Result {
        var env = ProcessInfo.processInfo.environment
        env["OPENMETADATA_TOKEN"] = token
        for (k, v) in environment { env[k] = v }
        var args = ["sync", "--from-openmetadata", catalog.url, "--service", service, "--connector", connector]
        if let connection { args += ["--connection", connection] }
        return try SyncE2E.run(args + extra, environment: env)
    }

    /// Validates a document with one of OpenMetadata's own generated models (`ReverseIngestionPipeline`
    /// for a plan, `ReverseIngestionResponse`); nil when it is valid, else the model's complaint.
    /// The stand-in's module is imported first: it quiets the models' name transformer (see there).
    static func modelProblems(_ document: String, model: String = "ReverseIngestionPipeline") throws -> String? {
        let script = """
        import sys
        from openmetadata_standin import om
        try:
            getattr(om, sys.argv[1]).model_validate_json(sys.stdin.read())
        except Exception as e:
            print(e)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = TestPython.arguments(script, [model])
        var env = ProcessInfo.processInfo.environment
        env["PYTHONPATH"] = StandInCatalog.support.path
        p.environment = env
        let inp = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = inp
        p.standardOutput = out
        p.standardError = err
        try p.run()
        inp.fileHandleForWriting.write(Data(document.utf8))
        try inp.fileHandleForWriting.close()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus != 0 { return "the validator failed: \(errors.suffix(1000))" }
        return text.isEmpty ? nil : text
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    static func operations(_ plan: String) throws -> [[String: Any]] {
        try json(plan)["operations"] as? [[String: Any]] ?? []
    }

    /// A wrapper of a database client that logs each start to `log` before running the real client:
    /// `executor` when the command line has `marker` (psql's executor reads `-f -`, the mariadb
    /// executor runs with `--force`), `reader` otherwise (the state readers' one query).
    static func clientWrapper(_ client: String, marker: String, log: URL) throws -> URL {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("\(client)-wrapper-\(UUID().uuidString).sh")
        try """
            #!/bin/sh
            case " $* " in *" \(marker) "*) echo executor >> '\(log.path)' ;; *) echo reader >> '\(log.path)' ;; esac
            exec \(client) "$@"

            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }
}
