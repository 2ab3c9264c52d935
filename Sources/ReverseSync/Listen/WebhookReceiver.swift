import Foundation
import TemplateCompiler

/// The receiver's routes: `POST /events` (one ChangeEvent per request; `PUT` too, which a
/// destination can be set to send), `GET /healthz` and `GET /metrics`. An event is answered 200
/// only once the inbox has it on disk.
struct WebhookReceiver: Sendable {
    let inbox: Inbox
    let metrics: ListenMetrics
    /// `TEMPLATEC_WEBHOOK_SECRET`: when set, every event must carry a valid `X-OM-Signature`.
    let secret: String?
    let isStopping: @Sendable () -> Bool

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/events":
            guard request.method == "POST" || request.method == "PUT" else { return notAllowed(request, "POST") }
            return receive(request)
        case "/healthz":
            guard request.method == "GET" || request.method == "HEAD" else { return notAllowed(request, "GET") }
            if isStopping() { return .message(503, "shutting down") }
            return HTTPResponse(status: 200, contentType: "text/plain; charset=utf-8", body: Array("ok\n".utf8))
        case "/metrics":
            guard request.method == "GET" || request.method == "HEAD" else { return notAllowed(request, "GET") }
            return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                                body: Array(metrics.text(pending: inbox.pendingCount).utf8))
        default:
            return .message(404, "no such path `\(request.path)`: events go to POST /events (also GET /healthz, GET /metrics)")
        }
    }

    private func notAllowed(_ request: HTTPRequest, _ allowed: String) -> HTTPResponse {
        .message(405, "\(request.method) is not allowed on \(request.path): use \(allowed)")
    }

    private func receive(_ request: HTTPRequest) -> HTTPResponse {
        if isStopping() { return .message(503, "shutting down: send the event again later") }
        if let secret {
            let header = request.header("x-om-signature")
            guard WebhookSignature.verify(header: header, secret: secret, body: request.body) else {
                return .message(401, header == nil
                    ? "missing X-OM-Signature: set the same secret on the catalog's webhook destination as in TEMPLATEC_WEBHOOK_SECRET"
                    : "X-OM-Signature does not match the body: the webhook's secret differs from TEMPLATEC_WEBHOOK_SECRET")
            }
        }
        do { _ = try ChangeEvent.parse(request.body) } catch {
            // The catalog's "Test" button must see the destination work: answered, not recorded.
            if ChangeEvent.isTestMessage(request.body) { return .message(200, "test message received (not an event: nothing recorded)") }
            return .message(400, error.message)
        }
        do {
            let sequence = try inbox.append(request.body)
            metrics.received()
            var out: [UInt8] = []
            AnswerJSON.object(["status": .int(200), "message": .text("recorded"), "sequence": .int(Int(sequence))], into: &out)
            return HTTPResponse(status: 200, body: out + [0x0A])
        } catch {
            return .message(503, "the event could not be recorded: \(error)")
        }
    }
}
