import Foundation

/// ClickHouse over its HTTP interface: each statement is the body of a `POST /?database=…`; status
/// 200 is success, any other status is failure with the response body (ClickHouse's exception text)
/// as the message. Each request stands alone (no session), so statements are independent.
///
/// User and password come from the URL, or CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, and are sent as
/// HTTP basic authentication. Query parameters other than `database`, `timeout` and
/// `connect_timeout` are passed to ClickHouse as settings.
/// The server is asked `SELECT 1` when the executor is made, so a wrong address fails there.
/// Plain HTTP only (see `HTTPClient`): for `https://`, use `command:clickhouse-client --secure …`.

public final class ClickHouseExecutor: SQLExecutor {
    public let spec: ConnectionSpec
    private let client: HTTPClient
    private let target: String
    private let authorization: String?

    public init(spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) {
        self.spec = spec
        guard !spec.useTLS else {
            throw ConnectionError(.unsupportedScheme, "connection URL \(spec.redacted): templatec speaks plain HTTP to ClickHouse; for TLS use `command:clickhouse-client --secure --host … --multiquery`")
        }
        var query: [String] = []
        if let database = spec.database { query.append("database=" + HTTPClient.percentEncode(database)) }
        for (key, value) in spec.options.sorted(by: { $0.key < $1.key }) where !["timeout", "connect_timeout"].contains(key) {
            query.append(HTTPClient.percentEncode(key) + "=" + HTTPClient.percentEncode(value))
        }
        target = "/" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        client = HTTPClient(host: spec.host, port: spec.port)
        let user = spec.user ?? environment["CLICKHOUSE_USER"]
        let password = spec.password ?? environment["CLICKHOUSE_PASSWORD"]
        if user != nil || password != nil {
            authorization = "Basic " + Data("\(user ?? "default"):\(password ?? "")".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        let probe = post("SELECT 1", timeout: spec.connectTimeout)
        if !probe.success {
            throw ConnectionError(probe.message?.contains("no answer within") == true ? .timedOut : .connectionFailed,
                                  "cannot use ClickHouse at \(spec.redacted): \(probe.message ?? "no answer")")
        }
    }

    public func execute(_ sql: String) -> ExecutionOutcome {
        post(sql, timeout: spec.statementTimeout)
    }

    public func close() {}

    private func post(_ sql: String, timeout: Double) -> ExecutionOutcome {
        var headers = [("Content-Type", "text/plain; charset=utf-8")]
        if let authorization { headers.append(("Authorization", authorization)) }
        let endpoint = spec.endpoint
        do {
            let response = try client.send(method: "POST", target: target, headers: headers, body: Array(sql.utf8),
                                           connectTimeout: spec.connectTimeout, timeout: timeout)
            if response.status == 200 { return .ok }
            let body = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failed(body.isEmpty ? "ClickHouse at \(endpoint) answered HTTP \(response.status) with no message" : body)
        } catch {
            switch error {
            case .timedOut:
                return .failed("ClickHouse at \(endpoint) gave no answer within \(ClientSession.format(timeout)) s: check that the server runs and that the timeout fits the statement (connection option timeout=…)")
            case .cannotConnect(let why):
                return .failed("cannot connect to ClickHouse at \(endpoint) (\(why)): check that the server runs and that \(endpoint) is its HTTP port (8123 by default, not the native port 9000)")
            case .protocolError(let why):
                return .failed("HTTP request to ClickHouse at \(endpoint) failed: \(why). Check the address and that it is ClickHouse's HTTP port.")
            }
        }
    }
}
