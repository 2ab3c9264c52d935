import Foundation

/// Snowflake over the SQL API (https://docs.snowflake.com/en/developer-guide/sql-api/):
/// `POST /api/v2/statements` with `{"statement", "timeout", "database", "schema", "warehouse",
/// "role"}`, `Authorization: Bearer <token>` and `X-Snowflake-Authorization-Token-Type`.
/// 200 is success; 202 means still running: poll `GET /api/v2/statements/{statementHandle}` until
/// 200; 422 (and any other status) fails with the answer's `message`. A statement still running at
/// the statement timeout is cancelled (`POST /api/v2/statements/{statementHandle}/cancel`).
///
/// `execute` sends one statement per request, without `MULTI_STATEMENT_COUNT` (so the service
/// refuses a statement that turns out to be two). `executeTogether` sends statements of unrelated
/// objects in one multi-statement request; see there.
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
        switch run(RemoteRequests.statementText(sql), count: 1) {
        case .ok: return .ok
        case .failed(let message, _), .unanswered(let message): return .failed(message)
        }
    }

    public var runsStatementsTogether: Bool { true }

    /// Statements of unrelated objects (the runner groups them so) in one request, with
    /// `MULTI_STATEMENT_COUNT` set to their number. What the SQL API documents
    /// (https://docs.snowflake.com/en/developer-guide/sql-api/submitting-multiple-statements,
    /// …/handling-errors): the statements are joined with `;` and run in order; a request that
    /// succeeds answers 200 with `statementHandles`, one handle per statement; a count that does
    /// not match is refused ("Actual statement count N did not match the desired statement count
    /// M", nothing runs); a statement that fails answers 422 with one QueryFailureStatus (`code`,
    /// `sqlState`, `message`, `statementHandle`).
    ///
    /// That failure answer does not say which of the statements failed, nor which ran before it
    /// (each in its own autocommit transaction) or after it. So a refused or failed request is run again
    /// one statement per request: each statement gets its own outcome, and a failure maps to
    /// exactly its operation (422, and 400 for a refused request). Running again the ones that had succeeded is harmless: templatec's
    /// statements set metadata to a value (COMMENT, tags), so the end state is that of a
    /// one-at-a-time run. The extra requests are paid only when something failed. A request that
    /// got no answer at all (connection lost, timed out) is not run again: every statement of it
    /// gets that failure, whose outcome is unknown.
    ///
    /// Statements are joined with a line break, `;` and a line break: a statement ending in a
    /// `--` comment would otherwise swallow the separator.
    public func executeTogether(_ statements: [String]) -> [ExecutionOutcome] {
        guard statements.count > 1 else { return statements.map { execute($0) } }
        let texts = statements.map { RemoteRequests.statementText($0) }
        switch run(texts.joined(separator: "\n;\n"), count: texts.count) {
        case .ok:
            return statements.map { _ in .ok }
        case .failed(_, let status) where status == 422 || status == 400:
            return statements.map { execute($0) }
        case .failed(let message, _), .unanswered(let message):
            return statements.map { _ in .failed(message + " (one of \(statements.count) statements sent together)") }
        }
    }

    /// How a request ended: every statement succeeded; the service answered a failure (the
    /// statements' outcomes are what it says, and for several, not known one by one); or no
    /// usable answer came (lost connection, timeout, a busy service past the deadline).
    enum RequestOutcome {
        case ok
        case failed(String, status: Int)
        case unanswered(String)
    }

    func run(_ statement: String, count: Int) -> RequestOutcome {
        let deadline = Deadline(seconds: spec.statementTimeout)
        var handle: String?
        do throws(RemoteRequests.Failure) {
            var request: [String: Any] = ["statement": statement, "timeout": max(1, Int(deadline.seconds.rounded(.up)))]
            if count > 1 { request["parameters"] = ["MULTI_STATEMENT_COUNT": String(count)] }
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
                    return .failed(requests.failure(response).message, status: response.status)
                }
            }
        } catch {
            if error.timedOut || deadline.passed, let handle {
                // Best effort: stop the statement we no longer wait for.
                _ = try? requests.transport.send(method: "POST", target: "/api/v2/statements/\(HTTPClient.percentEncode(handle))/cancel",
                                                 headers: headers, body: [], timeout: 2)
                return .unanswered(error.message + "; cancellation of statement \(handle) was requested")
            }
            return .unanswered(error.message)
        }
    }

    public func close() {}
}
