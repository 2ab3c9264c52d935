#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// HTTPS over one long-lived `openssl s_client` process per session, used as a TLS pipe: the
/// process makes the TCP connection and the TLS handshake once, and every later request of the
/// session goes through it, framed by templatec's own HTTP/1.1 code (`HTTPClient.exchange`, the
/// kept-alive connection of the plain HTTP transport). One handshake per session instead of one
/// process, one TCP connection and one handshake per request (`CurlHTTPTransport`); measured in
/// `templatec-bench remote` (docs/sync.md, "HTTPS").
///
/// The tunnel's standard input and output are one end of a socket pair (`ChildProcess.Streams.socket`),
/// so the same send/recv/poll code drives it as a TCP socket; its standard error carries
/// `-brief`'s summary, read once to learn that the handshake was verified.
///
/// Verification fails closed: `-verify_return_error` ends the handshake on any certificate error
/// (unknown CA, expired, wrong name), `-verify_hostname HOST` (`-verify_ip` for an address) checks
/// the name, `-servername HOST` sends SNI. No request is written before s_client reports
/// `Verification: OK` — and TLS carries no application data before the handshake ends anyway, so
/// the token cannot reach an unverified server. Trust: the system store (OpenSSL's default paths,
/// which honour `SSL_CERT_FILE` and `SSL_CERT_DIR`), or the file in `CURL_CA_BUNDLE` /
/// `SSL_CERT_FILE` given as `-CAfile`, as curl honours them.
///
/// Secrets: the command line holds only the host, the port and the CA file; the request (its
/// `Authorization` header among it) goes through the socket, never through argv or a file.
///
/// Proxies: the tunnel connects directly, so when a proxy variable applies to the host
/// `makeTransport` picks curl, which honours them as before.
final class TLSTunnelTransport: HTTPTransport {
    let host: String
    let port: Int
    let connectTimeout: Double
    let environment: [String: String]
    let executable: String
    private let connection: KeptAliveConnection
    /// The tunnel in use (for tests: to kill it between statements).
    private let current: CurrentTunnel

    init(host: String, port: Int, connectTimeout: Double, environment: [String: String], executable: String = "openssl") {
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.environment = environment
        self.executable = executable
        let arguments = TLSTunnelTransport.arguments(host: host, port: port, environment: environment)
        let current = CurrentTunnel()
        self.current = current
        connection = KeptAliveConnection(client: HTTPClient(host: host, port: port), resendsUnanswered: false) { timeout throws(HTTPClient.Failure) in
            let tunnel = try TLSTunnel.open(executable: executable, arguments: arguments, environment: environment,
                                            endpoint: hostPort(host, port), timeout: timeout)
            current.tunnel = tunnel
            return tunnel
        }
    }

    var origin: String { "https://" + hostPort(host, port) }

    /// Tunnels (TLS handshakes) opened so far.
    var tunnelsOpened: Int { connection.opened }
    /// The process id of the tunnel last opened, while it runs.
    var tunnelPID: pid_t? { current.tunnel.flatMap { $0.process.pollExit() == nil ? $0.process.pid : nil } }

    func send(method: String, target: String, headers: [(String, String)], body: [UInt8],
              timeout: Double) throws(HTTPClient.Failure) -> HTTPClient.Response {
        try checkHeaders(headers)
        return try connection.send(method: method, target: target, headers: headers, body: body,
                                   connectTimeout: connectTimeout, timeout: timeout)
    }

    /// The fixed command line: nothing secret, nothing from a request.
    static func arguments(host: String, port: Int, environment: [String: String]) -> [String] {
        // -no_ign_eof: the tunnel ends when its input does (-quiet alone would keep it open), so a
        // templatec that dies leaves no s_client behind.
        var arguments = ["s_client", "-brief", "-quiet", "-no_ign_eof", "-connect", hostPort(host, port), "-verify_return_error"]
        if isAddress(host) {
            arguments += ["-verify_ip", host, "-noservername"]
        } else {
            arguments += ["-verify_hostname", host, "-servername", host]
        }
        if let file = ["CURL_CA_BUNDLE", "SSL_CERT_FILE"].lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) {
            arguments += ["-CAfile", file]
        }
        return arguments
    }

    static func isAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// The proxy variable that applies to `host` (curl's rules: `https_proxy`, `HTTPS_PROXY`,
    /// `all_proxy`, `ALL_PROXY`, unless `no_proxy`/`NO_PROXY` is `*` or names the host or one of
    /// its parent domains), or nil.
    static func proxy(for host: String, environment: [String: String]) -> String? {
        guard let name = ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"].first(where: { environment[$0].map { !$0.isEmpty } ?? false }) else { return nil }
        let exceptions = (environment["no_proxy"] ?? environment["NO_PROXY"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        let h = host.lowercased()
        for exception in exceptions {
            if exception == "*" { return nil }
            let domain = exception.hasPrefix(".") ? String(exception.dropFirst()) : exception
            if h == domain || h.hasSuffix("." + domain) { return nil }
        }
        return name
    }
}

/// The tunnel a transport uses now; written by the opener, read by tests.
private final class CurrentTunnel: @unchecked Sendable {
    var tunnel: TLSTunnel?
}

/// One `openssl s_client` process whose handshake was verified.
final class TLSTunnel: ConnectionLink {
    let process: ChildProcess

    private init(process: ChildProcess) { self.process = process }

    var fd: Int32 { process.inputFD }
    var isUsable: Bool { process.inputFD >= 0 && process.pollExit() == nil && socketIsIdle(process.inputFD) }
    func close() { process.terminate() }

    /// Starts s_client and waits, at most `timeout`, for its report of a verified handshake.
    static func open(executable: String, arguments: [String], environment: [String: String],
                     endpoint: String, timeout: Double) throws(HTTPClient.Failure) -> TLSTunnel {
        let process: ChildProcess
        do {
            process = try ChildProcess(executable: executable, arguments: arguments, environment: environment, streams: .socket)
        } catch {
            throw .cannotConnect(error.message)
        }
        let deadline = DispatchTime.now() + max(timeout, 0.001)
        var said: [String] = []
        while true {
            switch process.readLine(deadline: deadline) {
            case .line(let bytes):
                let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                if line == "Verification: OK" { return TLSTunnel(process: process) }
                said.append(line)
            case .timedOut:
                process.terminate()
                throw .timedOut
            case .endOfFile:
                process.terminate()
                if said.contains(where: { $0.contains("verify error:") }) { throw .untrustedCertificate(reason(said)) }
                throw .cannotConnect(reason(said))
            }
        }
    }

    /// What s_client said on a failed connection, reduced to its cause.
    static func reason(_ lines: [String]) -> String {
        let text = lines.joined(separator: "\n")
        if let verify = lines.first(where: { $0.contains("verify error:") }) {
            // `verify error:num=62:hostname mismatch`
            let cause = verify.split(separator: ":").last.map(String.init) ?? verify
            return "TLS certificate verification by openssl s_client failed (\(cause)); nothing was sent: check the host name of the connection URL, and that the service's certificate authority is trusted (the system store, or the file in CURL_CA_BUNDLE, else SSL_CERT_FILE)"
        }
        if text.contains("Connection refused") { return "Connection refused (openssl s_client)" }
        let errors = lines.filter { $0.contains("error") || $0.contains("errno") }
        let shown = (errors.isEmpty ? lines : errors).joined(separator: " ")
        return "TLS connection failed" + (shown.isEmpty ? "" : ": " + String(shown.prefix(400))) + " (openssl s_client)"
    }
}
