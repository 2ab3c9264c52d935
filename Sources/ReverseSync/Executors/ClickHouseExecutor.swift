import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ClickHouse over its HTTP interface: each statement is the body of a `POST /?database=…`; status
/// 200 is success, any other status is failure with the response body (ClickHouse's exception text)
/// as the message. Each request stands alone (no session), so statements are independent.
///
/// User and password come from the URL, or CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, and are sent as
/// HTTP basic authentication. Query parameters other than `database`, `timeout` and
/// `connect_timeout` are passed to ClickHouse as settings.
/// The server is asked `SELECT 1` when the executor is made, so a wrong address fails there.
public final class ClickHouseExecutor: SQLExecutor {
    public let spec: ConnectionSpec
    private let session: URLSession
    private let endpointURL: URL
    private let authorization: String?

    public init(spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) {
        self.spec = spec
        var components = URLComponents()
        components.scheme = spec.useTLS ? "https" : "http"
        components.host = spec.host
        components.port = spec.port
        components.path = "/"
        var query: [URLQueryItem] = []
        if let database = spec.database { query.append(URLQueryItem(name: "database", value: database)) }
        for (key, value) in spec.options.sorted(by: { $0.key < $1.key }) where !["timeout", "connect_timeout"].contains(key) {
            query.append(URLQueryItem(name: key, value: value))
        }
        components.queryItems = query.isEmpty ? nil : query
        guard let url = components.url else {
            throw ConnectionError(.invalidURL, "connection URL \(spec.redacted) does not make a valid HTTP address")
        }
        endpointURL = url
        let user = spec.user ?? environment["CLICKHOUSE_USER"]
        let password = spec.password ?? environment["CLICKHOUSE_PASSWORD"]
        if user != nil || password != nil {
            authorization = "Basic " + Data("\(user ?? "default"):\(password ?? "")".utf8).base64EncodedString()
        } else {
            authorization = nil
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = spec.statementTimeout
        configuration.timeoutIntervalForResource = spec.statementTimeout
        configuration.httpMaximumConnectionsPerHost = 1
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)

        let probe = post("SELECT 1", timeout: spec.connectTimeout)
        if !probe.success {
            session.invalidateAndCancel()
            throw ConnectionError(probe.message?.contains("timed out") == true ? .timedOut : .connectionFailed,
                                  "cannot use ClickHouse at \(spec.redacted): \(probe.message ?? "no answer")")
        }
    }

    deinit { session.invalidateAndCancel() }

    public func execute(_ sql: String) -> ExecutionOutcome {
        post(sql, timeout: spec.statementTimeout)
    }

    public func close() { session.finishTasksAndInvalidate() }

    private final class ResultBox: @unchecked Sendable {
        var outcome = ExecutionOutcome.failed("no answer")
    }

    private func post(_ sql: String, timeout: Double) -> ExecutionOutcome {
        var request = URLRequest(url: endpointURL, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(sql.utf8)
        request.setValue("text/plain; charset=utf-8", forHTTPHeaderField: "Content-Type")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let endpoint = spec.endpoint
        let task = session.dataTask(with: request) { data, response, error in
            defer { done.signal() }
            if let error {
                box.outcome = .failed(ClickHouseExecutor.describe(error, endpoint: endpoint, timeout: timeout))
                return
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let body = String(decoding: data ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if status == 200 {
                box.outcome = .ok
            } else {
                box.outcome = .failed(body.isEmpty ? "ClickHouse at \(endpoint) answered HTTP \(status) with no message" : body)
            }
        }
        task.resume()
        // URLSession enforces the timeout; the margin only guards against a lost callback.
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            task.cancel()
            return .failed("ClickHouse at \(endpoint) gave no answer within \(ClientSession.format(timeout)) s (connection option timeout=…)")
        }
        return box.outcome
    }

    private static func describe(_ error: Error, endpoint: String, timeout: Double) -> String {
        let nsError = error as NSError
        if nsError.domain == NSURLErrorDomain {
            switch nsError.code {
            case NSURLErrorTimedOut:
                return "ClickHouse at \(endpoint) gave no answer within \(ClientSession.format(timeout)) s: check that the server runs and that the timeout fits the statement (connection option timeout=…)"
            case NSURLErrorCannotConnectToHost, NSURLErrorNetworkConnectionLost, NSURLErrorCannotFindHost, NSURLErrorNotConnectedToInternet:
                return "cannot connect to ClickHouse at \(endpoint) (\(nsError.localizedDescription)): check that the server runs and that \(endpoint) is its HTTP port (8123 by default, not the native port 9000)"
            default: break
            }
        }
        return "HTTP request to ClickHouse at \(endpoint) failed: \(nsError.localizedDescription). Check the address and that it is ClickHouse's HTTP port."
    }
}
