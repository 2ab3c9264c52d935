import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on POSIX sockets: one thread accepts, one thread per connection (at
/// most `maxConnections`; beyond, the connection is answered 503 and closed). Keep-alive requests
/// are served in order on their connection. A client that sends nothing for `idleTimeout` seconds
/// is disconnected; one whose request is not complete within `requestTimeout` seconds of its first
/// byte is answered 408 (slowloris), so half-open and slow clients cannot hold a slot.
public final class HTTPServer: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        public var port = 0
        public var maxConnections = 64
        public var idleTimeout = 15.0
        public var requestTimeout = 30.0
        public var limits = HTTPRequestReader.Limits()
        public init() {}
    }

    public struct StartError: Error, CustomStringConvertible { public var description: String }

    public let configuration: Configuration
    /// The port bound (the one asked for, or the one the system chose for port 0).
    public private(set) var port = 0
    private let handler: @Sendable (HTTPRequest) -> HTTPResponse
    private let onRejected: @Sendable (Int) -> Void
    private var listenFD: Int32 = -1
    private let lock = NSLock()
    private var active = 0
    private var stopping = false
    private var connections: Set<Int32> = []
    private var acceptThread: Thread?
    private let acceptDone = DispatchSemaphore(value: 0)

    public init(_ configuration: Configuration, onRejected: @escaping @Sendable (Int) -> Void = { _ in },
                handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        self.configuration = configuration
        self.handler = handler
        self.onRejected = onRejected
    }

    /// Binds and starts accepting.
    public func start() throws(StartError) {
        var v4 = sockaddr_in(), v6 = sockaddr_in6()
        let family: Int32
        if inet_pton(AF_INET, configuration.host, &v4.sin_addr) == 1 {
            family = AF_INET
        } else if inet_pton(AF_INET6, configuration.host, &v6.sin6_addr) == 1 {
            family = AF_INET6
        } else {
            throw StartError(description: "--bind `\(configuration.host)` is not an IPv4 or IPv6 address (give e.g. 127.0.0.1, 0.0.0.0 or ::1)")
        }
        guard (0...65535).contains(configuration.port) else { throw StartError(description: "--port \(configuration.port) is not a port (0 to 65535)") }
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "cannot make a socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if family == AF_INET {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = in_port_t(UInt16(configuration.port).bigEndian)
            bound = withUnsafePointer(to: &v4) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        } else {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = in_port_t(UInt16(configuration.port).bigEndian)
            bound = withUnsafePointer(to: &v6) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
        }
        guard bound == 0 else {
            let why = String(cString: strerror(errno))
            Glibc.close(fd)
            throw StartError(description: "cannot listen on \(configuration.host):\(configuration.port): \(why)\(errno == EADDRINUSE ? " (another process uses the port: give another --port)" : "")")
        }
        guard listen(fd, 128) == 0 else {
            let why = String(cString: strerror(errno))
            Glibc.close(fd)
            throw StartError(description: "cannot listen on \(configuration.host):\(configuration.port): \(why)")
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        port = Int(UInt16(bigEndian: withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
        }))
        listenFD = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "listen-accept"
        acceptThread = thread
        thread.start()
    }

    /// Stops accepting and wakes idle keep-alive connections so they close. Requests being read
    /// or answered finish.
    public func stop() {
        lock.lock()
        let wasStopping = stopping
        stopping = true
        for fd in connections { shutdown(fd, Int32(SHUT_RD)) }
        lock.unlock()
        guard !wasStopping, listenFD >= 0 else { return }
        acceptDone.wait()
        Glibc.close(listenFD)
        listenFD = -1
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func acceptLoop() {
        defer { acceptDone.signal() }
        while !isStopping {
            var p = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, 200)
            if ready <= 0 { continue }
            let client = accept(listenFD, nil, nil)
            if client < 0 { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            // TCP keep-alive probes find peers that vanished without closing (half-open).
            var on: Int32 = 1
            setsockopt(client, SOL_SOCKET, SO_KEEPALIVE, &on, socklen_t(MemoryLayout<Int32>.size))
            setTimeout(client, SO_SNDTIMEO, configuration.idleTimeout)
            lock.lock()
            let admitted = active < configuration.maxConnections && !stopping
            if admitted {
                active += 1
                connections.insert(client)
            }
            lock.unlock()
            guard admitted else {
                onRejected(503)
                send(client, HTTPResponse.message(503, "too many connections (at most \(configuration.maxConnections) at once): retry later").bytes(keepAlive: false))
                Glibc.close(client)
                continue
            }
            let thread = Thread { [self] in
                serve(client)
                lock.lock()
                active -= 1
                connections.remove(client)
                lock.unlock()
                Glibc.close(client)
            }
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }

    private func setTimeout(_ fd: Int32, _ option: Int32, _ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, option, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Requests on one connection, until it closes, errs, times out or the server stops.
    private func serve(_ fd: Int32) {
        var reader = HTTPRequestReader(limits: configuration.limits)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var requestStarted: Double? = nil
        while true {
            // Answer every complete request already buffered.
            do {
                while let request = try reader.next() {
                    requestStarted = reader.isIdle ? nil : now()
                    let keepAlive = request.keepAlive && !isStopping
                    let response = handler(request)
                    if response.status >= 400 { onRejected(response.status) }
                    guard send(fd, response.bytes(keepAlive: keepAlive, head: request.method == "HEAD")), keepAlive else { return }
                }
                if reader.wantsContinue {
                    reader.continueSent()
                    guard send(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
                }
            } catch {
                onRejected(error.status)
                send(fd, HTTPResponse.message(error.status, error.message).bytes(keepAlive: false))
                return
            }
            if !reader.isIdle, requestStarted == nil { requestStarted = now() }
            // Wait for bytes: up to the idle timeout between requests, up to the request deadline
            // within one.
            let wait: Double
            if let started = requestStarted {
                wait = started + configuration.requestTimeout - now()
                if wait <= 0 {
                    onRejected(408)
                    send(fd, HTTPResponse.message(408, "the request was not complete within \(Int(configuration.requestTimeout)) s").bytes(keepAlive: false))
                    return
                }
            } else {
                if isStopping { return }
                wait = configuration.idleTimeout
            }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(min(wait, configuration.idleTimeout) * 1000))
            if ready == 0 {
                if requestStarted == nil { return }  // idle keep-alive connection: close quietly
                continue
            }
            if ready < 0 { if errno == EINTR { continue } else { return } }
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return }
            reader.append(chunk[0..<n])
        }
    }

    @discardableResult
    private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    private func now() -> Double { ProcessInfo.processInfo.systemUptime }
}
