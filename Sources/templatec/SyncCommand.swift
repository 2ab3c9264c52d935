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
      --state-dir DIR      record the run in DIR/runs/ (see `templatec runs`)
      --progress           show progress on standard error even when it is not a terminal
      -h, --help           show this help

    Template choice: the operation's SQLTemplate, else the channel's sqlTemplate, else the
    connector's default (`templatec defaults`). Custom templates are checked before anything
    runs, as `templatec check` checks them (with their file's .templatec.json); one with errors
    fails its operations with the diagnostics, at file:line:col, as the message.

    \(SyncFromOpenMetadata.helpSection)
    Exit status: 0 every operation succeeded, 1 any failed (or a connection failed),
    2 usage error or unusable input.

    """

    static func run(_ argv: [String]) throws -> Int32 {
        if argv.contains(where: { $0 == "--from-openmetadata" || $0.hasPrefix("--from-openmetadata=") }) { return try SyncFromOpenMetadata.run(argv) }
        let args = try Arguments(argv, valueOptions: ["connector", "connection", "connection-env", "channels", "state-dir"],
                                 flagOptions: ["dry-run", "include-glossary", "progress"])
        guard !args.positional.isEmpty else { throw UsageError("give at least one pipeline file (or `-` for standard input)") }
        guard let connectorName = args.value("connector") else { throw UsageError("--connector is required: one of \(ConnectorID.allNames)") }
        guard let connector = Connector.named(connectorName) else { throw UsageError(DefaultsCommand.unknownConnector(connectorName)) }
        let connectionURL = try connectionURL(args)
        let dryRun = args.flag("dry-run") || connectionURL == nil

        var channels: [Channel]? = nil
        if let path = args.value("channels") {
            guard let data = readInput(path) else {
                Output.stderr("templatec sync: cannot read channels file `\(path)`\n")
                return ExitStatus.usage
            }
            let bytes = Array(data)
            do {
                channels = try ChannelFile.read(bytes, path: path).channels
            } catch {
                Output.stderr("templatec sync: \(error.located(in: path, bytes: bytes))\n")
                return ExitStatus.usage
            }
        }

        var spec: ConnectionSpec? = nil
        if let url = connectionURL {
            do { spec = try ConnectionURL.parse(url) } catch { throw UsageError("--connection: \(error)") }
            // Checked even for a dry run: the plan would be for a connection that cannot run it.
            if let spec, let mismatch = connectionMismatch(spec, connector: connector) { throw UsageError(mismatch) }
            if dryRun { spec = nil }
        }

        // Read every pipeline first: unusable input is reported before anything runs.
        var pipelines: [(file: String, pipeline: ReverseIngestionPipeline)] = []
        var unusable = false
        for path in args.positional {
            guard let data = readInput(path) else {
                Output.stderr("templatec sync: cannot read `\(path)`\n")
                unusable = true
                continue
            }
            let bytes = Array(data)
            do {
                pipelines.append((path, try PipelineReader.read(bytes, path: path)))
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

        let planner = Planner(connector: connector, channels: channels, includeGlossary: args.flag("include-glossary"),
                              configuration: configuration.resolver)
        let environment = ProcessInfo.processInfo.environment
        let mode: Runner.Mode
        if let spec {
            mode = .execute(openSession: { try makeExecutor(spec, environment: environment) })
        } else {
            mode = .dryRun(log: { Output.stderr($0) })
        }
        let runner = Runner(planner: planner, mode: mode)
        let showProgress = args.flag("progress") || isatty(2) == 1
        let total = pipelines.reduce(0) { $0 + $1.pipeline.operations.count }
        let progress = ProgressLine(total: total, enabled: showProgress)

        let started = Date()
        var pipelineRuns: [RunRecord.PipelineRun] = []
        var allOK = true
        var lines: [String] = []
        var doneBefore = 0
        for (file, pipeline) in pipelines {
            runner.progress = { done, _ in progress.update(doneBefore + done) }
            let outcome = runner.run(pipeline)
            doneBefore += pipeline.operations.count
            if !outcome.response.allSucceeded { allOK = false }
            lines.append(render(outcome.response, pretty: pipelines.count == 1))
            pipelineRuns.append(RunRecord.PipelineRun(
                file: file, serviceId: pipeline.service.id, serviceName: pipeline.service.name,
                success: outcome.response.success, message: outcome.response.message,
                start: outcome.started, end: outcome.finished, operations: outcome.operations,
                session: outcome.session.isEmpty ? nil : outcome.session))
        }
        progress.finish()
        for l in lines { Output.stdout(l + "\n") }

        if let dir = args.value("state-dir") {
            let record = RunRecord(id: RunStore.newID(started), connector: connector.id.rawValue, dryRun: dryRun,
                                   start: started, end: Date(), pipelines: pipelineRuns)
            do {
                try RunStore(stateDirectory: dir).save(record)
                Output.stderr("templatec sync: run \(record.id) recorded in \(dir)\n")
            } catch {
                Output.stderr("templatec sync: could not record the run in \(dir): \(error.localizedDescription)\n")
            }
        }
        if unusable { return ExitStatus.usage }
        return allOK ? ExitStatus.ok : ExitStatus.findings
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

/// `done/total, rate` on standard error, redrawn at most ten times a second.
final class ProgressLine {
    let total: Int
    let enabled: Bool
    let start = Date()
    var last = Date.distantPast
    var drawn = false

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let now = Date()
        guard done == total || now.timeIntervalSince(last) >= 0.1 else { return }
        last = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(done) / elapsed
        Output.stderr("\rsync: \(done)/\(total) operations, \(Int(rate.rounded()))/s   ")
        drawn = true
    }

    func finish() {
        if drawn { Output.stderr("\n") }
    }
}
