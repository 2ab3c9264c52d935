import Foundation

/// One HTTP request/response exchange with a fixed server (scheme, host and port), whatever carries
/// it. The remote executors (Trino, Databricks, Snowflake) speak only through this, so they work the
/// same over the in-process socket client (plain HTTP) and over `curl` (HTTPS).
protocol HTTPTransport {
    /// `scheme://host:port`, for messages and for building absolute URLs.
    var origin: String { get }
    /// Sends one request. `target` is the path and query (`/v1/statement`). `timeout` bounds the
    /// whole exchange after the connection is made; the connect timeout is the transport's own.
    func send(method: String, target: String, headers: [(String, String)], body: [UInt8],
              timeout: Double) throws(HTTPClient.Failure) -> HTTPClient.Response
}

/// Plain HTTP through `HTTPClient` (POSIX sockets, no libcurl in the process).
struct SocketHTTPTransport: HTTPTransport {
    let client: HTTPClient
    let connectTimeout: Double

    init(host: String, port: Int, connectTimeout: Double) {
        client = HTTPClient(host: host, port: port)
        self.connectTimeout = connectTimeout
    }

    var origin: String { "http://" + hostPort(client.host, client.port) }

    func send(method: String, target: String, headers: [(String, String)], body: [UInt8],
              timeout: Double) throws(HTTPClient.Failure) -> HTTPClient.Response {
        try checkHeaders(headers)
        return try client.send(method: method, target: target, headers: headers, body: body,
                               connectTimeout: connectTimeout, timeout: timeout)
    }
}

/// The transport for `spec`: HTTPS through the system's `curl` (see `CurlHTTPTransport` for why),
/// plain HTTP through the socket client. For HTTPS, `curl` must be on PATH: checked here, so a
/// missing client is a connection error before any statement.
func makeTransport(for spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) -> HTTPTransport {
    guard spec.useTLS else {
        return SocketHTTPTransport(host: spec.host, port: spec.port, connectTimeout: spec.connectTimeout)
    }
    let environment = childEnvironment(environment, [:])
    guard CurlHTTPTransport.findCurl(path: environment["PATH"] ?? "") != nil else {
        throw ConnectionError(.clientNotFound, "connection URL \(spec.redacted) is HTTPS, which templatec speaks through the `curl` program, and curl is not on PATH (\(environment["PATH"] ?? "unset")): install curl (7.43 or later) or put it on PATH")
    }
    return CurlHTTPTransport(host: spec.host, port: spec.port, connectTimeout: spec.connectTimeout, environment: environment)
}

/// `host:port`, with an IPv6 host in brackets.
func hostPort(_ host: String, _ port: Int) -> String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

/// A header name or value with a line break (or NUL) would smuggle extra headers into the request.
func checkHeaders(_ headers: [(String, String)]) throws(HTTPClient.Failure) {
    // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
    for (name, value) in headers where (name + value).unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
        throw .protocolError("the value of header \(name) contains a line break or NUL character, which HTTP cannot carry: check the names and credentials given for the connection")
    }
}
