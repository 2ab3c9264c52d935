import Foundation

/// What the three remote executors share: sending a request with retries of "busy" answers within a
/// statement's deadline, reading JSON answers, wording failures, and keeping credentials out of every
/// message.
struct RemoteRequests {
    /// "Trino", "Databricks", "Snowflake": for messages.
    let service: String
    let transport: HTTPTransport
    /// Values that must never appear in a message (tokens, passwords, their encoded forms).
    let secrets: [String]
    /// HTTP statuses that mean "try again shortly" for this service.
    var retryStatuses: Set<Int> = [429, 502, 503, 504]

    /// Why a request gave no usable answer: the message for the outcome, already redacted.
    /// `timedOut`: the statement's deadline ended it, so a statement the service still runs must be
    /// cancelled. This is what the executors test, not `deadline.passed`: a transport gives up at
    /// the deadline to the millisecond, and a clock read a moment later may still show time left.
    struct Failure: Error {
        let message: String
        var timedOut = false
    }

    /// Sends one request; a retryable status is retried until `deadline`, after the pause the
    /// answer's `Retry-After` asks for, else 50 ms doubling to 1 s. Returns the first other answer.
    /// A `Retry-After` beyond the deadline fails at once: waiting could not help.
    func send(_ method: String, _ target: String, headers: [(String, String)], body: [UInt8] = [],
              deadline: Deadline) throws(Failure) -> HTTPClient.Response {
        var pause = 0.05
        while true {
            guard !deadline.passed else { throw Failure(message: redact(describe(.timedOut, deadline: deadline)), timedOut: true) }
            let response: HTTPClient.Response
            do {
                response = try transport.send(method: method, target: target, headers: headers, body: body,
                                              timeout: deadline.remaining)
            } catch {
                let timedOut = if case .timedOut = error { true } else { false }
                throw Failure(message: redact(describe(error, deadline: deadline)), timedOut: timedOut)
            }
            guard retryStatuses.contains(response.status) else { return response }
            let asked = RemoteRequests.retryAfter(response.header("retry-after"))
            let wait = asked.map { max($0, 0.05) } ?? pause
            guard deadline.remaining > wait else {
                let why = asked.map { "asked to retry after \(ClientSession.format($0)) s, past" } ?? "was still answering it at"
                throw Failure(message: redact("\(service) at \(transport.origin) answered HTTP \(response.status) (busy) and \(why) the statement's deadline (\(ClientSession.format(deadline.seconds)) s): try again later or raise the connection option timeout=…"), timedOut: true)
            }
            Thread.sleep(forTimeInterval: wait)
            if asked == nil { pause = min(pause * 2, 1) }
        }
    }

    /// Seconds from a `Retry-After` value: a number of seconds, or an HTTP date (RFC 9110 §10.2.3).
    static func retryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite, seconds >= 0 { return seconds }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = f.date(from: value) else { return nil }
        return max(date.timeIntervalSince(now), 0)
    }

    func describe(_ error: HTTPClient.Failure, deadline: Deadline) -> String {
        let origin = transport.origin
        switch error {
        case .timedOut:
            return "\(service) at \(origin) did not finish the statement within \(ClientSession.format(deadline.seconds)) s: check that the service runs and that the timeout fits the statement (connection option timeout=…)"
        case .cannotConnect(let why):
            return "cannot connect to \(service) at \(origin) (\(why)): check the host and port of the connection URL and that the service is reachable from here"
        case .untrustedCertificate(let why):
            return "\(service) at \(origin): \(why)"
        case .protocolError(let why):
            return "HTTP request to \(service) at \(origin) failed: \(why)"
        }
    }

    /// The answer as a JSON object, or a failure that quotes (the start of) what came instead.
    func object(_ response: HTTPClient.Response) throws(Failure) -> [String: Any] {
        if let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] { return object }
        throw Failure(message: redact("\(service) at \(transport.origin) answered HTTP \(response.status) with something that is not a JSON object: \(excerpt(response.body))"))
    }

    /// A failed answer (4xx/5xx): the service's own message when the body has one, else the body.
    func failure(_ response: HTTPClient.Response, messageKeys: [String] = ["message"]) -> Failure {
        if let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] {
            for key in messageKeys {
                if let message = object[key] as? String, !message.isEmpty { return Failure(message: redact(message)) }
                if let nested = object[key] as? [String: Any], let message = nested["message"] as? String, !message.isEmpty {
                    return Failure(message: redact(message))
                }
            }
        }
        let hint = response.status == 401 || response.status == 403 ? " (check the credentials)" : ""
        let text = excerpt(response.body)
        return Failure(message: redact("\(service) at \(transport.origin) answered HTTP \(response.status)\(hint)" + (text.isEmpty ? " with no message" : ": \(text)")))
    }

    /// The first 500 characters of a body, on one line.
    func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(2000), as: UTF8.self)
            .split(whereSeparator: { $0.isNewline }).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        return text.count > 500 ? String(text.prefix(500)) + "…" : text
    }

    /// `text` with every secret replaced by `***`.
    func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where secret.count >= 3 { out = out.replacingOccurrences(of: secret, with: "***") }
        return out
    }

    /// Waits before the next poll: 50 ms, doubling to 1 s, never past the deadline.
    static func pause(_ current: inout Double, deadline: Deadline) {
        Thread.sleep(forTimeInterval: min(current, max(deadline.remaining, 0)))
        current = min(current * 2, 1)
    }

    /// The statement text to send: without trailing blanks and `;` (Trino rejects a trailing `;`,
    /// and each request carries exactly one statement).
    static func statementText(_ sql: String) -> String {
        var text = Substring(sql)
        while let last = text.last, last.isWhitespace || last == ";" { text = text.dropLast() }
        return String(text)
    }

    /// A JSON request body.
    static func json(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}

/// A point in time a statement must finish by.
struct Deadline {
    let seconds: Double
    let end: DispatchTime

    init(seconds: Double) {
        self.seconds = seconds
        end = .now() + seconds
    }

    /// Seconds left (at least 0).
    var remaining: Double {
        let now = DispatchTime.now()
        return now >= end ? 0 : Double(end.uptimeNanoseconds - now.uptimeNanoseconds) / 1e9
    }

    var passed: Bool { remaining <= 0 }
}
