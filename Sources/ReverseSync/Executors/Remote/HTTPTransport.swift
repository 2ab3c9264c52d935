import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP request/response exchange with a fixed server (scheme, host and port), whatever carries
/// it. The remote executors (Trino, Databricks, Snowflake) speak only through this, so they work the
/// same over the in-process socket client (plain HTTP), the `openssl s_client` tunnel (HTTPS) and
/// `curl` (HTTPS through a proxy, or without openssl).
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
        let client = HTTPClient(host: host, port: port)
        self.client = client
        self.connectTimeout = connectTimeout
        connection = KeptAliveConnection(client: client, resendsUnanswered: true) { timeout throws(HTTPClient.Failure) in
            SocketLink(fd: try client.connect(timeout: timeout))
        }
    }

    var origin: String { "http://" + hostPort(client.host, client.port) }

    /// Connections opened so far (for tests: reuse means fewer than requests).
    var connectionsOpened: Int { connection.opened }

    func send(method: String, target: String, headers: [(String, String)], body: [UInt8],
              timeout: Double) throws(HTTPClient.Failure) -> HTTPClient.Response {
        try checkHeaders(headers)
        return try connection.send(method: method, target: target, headers: headers, body: body,
                                   connectTimeout: connectTimeout, timeout: timeout)
    }
}

/// What carries the bytes of a kept-alive connection: a socket of our own, or our end of a TLS
/// tunnel process (`TLSTunnel`).
protocol ConnectionLink: AnyObject {
    /// A connected stream socket: requests are written and answers read here.
    var fd: Int32 { get }
    /// Whether a request can be sent: the other side has not closed and sent nothing unasked
    /// (an idle connection the server closed shows as readable end of file).
    var isUsable: Bool { get }
    func close()
}

/// A plain TCP connection.
final class SocketLink: ConnectionLink {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    deinit { close() }
    private var closed = false
    var isUsable: Bool { !closed && socketIsIdle(fd) }
    func close() {
        if !closed { Glibc.close(fd); closed = true }
    }
}

/// True when nothing can be read from `fd` right now: no data and no end of file.
func socketIsIdle(_ fd: Int32) -> Bool {
    var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&p, 1, 0) == 0
}

/// The open connection of a transport, kept between requests while the server allows.
///
/// Before a request goes on a kept connection, the connection is checked: a server (or a TLS
/// tunnel) that closed it while idle shows as end of file, and a new connection is opened at no
/// risk, nothing having been sent. The race that remains — the connection dies after the request
/// went out and before a byte of answer — decides by the method and the transport:
/// - an idempotent request (`GET`: a poll, `DELETE`: a cancel) is sent once more on a new
///   connection: asking twice changes nothing;
/// - over a plain socket (`resendsUnanswered`), any other request too, once: a server that closed
///   an idle kept-alive connection as the request arrived either never read it or dropped it
///   unanswered (one that ran it and then died without a byte of answer would run it twice; the
///   statements templatec sends set metadata to a value, so running one twice leaves the same
///   result);
/// - over a TLS tunnel, a statement (`POST`) is not sent again: the tunnel process or its TLS
///   connection died under it, the service may have run it, and the failure says that its outcome
///   is not known (worded as a lost session, so the listener's retry of connection failures
///   applies to it).
final class KeptAliveConnection {
    typealias Opener = (_ timeout: Double) throws(HTTPClient.Failure) -> ConnectionLink
    private let client: HTTPClient
    private let open: Opener
    private let resendsUnanswered: Bool
    private var link: ConnectionLink?
    private(set) var opened = 0

    init(client: HTTPClient, resendsUnanswered: Bool, open: @escaping Opener) {
        self.client = client
        self.resendsUnanswered = resendsUnanswered
        self.open = open
    }

    deinit { link?.close() }

