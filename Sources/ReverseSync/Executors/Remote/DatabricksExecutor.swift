import Foundation

/// Databricks over the SQL Statement Execution API
/// (https://docs.databricks.com/api/workspace/statementexecution):
/// `POST /api/2.0/sql/statements` with `{"statement", "warehouse_id", "catalog", "schema",
/// "wait_timeout", "on_wait_timeout": "CONTINUE"}` and `Authorization: Bearer <token>`; while
/// `status.state` is `PENDING` or `RUNNING`, poll `GET /api/2.0/sql/statements/{statement_id}`.
/// `SUCCEEDED` is success; `FAILED`, `CANCELED` and `CLOSED` fail with `status.error.message`.
/// A statement still running at the statement timeout is cancelled
/// (`POST /api/2.0/sql/statements/{statement_id}/cancel`).
///
/// URL: `databricks://workspace-host[:443]/<warehouse_id>[?catalog=…&schema=…]` (HTTPS, through curl);
/// `databricks+http://host:port/<warehouse_id>` speaks plain HTTP (for a local stand-in).
/// Token: DATABRICKS_TOKEN (a personal access token or an OAuth access token).
public final class DatabricksExecutor: SQLExecutor {
    public let spec: ConnectionSpec
    private let requests: RemoteRequests
    private let headers: [(String, String)]
    private let warehouse: String

    public convenience init(spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) {
        try self.init(spec: spec, environment: environment, transport: try makeTransport(for: spec, environment: environment))
    }

    init(spec: ConnectionSpec, environment: [String: String], transport: HTTPTransport) throws(ConnectionError) {
        self.spec = spec
        guard let warehouse = spec.path.first, !warehouse.isEmpty else {
            throw ConnectionError(.invalidURL, "connection URL \(spec.redacted) names no SQL warehouse: write databricks://HOST/WAREHOUSE_ID (the id from the warehouse's connection details)")
        }
        self.warehouse = warehouse
        guard let token = environment["DATABRICKS_TOKEN"], !token.isEmpty else {
            throw ConnectionError(.connectionFailed, "no token for Databricks at \(spec.endpoint): set DATABRICKS_TOKEN to a personal access token or an OAuth access token")
        }
        headers = [("Authorization", "Bearer " + token), ("Content-Type", "application/json"),
                   ("Accept", "application/json"), ("User-Agent", "templatec")]
        requests = RemoteRequests(service: "Databricks", transport: transport, secrets: [token])
    }

    public func execute(_ sql: String) -> ExecutionOutcome {
        let deadline = Deadline(seconds: spec.statementTimeout)
        var statementID: String?
        do throws(RemoteRequests.Failure) {
            // Wait on the server up to 30 s per request (the API allows 5 to 50 s, or 0 for none),
            // never longer than the statement may take.
            let wait = deadline.seconds >= 35 ? 30 : (deadline.seconds >= 10 ? Int(deadline.seconds) - 5 : 0)
            var request: [String: Any] = ["statement": RemoteRequests.statementText(sql), "warehouse_id": warehouse,
                                          "wait_timeout": "\(wait)s", "on_wait_timeout": "CONTINUE"]
            if let catalog = spec.options["catalog"], !catalog.isEmpty { request["catalog"] = catalog }
            if let schema = spec.options["schema"], !schema.isEmpty { request["schema"] = schema }
            var response = try requests.send("POST", "/api/2.0/sql/statements", headers: headers,
                                             body: RemoteRequests.json(request), deadline: deadline)
            var pause = 0.05
            while true {
                guard response.status == 200 else { throw requests.failure(response) }
                let answer = try requests.object(response)
                if let id = answer["statement_id"] as? String, !id.isEmpty { statementID = id }
                let status = answer["status"] as? [String: Any] ?? [:]
                let state = status["state"] as? String ?? ""
                switch state {
                case "SUCCEEDED":
                    return .ok
                case "FAILED", "CANCELED", "CLOSED":
                    let error = status["error"] as? [String: Any]
                    let message = (error?["message"] as? String).flatMap { $0.isEmpty ? nil : $0 }
                        ?? "the statement ended in state \(state) with no message"
                    return .failed(requests.redact(message))
                case "PENDING", "RUNNING":
                    guard let id = statementID else {
                        throw RemoteRequests.Failure(message: "Databricks answered state \(state) without a statement_id to poll")
                    }
                    RemoteRequests.pause(&pause, deadline: deadline)
                    response = try requests.send("GET", "/api/2.0/sql/statements/" + HTTPClient.percentEncode(id),
                                                 headers: headers, deadline: deadline)
                default:
                    throw RemoteRequests.Failure(message: requests.redact("Databricks answered an unknown statement state '\(state)': \(requests.excerpt(response.body))"))
                }
            }
        } catch {
            if error.timedOut || deadline.passed, let id = statementID {
                // Best effort: stop the statement we no longer wait for.
                _ = try? requests.transport.send(method: "POST", target: "/api/2.0/sql/statements/\(HTTPClient.percentEncode(id))/cancel",
                                                 headers: headers, body: [], timeout: 2)
                return .failed(error.message + "; cancellation of statement \(id) was requested")
            }
            return .failed(error.message)
        }
    }

    public func close() {}
}
