import Foundation
import TemplateCompiler

/// `templatec listen` as a library: the state directory's lock and inbox, the HTTP receiver and
/// the applier thread. `start` returns once the port is bound; `stop` stops receiving, lets the
/// batch in flight finish and returns when the applier has.
public final class Listener: @unchecked Sendable {
    public struct Options {
        public var connector: Connector
        public var openSession: () throws -> SQLExecutor
        public var channels: [Channel]? = nil
        public var includeGlossary = false
        public var service: String? = nil
        public var stateDirectory: String
        public var secret: String? = nil
        public var server = HTTPServer.Configuration()

        public init(connector: Connector, stateDirectory: String, openSession: @escaping () throws -> SQLExecutor) {
            self.connector = connector
            self.stateDirectory = stateDirectory
            self.openSession = openSession
        }
    }

    public struct StartError: Error, CustomStringConvertible { public var description: String }

    public let metrics = ListenMetrics()
    public let inbox: Inbox
    private let lock: StateDirectoryLock
    private let server: HTTPServer
    private let applier: EventApplier
    private let stopping = StopSignal()
    private let applierDone = DispatchSemaphore(value: 0)

    /// Takes the state directory (refused when another receiver has it) and reads its inbox.
    public init(_ options: Options) throws {
        let directory = options.stateDirectory + "/listen"
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw StartError(description: "cannot create the state directory \(directory): \(error.localizedDescription)")
        }
        do { lock = try StateDirectoryLock(directory: directory) } catch { throw StartError(description: error.description) }
        do { inbox = try Inbox(directory: directory) } catch { throw StartError(description: "\(error)") }
        let planner = Planner(connector: options.connector, channels: options.channels, includeGlossary: options.includeGlossary)
        applier = try EventApplier(inbox: inbox, mapper: ChangeEventMapper(service: options.service), planner: planner,
                                   store: RunStore(stateDirectory: options.stateDirectory), metrics: metrics, openSession: options.openSession)
        let receiver = WebhookReceiver(inbox: inbox, metrics: metrics, secret: options.secret, isStopping: { [stopping] in stopping.isSet })
        server = HTTPServer(options.server, onRejected: { [metrics] in metrics.rejected(status: $0) }, handler: { receiver.handle($0) })
    }

    /// The port the receiver listens on.
    public var port: Int { server.port }

    /// Events recorded by an earlier run and not yet applied (applied first, after `start`).
    public var backlog: Int { inbox.pendingCount }

    public var log: (String) -> Void {
        get { applier.log }
        set { applier.log = newValue }
    }

    /// Starts the applier (the backlog first) and binds the port.
    public func start() throws {
        do { try server.start() } catch { throw StartError(description: error.description) }
        let thread = Thread { [self] in
            applier.run()
            applierDone.signal()
        }
        thread.name = "listen-apply"
        thread.start()
    }

    /// Stops receiving (new events are answered 503, so the catalog keeps them), finishes the batch
    /// in flight and returns. Idempotent.
    public func stop() {
        guard stopping.set() else { return }
        server.stop()
        applier.requestStop()
        applierDone.wait()
    }
}

/// A flag set once, read from any thread.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    /// Sets the flag; true for the caller that set it first.
    func set() -> Bool { lock.withLock { defer { value = true }; return !value } }
}
