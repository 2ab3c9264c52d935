import Foundation
import ReverseSync
import TemplateWorkspace
import TemplateCompiler

/// `templatec sync`: apply OpenMetadata reverse-ingestion pipelines and answer their responses.
enum SyncCommand: Command {
    static let name = "sync"
    static let summary = "apply ReverseIngestionPipeline documents through a connector"
    static let help = """
    Usage: templatec sync PIPELINE.json… --connector C [options]

    Reads OpenMetadata ReverseIngestionPipeline documents (`-` for standard input), plans every
    operation (entity link → names, channel routing, template choice and check, rendering) and
    applies it, or prints the plan (dry run). Prints one ReverseIngestionResponse per pipeline on
    standard output: one JSON document for one pipeline; for several, JSON lines (one compact
    response per line, in the order given).

    Options:
      --connector C        \(ConnectorID.allNames)
      --connection URL     postgresql://…, mysql://…, http[s]://… (ClickHouse), trino://…,
                           databricks://…, snowflake://…, command:…; without it the
                           run is a dry run (see docs/sync.md). It must fit the connector
      --connection-env NAME  the connection URL from environment variable NAME, so that no
                           password is on the command line (recommended)
      --dry-run            print the plan on standard error, execute nothing (the default
                           when no --connection is given)
      --channels FILE      channel configuration (see docs/sync.md)
      --include-glossary   also push Glossary terms as tags
      --state-dir DIR      record the run in DIR/runs/ (see `templatec runs`); default
                           $TEMPLATEC_STATE_DIR, else no record
      --parallel N         sessions per database that run statements at once, for Trino,
                           Databricks, Snowflake and ClickHouse (default \(ParallelOption.defaultSessions),
                           at most \(ParallelOption.maximum)); operations on one object keep their order
      --snowflake-batch N  statements of different objects sent in one Snowflake request
                           (multi-statement; default \(Runner.defaultStatementsPerRequest), 1 for one per request);
                           each keeps its own result
      --progress           show progress on standard error even when it is not a terminal
                           (then as whole lines, at most one a second)
      -h, --help           show this help

    Template choice: the operation's SQLTemplate, else the channel's sqlTemplate, else the
    connector's default (`templatec defaults`). Custom templates are checked before anything
    runs, as `templatec check` checks them (with their file's .templatec.json); one with errors
    fails its operations with the diagnostics, at file:line:col, as the message.

    A connection URL that names a database serves only that database: an entity of another one
    fails, and nothing of it runs. A PostgreSQL, Snowflake, Trino or Databricks URL without a
    database opens one session per database the pipelines name.

    SIGTERM or Ctrl-C: the statements already sent finish, every later operation is answered
    "not run", the responses and the run record are written, and templatec ends by that signal;
    a second one ends it at once (the run journal in the state directory keeps what was done).

    \(SyncFromOpenMetadata.helpSection)
    \(SyncToOpenMetadata.helpSection)
    Exit status: 0 every operation succeeded, 1 any failed (or a connection failed),
    2 usage error or unusable input, 128+N when stopped by signal N (130 Ctrl-C, 143 SIGTERM).

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let from = argv.contains(where: { $0 == "--from-openmetadata" || $0.hasPrefix("--from-openmetadata=") })
        let to = argv.contains(where: { $0 == "--to-openmetadata" || $0.hasPrefix("--to-openmetadata=") })
        if from && to { throw UsageError("give --from-openmetadata or --to-openmetadata, not both: one run carries one direction") }
        if from { return try SyncFromOpenMetadata.run(argv) }
        if to { return try SyncToOpenMetadata.run(argv) }
        let args = try Arguments(argv, valueOptions: ["connector", "connection", "connection-env", "channels", "state-dir", "parallel", "snowflake-batch"],
                                 flagOptions: ["dry-run", "include-glossary", "progress"])
        guard !args.positional.isEmpty else { throw UsageError("give at least one pipeline file (or `-` for standard input)") }
        guard let connectorName = args.value("connector") else { throw UsageError("--connector is required: one of \(ConnectorID.allNames)") }
        guard let connector = Connector.named(connectorName) else { throw UsageError(DefaultsCommand.unknownConnector(connectorName)) }
        let (connection, dryRun) = try connectionSpec(args, connector: connector)
        let spec = dryRun ? nil : connection
        // From here on a signal stops the run in order (see SyncRun), also while input is read.
        StopSignals.install()

        var channels: [Channel]? = nil
        if let path = args.value("channels") {
            guard let read = readChannels(path) else { return ExitStatus.usage }
            channels = read
        }

        // Read every pipeline first: unusable input is reported before anything runs.
        var pipelines: [SyncRun.Input] = []
        var unusable = false
        for path in args.positional {
            guard let data = readInput(path) else {
                Output.stderr("templatec sync: cannot read `\(path)`\n")
                unusable = true
                continue
            }
            let bytes = Array(data)
            do {
                pipelines.append(SyncRun.Input(file: path, pipeline: try PipelineReader.read(bytes, path: path), fingerprint: PipelineLock.digest(bytes)))
            } catch {
                Output.stderr("templatec sync: \(error.located(in: path, bytes: bytes))\n")
                unusable = true
            }
        }

        // Templates are checked with the `.templatec.json` settings `check` gives their files:
        // a configuration that cannot be read stops the run before anything is planned.
        let configuration = try Workspace.configuration(explicitPath: nil)
        for path in args.positional + [args.value("channels")].compactMap({ $0 }) {
            _ = try configuration.settings(for: path)
        }

        let result = try apply(pipelines, connector: connector, channels: channels, spec: spec, dryRun: dryRun,
                               configuration: configuration.resolver, args)
        // The number of files given decides the format, not how many were usable: a caller that
        // gave two files reads JSON lines, whatever happened to one of them.
        let pretty = args.positional.count == 1
        for response in result.responses { Output.stdout(render(response, pretty: pretty) + "\n") }
        Output.flush()
        // Stopped by a signal: end by it, as its default action would have (exit status 128 + N).
        StopSignals.endBySignal()
        if unusable { return ExitStatus.usage }
        return result.responses.allSatisfy(\.allSucceeded) ? ExitStatus.ok : ExitStatus.findings
    }

    /// The connection `--connection`/`--connection-env` names, checked against the connector, and
    /// whether nothing is to be executed (`--dry-run`, `dry-run:` or no connection). The spec is
    /// returned for a dry run too: a plan is still for it (and the batch sync reads its state).
    static func connectionSpec(_ args: Arguments, connector: Connector) throws -> (ConnectionSpec?, dryRun: Bool) {
        guard let url = try connectionURL(args) else { return (nil, true) }
        let spec: ConnectionSpec
        do { spec = try ConnectionURL.parse(url) } catch { throw UsageError("--connection: \(error)") }
        // Checked even for a dry run: the plan would be for a connection that cannot run it.
        if let mismatch = connectionMismatch(spec, connector: connector) { throw UsageError(mismatch) }
        return (spec, args.flag("dry-run"))
    }

    /// The channels of `--channels FILE`, or nil after printing why they cannot be read.
    static func readChannels(_ path: String) -> [Channel]? {
        guard let data = readInput(path) else {
            Output.stderr("templatec sync: cannot read channels file `\(path)`\n")
            return nil
        }
        let bytes = Array(data)
        do {
            return try ChannelFile.read(bytes, path: path).channels
        } catch {
            Output.stderr("templatec sync: \(error.located(in: path, bytes: bytes))\n")
            return nil
        }
    }

    /// Applies pipelines as every form of `sync` does: sessions per database (`spec`'s router),
    /// `--parallel`, the journal and the run record in the state directory (`--state-dir`, else
    /// `TEMPLATEC_STATE_DIR`), the per-pipeline lock, a stop in order on a signal, `--progress`.
    /// `spec` nil: a dry run (the statements are printed).
    static func apply(_ pipelines: [SyncRun.Input], connector: Connector, channels: [Channel]?, spec: ConnectionSpec?,
                      dryRun: Bool, configuration: ConfigResolver?, _ args: Arguments) throws -> SyncRun.Result {
        let planner = Planner(connector: connector, channels: channels, includeGlossary: args.flag("include-glossary"),
                              configuration: configuration)
        let environment = ProcessInfo.processInfo.environment
        let mode: Runner.Mode
        if let spec {
            mode = .execute(sessions: spec.router { try makeExecutor($0, environment: environment) })
        } else {
            mode = .dryRun(log: { Output.stderr($0) })
        }
        let runner = Runner(planner: planner, mode: mode)
        runner.parallel = try ParallelOption.sessions(args.value("parallel"), for: spec)
        runner.statementsPerRequest = try SnowflakeBatchOption.size(args.value("snowflake-batch"), for: spec)
        runner.stopRequested = { StopSignals.reason }
        // What the run writes is what both sides agree on afterwards (the ledger of --to-openmetadata).
        if spec != nil, let dir = stateDirectory(args) { runner.ledger = SyncLedger(stateDirectory: dir) }
        let total = pipelines.reduce(0) { $0 + $1.pipeline.operations.count }
        let progress = ProgressLine(total: total, enabled: args.flag("progress") || isatty(2) == 1)
        let run = SyncRun(runner: runner, connector: connector.id.rawValue, dryRun: dryRun,
                          destination: connector.id.rawValue + " " + (spec?.redacted ?? "dry-run:"),
                          stateDirectory: stateDirectory(args), progress: progress)
        return run.apply(pipelines, started: Date())
    }

    /// `--state-dir`, else `TEMPLATEC_STATE_DIR` (as `runs` reads it); nil: no record.
    static func stateDirectory(_ args: Arguments) -> String? {
        args.value("state-dir") ?? ProcessInfo.processInfo.environment["TEMPLATEC_STATE_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The URL of `--connection`, or of the variable `--connection-env` names; nil for neither.
    static func connectionURL(_ args: Arguments) throws -> String? {
        switch (args.value("connection"), args.value("connection-env")) {
        case (.some, .some):
            throw UsageError("give --connection or --connection-env, not both")
        case (let url?, nil):
            return url
        case (nil, let name?):
            guard let url = ProcessInfo.processInfo.environment[name], !url.isEmpty else {
                throw UsageError("--connection-env \(name): the environment variable \(name) is not set or empty; set it to the connection URL (docs/sync.md)")
            }
            return url
        case (nil, nil):
            return nil
        }
    }

    static func readInput(_ path: String) -> Data? {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        return FileManager.default.contents(atPath: path)
    }

    /// A response as JSON, keys in the schema's order.
    static func render(_ r: ReverseIngestionResponse, pretty: Bool) -> String {
        var fields: [(String, JSON)] = [("serviceId", .string(r.serviceId))]
        if let s = r.success { fields.append(("success", .bool(s))) }
        if let m = r.message { fields.append(("message", .string(m))) }
        fields.append(("results", .array(r.results.map { res in
            var f: [(String, JSON)] = [("id", .string(res.id)), ("success", .bool(res.success))]
            if let m = res.message { f.append(("message", .string(m))) }
            return .object(f)
        })))
        return JSON.object(fields).render(indent: pretty ? 2 : nil)
    }
}
