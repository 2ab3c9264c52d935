import Foundation
import ReverseSync
import TemplateCompiler
#if canImport(Glibc)
import Glibc
#endif

/// `templatec listen`: OpenMetadata's Generic Webhook, applied to the database as events arrive.
enum ListenCommand: Command {
    static let name = "listen"
    static let summary = "receive the catalog's change events (webhook) and apply them in real time"
    static let help = """
    Usage: templatec listen --connector C --connection URL [options]

    Receives OpenMetadata change events from a Generic Webhook alert destination (one ChangeEvent
    per POST /events), records each one durably in the state directory, answers 200, and applies
    it through the same planner, templates and executors as `templatec sync`. See docs/listen.md.

    Options:
      --connector C          \(ConnectorID.allNames)
      --connection URL       the database, as for `templatec sync` (postgresql://…, mysql://…,
                             http://… for ClickHouse, …)
      --service NAME         the catalog's database service to sync; events of other
                             services are recorded as skipped
      --channels FILE        channel configuration, filtering exactly as in `templatec sync`
      --include-glossary     also push Glossary terms as tags
      --bind ADDR            address to listen on (default 127.0.0.1; put a TLS reverse proxy
                             in front for other hosts)
      --port N               port (default 8787; 0 picks a free one, printed at start)
      --state-dir DIR        inbox, lock and run records (default $TEMPLATEC_STATE_DIR, else
                             .templatec); outcomes are shown by `templatec runs`
      --max-connections N    concurrent connections (default 64; more are answered 503)
      --request-timeout S    seconds a client has to send a whole request (default 30;
                             slower ones are answered 408); idle connections close after 15
      -h, --help             show this help

    Environment:
      TEMPLATEC_WEBHOOK_SECRET  when set, every event must carry OpenMetadata's signature
                                X-OM-Signature: sha256=<Base64(HMAC-SHA256(secret, body))>;
                                a missing or wrong one is answered 401 and nothing is recorded

    Routes: POST (or PUT) /events (200 once recorded; 400 not a ChangeEvent; 401 signature;
    413 over 10 MB), GET /healthz, GET /metrics (Prometheus text).

    Signals: SIGTERM or SIGINT stops receiving, finishes the batch in flight and exits 0; events
    recorded and not yet applied are applied at the next start.

    Exit status: 0 stopped by a signal, 1 the receiver could not start, 2 usage error.

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["connector", "connection", "service", "channels", "bind", "port", "state-dir", "max-connections", "request-timeout"],
                                 flagOptions: ["include-glossary"])
        guard args.positional.isEmpty else { throw UsageError("listen takes no positional argument (`\(args.positional[0])`)") }
        guard let connectorName = args.value("connector") else { throw UsageError("--connector is required: one of \(ConnectorID.allNames)") }
        guard let connector = Connector.named(connectorName) else { throw UsageError(DefaultsCommand.unknownConnector(connectorName)) }
        guard let url = args.value("connection") else { throw UsageError("--connection is required: the database the events are applied to") }
        let spec: ConnectionSpec
        do { spec = try ConnectionURL.parse(url) } catch { throw UsageError("--connection: \(error)") }
        func number(_ option: String, default value: Int, range: ClosedRange<Int>) throws(UsageError) -> Int {
            guard let text = args.value(option) else { return value }
            guard let n = Int(text), range.contains(n) else { throw UsageError("--\(option) takes a number from \(range.lowerBound) to \(range.upperBound), not `\(text)`") }
            return n
        }
        let environment = ProcessInfo.processInfo.environment
        let stateDirectory = args.value("state-dir") ?? environment["TEMPLATEC_STATE_DIR"] ?? ".templatec"
        var options = Listener.Options(connector: connector, stateDirectory: stateDirectory,
                                       openSession: { try makeExecutor(spec, environment: environment) })
        options.server.host = args.value("bind") ?? "127.0.0.1"
        options.server.port = try number("port", default: 8787, range: 0...65535)
        options.server.maxConnections = try number("max-connections", default: 64, range: 1...4096)
        options.server.requestTimeout = Double(try number("request-timeout", default: 30, range: 1...3600))
        options.service = args.value("service")
        options.includeGlossary = args.flag("include-glossary")
        if let secret = environment["TEMPLATEC_WEBHOOK_SECRET"] {
            guard !secret.isEmpty else { throw UsageError("TEMPLATEC_WEBHOOK_SECRET is set but empty: set the webhook's secret, or unset the variable") }
            options.secret = secret
        }
        if let path = args.value("channels") {
            guard let data = SyncCommand.readInput(path) else {
                Output.stderr("templatec listen: cannot read channels file `\(path)`\n")
                return ExitStatus.usage
            }
            do { options.channels = try ChannelFile.read(data).channels } catch {
                Output.stderr("templatec listen: \(path): \(error.description)\n")
                return ExitStatus.usage
            }
        }

        // Signals are taken before anything starts, so none is lost to the default action.
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let stop = DispatchSemaphore(value: 0)
        let sources = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }

        let listener: Listener
        do {
            listener = try Listener(options)
            listener.log = { Output.stderr($0) }
            try listener.start()
        } catch {
            Output.stderr("templatec listen: \(error)\n")
            return ExitStatus.findings
        }
        let backlog = listener.backlog
        Output.stderr("templatec listen: listening on http://\(options.server.host.contains(":") ? "[\(options.server.host)]" : options.server.host):\(listener.port)/events, applying to \(spec.redacted)\(options.secret == nil ? " (no signature check: TEMPLATEC_WEBHOOK_SECRET is not set)" : ""); \(backlog) recorded event\(backlog == 1 ? "" : "s") to apply first\n")
        // The signal sources must live while we wait: an optimized build releases an array after
        // its last use, and a released source delivers nothing (SIGTERM is ignored above).
        withExtendedLifetime(sources) { stop.wait() }
        Output.stderr("templatec listen: stopping: finishing the batch in flight\n")
        listener.stop()
        let left = listener.backlog
        Output.stderr("templatec listen: stopped\(left > 0 ? "; \(left) recorded event\(left == 1 ? "" : "s") will be applied at the next start" : "")\n")
        return ExitStatus.ok
    }
}
