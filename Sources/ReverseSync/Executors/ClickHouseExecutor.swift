import Foundation

/// ClickHouse over its HTTP interface: each statement is the body of a `POST /?database=…`; status
/// 200 is success, any other status is failure with the response body (ClickHouse's exception text)
/// as the message. Each request stands alone (no session), so statements are independent.
///
/// The session contract (docs/sync.md): the body is UTF-8 and says so (`Content-Type: text/plain;
/// charset=utf-8`; ClickHouse strings are bytes, so what is sent is what is stored), and every
/// request carries `max_execution_time` = the URL's `timeout`, so a statement ends on the server.
/// Plain HTTP through the socket client; `https://` through the shared transport (curl, which gets
/// the credentials in its configuration on standard input, never on its command line).
///
/// User and password come from the URL, or CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, and are sent as
/// HTTP basic authentication. Query parameters other than `database`, `timeout` and
/// `connect_timeout` are passed to ClickHouse as settings. Server messages are redacted: a server
/// (or a proxy) that reflects the request cannot put the credentials into a result.
/// The server is asked `SELECT 1` when the executor is made, so a wrong address fails there.
public final class ClickHouseExecutor: SQLExecutor {
    public let spec: ConnectionSpec
    private let transport: HTTPTransport
    private let target: String
    private let authorization: String?
    /// Texts that must never appear in a message: the header value, its base64, the password.
    private let secrets: [String]
    public let session: SessionSettings

    /// The `User-Agent` of every statement templatec runs: ClickHouse keeps it in
    /// `system.query_log.http_user_agent` (18.16 and later), where the statement history
    /// (docs/history.md) tells templatec's own statements from everyone else's.
    public static let userAgent = "templatec"
    /// The `User-Agent` of templatec's read-only queries (current state, statement history).
    static let stateUserAgent = "templatec-state"

    public init(spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) {
        self.spec = spec
        var settings = spec.options.filter { !["timeout", "connect_timeout"].contains($0.key) }
        if settings["max_execution_time"] == nil { settings["max_execution_time"] = String(Int(spec.statementTimeout.rounded(.up))) }
        var query: [String] = []
        if let database = spec.database { query.append("database=" + HTTPClient.percentEncode(database)) }
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            query.append(HTTPClient.percentEncode(key) + "=" + HTTPClient.percentEncode(value))
        }
        target = "/?" + query.joined(separator: "&")
        transport = try makeTransport(for: spec, environment: environment)
        let user = spec.user ?? environment["CLICKHOUSE_USER"]
        let password = spec.password ?? environment["CLICKHOUSE_PASSWORD"]
        if user != nil || password != nil {
            let credentials = Data("\(user ?? "default"):\(password ?? "")".utf8).base64EncodedString()
            authorization = "Basic " + credentials
            secrets = [credentials] + ((password ?? "").count >= 3 ? [password!] : [])
        } else {
            authorization = nil
            secrets = []
        }
        session = SessionSettings(values: [.init("request body", "UTF-8"), .init("max_execution_time", settings["max_execution_time"]!),
                                           .init("transport", spec.useTLS ? "https" : "http")])
        let probe = post("SELECT 1", timeout: spec.connectTimeout)
        if !probe.success {
            throw ConnectionError(probe.message?.contains("no answer within") == true ? .timedOut : .connectionFailed,
                                  "cannot use ClickHouse at \(spec.redacted): \(probe.message ?? "no answer")")
        }
    }

    public func execute(_ sql: String) -> ExecutionOutcome {
        post(sql, timeout: spec.clientWait)
    }

    public func close() {}

    /// `text` without the credentials: any `Authorization:` header line, the base64 credentials and
    /// the password are replaced by `***`.
    func redact(_ text: String) -> String {
        var out = text.replacingOccurrences(of: #"(?i)(authorization\s*[:=]\s*)[^\r\n]*"#, with: "$1***", options: .regularExpression)
        for secret in secrets { out = out.replacingOccurrences(of: secret, with: "***") }
        return out
    }

    private func post(_ sql: String, timeout: Double) -> ExecutionOutcome {
        var headers = [("Content-Type", "text/plain; charset=utf-8"), ("User-Agent", Self.userAgent)]
        if let authorization { headers.append(("Authorization", authorization)) }
        let endpoint = spec.endpoint
        do {
            let response = try transport.send(method: "POST", target: target, headers: headers, body: Array(sql.utf8), timeout: timeout)
            if response.status == 200 { return .ok }
            let body = redact(String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            return .failed(body.isEmpty ? "ClickHouse at \(endpoint) answered HTTP \(response.status) with no message" : body)
        } catch {
            switch error {
            case .timedOut:
                return .failed("ClickHouse at \(endpoint) gave no answer within \(ClientSession.format(timeout)) s: check that the server runs and that the timeout fits the statement (connection option timeout=…)")
            case .cannotConnect(let why):
                return .failed("cannot connect to ClickHouse at \(endpoint) (\(redact(why))): check that the server runs and that \(endpoint) is its HTTP port (8123 by default, not the native port 9000)")
            case .untrustedCertificate(let why):
                return .failed("ClickHouse at \(endpoint): \(redact(why))")
            case .protocolError(let why):
                return .failed("HTTP request to ClickHouse at \(endpoint) failed: \(redact(why)). Check the address and that it is ClickHouse's HTTP port.")
            }
        }
    }
}
