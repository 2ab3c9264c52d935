import Foundation

/// Trino over its client REST protocol (https://trino.io/docs/current/develop/client-protocol.html):
/// `POST /v1/statement` with the SQL as the body and `X-Trino-User` / `-Catalog` / `-Schema`
/// headers, then `GET` each `nextUri` until an answer has none. An `error` object in any answer
/// fails the statement with its `message` (and `errorName`); HTTP 502/503/504 (and 429) are
/// retried after a short pause, as the protocol asks. The whole exchange is bounded by the statement
/// timeout; a statement still running then is cancelled (`DELETE nextUri`).
///
/// URL: `trino://user@host[:8080]/[catalog[/schema]]`, or `trino+https://…` (port 443) for TLS.
/// User: the URL's, else TRINO_USER, else `templatec`. Credentials: the URL's password or
/// TRINO_PASSWORD as HTTP basic authentication; else TRINO_TOKEN as a bearer token.
///
/// `nextUri` is an absolute URL; its path and query are requested from the server of the connection
/// URL (so a coordinator behind a proxy that rewrites host names still works).
public final class TrinoExecutor: SQLExecutor {
    public let spec: ConnectionSpec
    private let requests: RemoteRequests
    private let headers: [(String, String)]

    public convenience init(spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) {
        try self.init(spec: spec, environment: environment, transport: try makeTransport(for: spec, environment: environment))
    }

    init(spec: ConnectionSpec, environment: [String: String], transport: HTTPTransport) throws(ConnectionError) {
        self.spec = spec
        let user = spec.user ?? environment["TRINO_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "templatec"
        var headers = [("X-Trino-User", user), ("X-Trino-Source", "templatec"), ("Content-Type", "text/plain; charset=utf-8")]
        if spec.path.count > 0 { headers.append(("X-Trino-Catalog", spec.path[0])) }
        if spec.path.count > 1 { headers.append(("X-Trino-Schema", spec.path[1])) }
        var secrets: [String] = []
        if let password = spec.password ?? environment["TRINO_PASSWORD"].flatMap({ $0.isEmpty ? nil : $0 }) {
            let basic = Data("\(user):\(password)".utf8).base64EncodedString()
            headers.append(("Authorization", "Basic " + basic))
            secrets += [password, basic]
        } else if let token = environment["TRINO_TOKEN"], !token.isEmpty {
            headers.append(("Authorization", "Bearer " + token))
            secrets.append(token)
        }
        self.headers = headers
        requests = RemoteRequests(service: "Trino", transport: transport, secrets: secrets)
    }

    public func execute(_ sql: String) -> ExecutionOutcome {
        let deadline = Deadline(seconds: spec.statementTimeout)
        var nextTarget: String?
        do throws(RemoteRequests.Failure) {
            var response = try requests.send("POST", "/v1/statement", headers: headers,
                                             body: Array(RemoteRequests.statementText(sql).utf8), deadline: deadline)
            while true {
                guard response.status == 200 else { throw requests.failure(response, messageKeys: ["error", "message"]) }
                let answer = try requests.object(response)
                if let error = answer["error"] as? [String: Any] {
                    return .failed(requests.redact(TrinoExecutor.message(of: error)))
                }
                guard let next = answer["nextUri"] as? String else { return .ok }
                nextTarget = TrinoExecutor.target(of: next)
                guard let target = nextTarget else {
                    return .failed(requests.redact("Trino answered a nextUri that is not an http(s) URL: \(next)"))
                }
                response = try requests.send("GET", target, headers: headers, deadline: deadline)
            }
        } catch {
            if error.timedOut || deadline.passed, let nextTarget {
                // Best effort: tell the coordinator to stop the query we no longer wait for.
                _ = try? requests.transport.send(method: "DELETE", target: nextTarget, headers: headers, body: [], timeout: 2)
                return .failed(error.message + "; the query was cancelled")
            }
            return .failed(error.message)
        }
    }

    public func close() {}

    /// `message` of Trino's error object, with its `errorName` (`TABLE_NOT_FOUND`) when given.
    static func message(of error: [String: Any]) -> String {
        let message = (error["message"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "the query failed with no message"
        if let name = error["errorName"] as? String, !name.isEmpty, !message.contains(name) { return "\(message) (\(name))" }
        return message
    }

    /// The path and query of an absolute `http(s)://host/path` URL.
    static func target(of uri: String) -> String? {
        guard let schemeEnd = uri.range(of: "://"), uri.lowercased().hasPrefix("http") else { return uri.hasPrefix("/") ? uri : nil }
        let afterAuthority = uri[schemeEnd.upperBound...]
        guard let slash = afterAuthority.firstIndex(of: "/") else { return "/" }
        return String(afterAuthority[slash...])
    }
}
