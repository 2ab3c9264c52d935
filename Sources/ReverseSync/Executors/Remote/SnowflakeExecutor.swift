import Foundation

/// Snowflake over the SQL API (https://docs.snowflake.com/en/developer-guide/sql-api/):
/// `POST /api/v2/statements` with `{"statement", "timeout", "database", "schema", "warehouse",
/// "role"}`, `Authorization: Bearer <token>` and `X-Snowflake-Authorization-Token-Type`.
/// 200 is success; 202 means still running: poll `GET /api/v2/statements/{statementHandle}` until
/// 200; 422 (and any other status) fails with the answer's `message`. One statement per request:
/// several would need the `MULTI_STATEMENT_COUNT` parameter, which templatec never sends (a template
/// rendering two statements sends them as two requests). A statement still running at the statement
/// timeout is cancelled (`POST /api/v2/statements/{statementHandle}/cancel`).
///
/// URL: `snowflake://ACCOUNT.snowflakecomputing.com/[database[/schema]][?warehouse=…&role=…]`
/// (HTTPS, through curl); `snowflake+http://host:port/…` speaks plain HTTP (for a local stand-in).
/// Token: SNOWFLAKE_TOKEN; its type SNOWFLAKE_TOKEN_TYPE, `OAUTH` (default) or `KEYPAIR_JWT`.
public final class SnowflakeExecutor: SQLExecutor {
    public let spec: ConnectionSpec
    private let requests: RemoteRequests
    private let headers: [(String, String)]

    public convenience init(spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) {
        try self.init(spec: spec, environment: environment, transport: try makeTransport(for: spec, environment: environment))
    }

    init(spec: ConnectionSpec, environment: [String: String], transport: HTTPTransport) throws(ConnectionError) {
        self.spec = spec
        guard let token = environment["SNOWFLAKE_TOKEN"], !token.isEmpty else {
            throw ConnectionError(.connectionFailed, "no token for Snowflake at \(spec.endpoint): set SNOWFLAKE_TOKEN to an OAuth token (or a key-pair JWT with SNOWFLAKE_TOKEN_TYPE=KEYPAIR_JWT)")
        }
        let tokenType = environment["SNOWFLAKE_TOKEN_TYPE"].flatMap { $0.isEmpty ? nil : $0.uppercased() } ?? "OAUTH"
        guard ["OAUTH", "KEYPAIR_JWT"].contains(tokenType) else {
            throw ConnectionError(.connectionFailed, "SNOWFLAKE_TOKEN_TYPE=\(tokenType) is not a token type of the SQL API: use OAUTH or KEYPAIR_JWT")
        }
        headers = [("Authorization", "Bearer " + token), ("X-Snowflake-Authorization-Token-Type", tokenType),
                   ("Content-Type", "application/json"), ("Accept", "application/json"), ("User-Agent", "templatec")]
        requests = RemoteRequests(service: "Snowflake", transport: transport, secrets: [token])
    }

    public func execute(_ sql: String) -> ExecutionOutcome {
        let deadline = Deadline(seconds: spec.statementTimeout)
        var handle: String?
        do throws(RemoteRequests.Failure) {
            var request: [String: Any] = ["statement": RemoteRequests.statementText(sql), "timeout": max(1, Int(deadline.seconds.rounded(.up)))]
            if spec.path.count > 0 { request["database"] = spec.path[0] }
            if spec.path.count > 1 { request["schema"] = spec.path[1] }
            for key in ["warehouse", "role"] { if let value = spec.options[key], !value.isEmpty { request[key] = value } }
            var response = try requests.send("POST", "/api/v2/statements", headers: headers,
                                             body: RemoteRequests.json(request), deadline: deadline)
            var pause = 0.05
            while true {
                switch response.status {
                case 200:
                    return .ok
                case 202:
                    let answer = try requests.object(response)
                    guard let next = (answer["statementHandle"] as? String).flatMap({ $0.isEmpty ? nil : $0 }) ?? handle else {
                        throw RemoteRequests.Failure(message: "Snowflake answered 202 (running) without a statementHandle to poll")
                    }
                    handle = next
                    RemoteRequests.pause(&pause, deadline: deadline)
                    response = try requests.send("GET", "/api/v2/statements/" + HTTPClient.percentEncode(next),
                                                 headers: headers, deadline: deadline)
                default:
                    throw requests.failure(response)
                }
            }
        } catch {
            if error.timedOut || deadline.passed, let handle {
                // Best effort: stop the statement we no longer wait for.
                _ = try? requests.transport.send(method: "POST", target: "/api/v2/statements/\(HTTPClient.percentEncode(handle))/cancel",
                                                 headers: headers, body: [], timeout: 2)
                return .failed(error.message + "; cancellation of statement \(handle) was requested")
            }
            return .failed(error.message)
        }
    }

    public func close() {}
}
