#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// HTTPS by running the system's `curl` once per request.
///
/// Why a child process: TLS in this process would mean FoundationNetworking (URLSession), which loads
/// libcurl and some thirty libraries at every start of `templatec` — a one-file `check` would pay
/// for it too. A process per request costs a few milliseconds, which is nothing next to a remote
/// warehouse's latency, and only `sync` against an HTTPS service pays it.
///
/// Why `--config -`: everything that varies — URL, method, headers (the token among them) and
/// body — goes to curl on its standard input as a curl config file, never on the command line, where
/// any user could read the token in `ps` or /proc/PID/cmdline; nothing is written to disk either
/// (a temporary header file would have been readable for its lifetime and left behind by a crash).
/// The command line holds only fixed options. `--disable` comes first so a `~/.curlrc` cannot change
/// the request; proxy variables (`https_proxy`, `no_proxy`) and `CURL_CA_BUNDLE` still apply.
///
/// The body goes as `data-raw` (curl 7.43+), a quoted config string: `\`, `"`, CR, LF, tab and VT
/// escaped; unlike `data-binary`, a body starting with `@` is not read as a file name. A body with
/// a NUL character cannot be written there and is refused.
struct CurlHTTPTransport: HTTPTransport {
    let scheme: String
    let host: String
    let port: Int
    let connectTimeout: Double
    let environment: [String: String]
    let executable: String

    init(scheme: String = "https", host: String, port: Int, connectTimeout: Double, environment: [String: String], executable: String = "curl") {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
        self.environment = environment
        self.executable = executable
    }

    var origin: String { "\(scheme)://" + hostPort(host, port) }

    /// The fixed command line: nothing secret, nothing from the request.
    var arguments: [String] {
        ["--disable", "--silent", "--show-error", "--globoff", "--proto", "=http,https",
         "--config", "-", "--write-out", "\\n%header{retry-after}\\n%{http_code}"]
    }

    /// The curl config that carries the request (exposed for tests).
    func config(method: String, target: String, headers: [(String, String)], body: [UInt8], timeout: Double) throws(HTTPClient.Failure) -> String {
        try checkHeaders(headers)
        guard !body.contains(0) else {
            throw .protocolError("the request body contains a NUL character, which the HTTPS transport (curl) cannot send")
        }
        var lines = [
            "url = " + CurlHTTPTransport.quote(origin + target),
            "request = " + CurlHTTPTransport.quote(method),
            "connect-timeout = " + String(format: "%.3f", connectTimeout),
            "max-time = " + String(format: "%.3f", max(timeout, 0.1)),
            // curl itself stops at the bound (also for a body of unknown length, from curl 8.4).
            "max-filesize = \(HTTPClient.defaultMaximumResponseBytes)",
        ]
        for (name, value) in headers { lines.append("header = " + CurlHTTPTransport.quote("\(name): \(value)")) }
        if method != "GET" && method != "DELETE" || !body.isEmpty {
            lines.append("data-raw = " + CurlHTTPTransport.quote(String(decoding: body, as: UTF8.self)))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func send(method: String, target: String, headers: [(String, String)], body: [UInt8],
              timeout: Double) throws(HTTPClient.Failure) -> HTTPClient.Response {
        let input = try config(method: method, target: target, headers: headers, body: body, timeout: timeout)
        let process: ChildProcess
        do {
            process = try ChildProcess(executable: executable, arguments: arguments, environment: environment)
        } catch {
            throw .cannotConnect(error.message)
        }
        defer { process.terminate() }
        // curl reads its whole config before it writes anything, so writing first cannot deadlock.
        _ = process.write(Array(input.utf8))
        process.closeInput()
        var lines: [String] = []
        var received = 0
        // curl enforces max-time itself; this deadline only guards against a curl that hangs.
        let deadline = DispatchTime.now() + connectTimeout + timeout + 5
        reading: while true {
            switch process.readLine(deadline: deadline) {
            case .line(let bytes):
                // The same bound as the socket client's: an endless answer is cut off, not kept.
                received += bytes.count + 1
                if received > HTTPClient.defaultMaximumResponseBytes {
                    process.forceKill()
                    throw .protocolError("the answer is larger than \(HTTPClient.describeSize(HTTPClient.defaultMaximumResponseBytes)); stopped reading it")
                }
                lines.append(String(decoding: bytes, as: UTF8.self))
            case .endOfFile: break reading
            case .timedOut: process.forceKill(); throw .timedOut
            }
        }
        let status = process.wait(seconds: 5)
        // The answer's body, then the Retry-After header (empty when absent; curl 7.84 and later)
        // and the status code, one line each (`--write-out`).
        if status == 0, lines.count >= 2, let last = lines.last, let code = Int(last), code > 0 {
            let retryAfter = lines[lines.count - 2]
            let headers = retryAfter.isEmpty || retryAfter.hasPrefix("%") ? [] : [(name: "retry-after", value: retryAfter)]
            return HTTPClient.Response(status: code, body: Array(lines.dropLast(2).joined(separator: "\n").utf8), headers: headers)
        }
        // On failure curl prints `curl: (N) reason` on standard error (merged here) and `000` for
        // the status code.
        if lines.last == "000" { lines.removeLast(); if lines.last?.isEmpty == true { lines.removeLast() } }
        let said = lines.joined(separator: " ").trimmingCharacters(in: .whitespaces)
        let reason = said.range(of: #"^curl: \(\d+\) "#, options: .regularExpression).map { String(said[$0.upperBound...]) } ?? said
        switch status {
        case 6, 7: throw .cannotConnect(reason.isEmpty ? "curl exit status \(status)" : reason)
        case 28: throw .timedOut
        // 60: the peer's certificate did not verify; 51: it does not name the host (older curls).
        case 51, 60: throw .untrustedCertificate("TLS certificate verification by curl failed (\(reason)); nothing was sent: check the host name of the connection URL, and that the service's certificate authority is trusted (the system store, or the file in CURL_CA_BUNDLE)")
        default: throw .protocolError(reason.isEmpty ? "curl exited with status \(status)" : "\(reason) (curl exit status \(status))")
        }
    }

    /// A curl config quoted string.
    static func quote(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// The path of `curl` in a PATH list, or nil.
    static func findCurl(path: String) -> String? { findExecutable("curl", path: path) }
}
