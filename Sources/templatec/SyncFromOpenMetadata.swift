import Foundation
import ReverseSync
import TemplateCompiler

/// `templatec sync --from-openmetadata URL --service NAME --connector C --connection URL`: batch
/// sync from the catalog's current state. Reads the service's databases, schemas and tables
/// through the catalog's REST API, reads what the database holds now, and writes only what
/// differs; `--plan` prints those operations as a ReverseIngestionPipeline instead (docs/openmetadata.md).
enum SyncFromOpenMetadata {
    /// The `sync --help` lines for this form.
    static let helpSection = """
    Batch from a catalog (docs/openmetadata.md):
      templatec sync --from-openmetadata URL --service NAME --connector C
                     (--connection URL | --connection-env NAME) [--channels FILE] [--plan]
                     [--page-size N] [--parallel N] [--snowflake-batch N] [--state-dir DIR]
      --from-openmetadata URL  the OpenMetadata server (http://host:8585); the bot's token is
                           read from OPENMETADATA_TOKEN
      --service NAME       the database service to bring in line
      --plan               execute nothing: print the operations as a ReverseIngestionPipeline
                           (`templatec sync PLAN.json` applies it later)
      --page-size N        entities per catalog request (default 500)
    Only what differs from the database's current state (PostgreSQL, MySQL/MariaDB, ClickHouse)
    is written; a second run against an unchanged catalog executes nothing. The operations are
    applied as `sync FILE` applies them (the connection options above, --parallel, the journal and
    the run record in --state-dir or TEMPLATEC_STATE_DIR, a stop in order on SIGTERM).

    """

    /// `--page-size` and `--channels`, as both directions take them; nil when the channels file is
    /// unusable (its problem is printed).
    static func readingOptions(_ args: Arguments) throws -> (pageSize: Int, channels: [Channel]?)? {
        var pageSize = 500
        if let text = args.value("page-size") {
            guard let n = Int(text), (1...10_000).contains(n) else { throw UsageError("--page-size must be a number from 1 to 10000") }
            pageSize = n
        }
        guard let path = args.value("channels") else { return (pageSize, nil) }
        guard let read = SyncCommand.readChannels(path) else { return nil }
        return (pageSize, read)
    }

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["from-openmetadata", "service", "connector", "connection", "connection-env",
                                                      "channels", "state-dir", "page-size", "parallel", "snowflake-batch"],
                                 flagOptions: ["plan", "dry-run", "include-glossary", "progress"])
        guard args.positional.isEmpty else {
            throw UsageError("--from-openmetadata reads the operations from the catalog: give no pipeline file (`\(args.positional[0])`)")
        }
        guard let url = args.value("from-openmetadata") else { throw UsageError("--from-openmetadata needs the catalog's URL") }
        guard let service = args.value("service"), !service.isEmpty else {
            throw UsageError("--service is required with --from-openmetadata: the name of the database service in the catalog")
        }
        guard let connectorName = args.value("connector") else { throw UsageError("--connector is required: one of \(ConnectorID.allNames)") }
        guard let connector = Connector.named(connectorName) else { throw UsageError(DefaultsCommand.unknownConnector(connectorName)) }
        let plan = args.flag("plan")
        let (spec, dryRun) = try SyncCommand.connectionSpec(args, connector: connector)
        guard plan || spec != nil else {
            throw UsageError("--connection (or --connection-env) is required to apply (or give --plan to print the operations without executing them)")
        }
        guard let (pageSize, channels) = try SyncFromOpenMetadata.readingOptions(args) else { return ExitStatus.usage }
        let environment = ProcessInfo.processInfo.environment
        let location: CatalogLocation
        do { location = try CatalogLocation.parse(url) } catch { throw UsageError(error.message) }
        let started = Date()

        // The current state first: a database that cannot be read stops the run before anything
        // is asked of the catalog, and nothing is written on a guess.
        var state: CurrentState? = nil
        if let spec, let reader = CurrentStateReaders.reader(for: spec, connector: connector, environment: environment) {
            do { state = try reader.read() } catch {
                Output.stderr("templatec sync: \(error.message)\n")
                return ExitStatus.findings
            }
        } else {
            Output.stderr("templatec sync: the current state of \(connector.displayName) \(spec.map { "through \($0.kind.rawValue) connections " } ?? "without a connection ")cannot be read: every description, owner and tag the catalog has is written (docs/openmetadata.md)\n")
        }

        var batch: BatchPlan
        do {
            let client = try CatalogClient(location: location, token: environment["OPENMETADATA_TOKEN"], environment: environment)
            batch = try BatchPlan.make(client: client, service: service, pageSize: pageSize, connector: connector, channels: channels, state: state)
        } catch let error as CatalogError {
            Output.stderr("templatec sync: \(error.message)\n")
            return ExitStatus.findings
        } catch {
            Output.stderr("templatec sync: reading the catalog failed: \(error)\n")
            return ExitStatus.findings
        }
        // Loop case 2: what --to-openmetadata carried to the catalog is not written back.
        if let dir = SyncCommand.stateDirectory(args) {
            let ledger = SyncLedger(stateDirectory: dir)
            do {
                try ledger.refresh()
                batch.dropDatabaseEchoes(ledger)
            } catch {
                Output.stderr("templatec sync: \(error.description)\n")
                return ExitStatus.findings
            }
        }
        Output.stderr("templatec sync: \(service): \(batch.summaryLine)\n")

        if plan {
            Output.stdout(batch.document + "\n")
            return ExitStatus.ok
        }
        let pipeline = batch.pipeline
        if pipeline.operations.isEmpty {
            // Nothing differs: no session is opened, nothing is executed; the run is still recorded.
            let response = ReverseIngestionResponse(serviceId: pipeline.service.id, success: true, results: [])
            Output.stdout(SyncCommand.render(response, pretty: true) + "\n")
            if let dir = SyncCommand.stateDirectory(args) {
                let run = RunRecord.PipelineRun(
                    file: "\(location.shown) service \(service)", serviceId: pipeline.service.id, serviceName: service,
                    success: true, message: nil, start: started, end: Date(), operations: [])
                let record = RunRecord(id: RunStore.newID(started), connector: connector.id.rawValue, dryRun: dryRun,
                                       start: started, end: Date(), pipelines: [run])
                do {
                    try RunStore(stateDirectory: dir).save(record)
                    Output.stderr("templatec sync: run \(record.id) recorded in \(dir)\n")
                } catch {
                    Output.stderr("templatec sync: could not record the run in \(dir): \(error.localizedDescription)\n")
                }
            }
            return ExitStatus.ok
        }
        // Applied exactly as `sync FILE` applies the same document (`--plan` prints it): sessions
        // per database, the journal, the lock, signals, `--parallel`.
        StopSignals.install()
        let input = SyncRun.Input(file: "\(location.shown) service \(service)", pipeline: pipeline,
                                  fingerprint: PipelineLock.digest(Array(batch.document.utf8)))
        let result = try SyncCommand.apply([input], connector: connector, channels: channels, spec: dryRun ? nil : spec,
                                           dryRun: dryRun, configuration: nil, args)
        for response in result.responses { Output.stdout(SyncCommand.render(response, pretty: true) + "\n") }
        Output.flush()
        StopSignals.endBySignal()
        return result.responses.allSatisfy(\.allSucceeded) ? ExitStatus.ok : ExitStatus.findings
    }
}
