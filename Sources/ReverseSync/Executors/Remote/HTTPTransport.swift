import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

/// Plain HTTP through `HTTPClient` (POSIX sockets, no libcurl in the process), on one kept-alive
/// connection: a statement's requests (Trino's polls) and the next statements reuse it instead of
/// connecting again. Used by one thread at a time, like the executor that owns it.
struct SocketHTTPTransport: HTTPTransport {
    let client: HTTPClient
    let connectTimeout: Double
    private let connection: KeptAliveConnection

    init(host: String, port: Int, connectTimeout: Double) {
        client = HTTPClient(host: host, port: port)
        self.connectTimeout = connectTimeout
        connection = KeptAliveConnection()
    }

    var origin: String { "http://" + hostPort(client.host, client.port) }

    /// Connections opened so far (for tests: reuse means fewer than requests).
    var connectionsOpened: Int { connection.opened }

    func send(method: String, target: String, headers: [(String, String)], body: [UInt8],
              timeout: Double) throws(HTTPClient.Failure) -> HTTPClient.Response {
        try checkHeaders(headers)
        return try connection.send(client, method: method, target: target, headers: headers, body: body,
                                   connectTimeout: connectTimeout, timeout: timeout)
    }
}

/// The open socket of a `SocketHTTPTransport`, kept between requests while the server allows.
///
/// A server may close an idle kept-alive connection at any moment; a request sent on it then fails
/// having received nothing. Such a request is sent once more, on a new connection: the server
/// either never read it or dropped it unanswered. (A server that ran it and then died without a
/// byte of answer would run it twice; the statements templatec sends set metadata to a value, so
/// running one twice leaves the same result.)
final class KeptAliveConnection {
    private var fd: Int32 = -1
    private(set) var opened = 0

    deinit { if fd >= 0 { close(fd) } }

    func send(_ client: HTTPClient, method: String, target: String, headers: [(String, String)], body: [UInt8],
              connectTimeout: Double, timeout: Double) throws(HTTPClient.Failure) -> HTTPClient.Response {
        let deadline = DispatchTime.now() + max(timeout, 0)
        var attempt = 0
        while true {
            attempt += 1
            let reused = fd >= 0
            if !reused {
                fd = try client.connect(timeout: min(connectTimeout, max(timeout, 0.001)))
                opened += 1
            }
            var received = 0
            do {
                let (response, reusable) = try client.exchange(fd, method: method, target: target, headers: headers, body: body,
                                                               keepAlive: true, deadline: deadline, received: &received)
                if !reusable { drop() }
                return response
            } catch {
                drop()
                guard reused, received == 0, attempt == 1, !isTimeout(error) else { throw error }
            }
        }
    }

    private func isTimeout(_ error: HTTPClient.Failure) -> Bool {
        if case .timedOut = error { return true }
        return false
    }

    private func drop() {
        if fd >= 0 { close(fd) }
        fd = -1
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