    /// The methods that may be sent twice (RFC 9110 §9.2.2).
    static let idempotentMethods: Set<String> = ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]

    func send(method: String, target: String, headers: [(String, String)], body: [UInt8],
              connectTimeout: Double, timeout: Double) throws(HTTPClient.Failure) -> HTTPClient.Response {
        let deadline = DispatchTime.now() + max(timeout, 0)
        var attempt = 0
        while true {
            attempt += 1
            if let current = link, !current.isUsable { drop() }
            let reused = link != nil
            let current: ConnectionLink
            if let link { current = link } else {
                current = try open(min(connectTimeout, max(timeout, 0.001)))
                link = current
                opened += 1
            }
            var received = 0
            do {
                let (response, reusable) = try client.exchange(current.fd, method: method, target: target, headers: headers, body: body,
                                                               keepAlive: true, deadline: deadline, received: &received)
                if !reusable { drop() }
                return response
            } catch {
                drop()
                guard received == 0, !isTimeout(error) else { throw error }
                if resendsUnanswered || KeptAliveConnection.idempotentMethods.contains(method) {
                    if reused && attempt == 1 { continue }
                    throw error
                }
                throw .protocolError("the session with \(hostPort(client.host, client.port)) ended: the connection closed after the request was sent and before any answer (\(KeptAliveConnection.reason(error))), so whether the service ran the statement is not known; it was not sent again. Check the statement's object; the next statement opens a new connection")
            }
        }
    }

    private static func reason(_ error: HTTPClient.Failure) -> String {
        switch error {
        case .cannotConnect(let why), .untrustedCertificate(let why), .protocolError(let why): return why
        case .timedOut: return "timed out"
        }
    }

    private func isTimeout(_ error: HTTPClient.Failure) -> Bool {
        if case .timedOut = error { return true }
        return false
    }

    private func drop() {
        link?.close()
        link = nil
    }
}

/// The transport for `spec`: plain HTTP through the socket client; HTTPS through one kept-alive
/// `openssl s_client` tunnel per session where it can (`TLSTunnelTransport`), else through `curl`,
/// one process per request (`CurlHTTPTransport`). curl is used when a proxy variable applies to
/// the host (curl honours them as before; the tunnel speaks to the host directly), when openssl is
/// not on PATH, or when `TEMPLATEC_HTTPS_CLIENT=curl` asks for it (`=openssl` insists on the
/// tunnel). The chosen client must be on PATH: checked here, so a missing one is a connection
/// error before any statement.
func makeTransport(for spec: ConnectionSpec, environment: [String: String]) throws(ConnectionError) -> HTTPTransport {
    guard spec.useTLS else {
        return SocketHTTPTransport(host: spec.host, port: spec.port, connectTimeout: spec.connectTimeout)
    }
    return try makeHTTPSTransport(host: spec.host, port: spec.port, connectTimeout: spec.connectTimeout,
                                  environment: environment, shown: "connection URL \(spec.redacted)")
}

/// The HTTPS transport for `host:port`, for the executors and the catalog client alike: the
/// kept-alive openssl tunnel where it can serve, else curl. `shown` names the address in errors.
func makeHTTPSTransport(host: String, port: Int, connectTimeout: Double, environment: [String: String],
                        shown: String) throws(ConnectionError) -> HTTPTransport {
    let environment = childEnvironment(environment, [:])
    let path = environment["PATH"] ?? ""
    let asked = environment["TEMPLATEC_HTTPS_CLIENT"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
    guard asked == nil || asked == "curl" || asked == "openssl" else {
        throw ConnectionError(.invalidURL, "TEMPLATEC_HTTPS_CLIENT=\(asked!) is not an HTTPS client templatec speaks through: use openssl (one kept-alive TLS tunnel per session) or curl (one process per request), or leave it unset")
    }
    let proxy = TLSTunnelTransport.proxy(for: host, environment: environment)
    if asked != "curl" {
        if let openssl = findExecutable("openssl", path: path), proxy == nil {
            return TLSTunnelTransport(host: host, port: port, connectTimeout: connectTimeout,
                                      environment: environment, executable: openssl)
        }
        if asked == "openssl" {
            let why = proxy.map { "the proxy variable \($0) applies to \(host), and the tunnel does not go through proxies: unset TEMPLATEC_HTTPS_CLIENT to use curl" }
                ?? "openssl is not on PATH (\(path)): install it or unset TEMPLATEC_HTTPS_CLIENT to use curl"
            throw ConnectionError(.clientNotFound, "\(shown) is HTTPS and TEMPLATEC_HTTPS_CLIENT=openssl, but \(why)")
        }
    }
    guard findExecutable("curl", path: path) != nil else {
        throw ConnectionError(.clientNotFound, "\(shown) is HTTPS, which templatec speaks through the `openssl` program (one kept-alive TLS tunnel per session) or, \(proxy.map { "as the proxy variable \($0) applies, " } ?? "")through `curl`, and neither is on PATH (\(environment["PATH"] ?? "unset")): install curl (7.43 or later) or openssl, or put it on PATH")
    }
    return CurlHTTPTransport(host: host, port: port, connectTimeout: connectTimeout, environment: environment)
}

/// The path of `name` in a PATH list, or nil.
func findExecutable(_ name: String, path: String) -> String? {
    for directory in path.split(separator: ":") where !directory.isEmpty {
        let candidate = "\(directory)/\(name)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
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
