import Foundation
import ReverseSync
import TemplateCompiler

/// `templatec history`: statement histories (docs/history.md). `install`/`uninstall` put in or
/// take out PostgreSQL's event trigger; `show` reads the executed statements since the cursor
/// through the templates in use and prints the changes they made, as `sync --to-openmetadata
/// --from-history` sends them to the catalog.
enum HistoryCommand: Command {
    static let name = "history"
    static let summary = "read executed statements back through the templates (PostgreSQL event trigger, ClickHouse query_log)"
    static let help = """
    Usage: templatec history install   --connector postgres (--connection URL | --connection-env NAME) [--print]
           templatec history uninstall --connector postgres (--connection URL | --connection-env NAME) [--print]
           templatec history show --connector C (--connection URL | --connection-env NAME)
                                  [--channels FILE] [--service NAME] [--since TIME] [--state-dir DIR]

    Statements run by hand in the database (COMMENT ON …, ALTER … OWNER TO …) are read from the
    engine's history and matched against the templates in use; those that match are changes for
    the catalog (docs/history.md).

    install     PostgreSQL: create the schema templatec_history, its table and the event trigger
                templatec_history_ddl on ddl_command_end in the connected database (safe to run
                again; needs a superuser). ClickHouse needs nothing: it has system.query_log.
    uninstall   remove the trigger, then the schema and what it recorded.
    show        print one JSON line per change: {"entity", "level", "field", "value", "sql",
                "time", "user"}; on stderr the number of statements read, matched, unmatched and
                skipped (templatec's own: application_name templatec…, user agent templatec).

    Options:
      --connector C        postgres, timescaledb or clickhouse
      --connection URL     the database (postgresql://…, http://… for ClickHouse)
      --connection-env NAME  read the URL from the environment variable NAME
      --print              install/uninstall: print the SQL instead of running it (for a DBA)
      --channels FILE      match the channels' templates too (before the connector's defaults)
      --service NAME       the catalog's service name in the printed entities (default: the connector)
      --since TIME         statements from TIME on (ISO 8601, e.g. 2026-12-01T12:00:00Z, or Unix
                           seconds); the cursor is neither read nor moved
      --state-dir DIR      keep a cursor per connection in DIR (default TEMPLATEC_STATE_DIR):
                           each statement is shown once; without one, every recorded statement
      -h, --help           show this help

    Exit status: 0 done, 1 the history could not be read or installed, 2 usage error.

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["connector", "connection", "connection-env", "channels", "service", "since", "state-dir"],
                                 flagOptions: ["print"])
        guard let action = args.positional.first, args.positional.count == 1 else {
            throw UsageError("give one action: install, uninstall or show (templatec history --help)")
        }
        guard ["install", "uninstall", "show"].contains(action) else {
            throw UsageError("unknown history action `\(action)`: use install, uninstall or show")
        }
        guard let connectorName = args.value("connector") else { throw UsageError("--connector is required: postgres, timescaledb or clickhouse") }
        guard let connector = Connector.named(connectorName) else { throw UsageError(DefaultsCommand.unknownConnector(connectorName)) }
        do {
            if action != "show" {
                if args.flag("print") {
                    Output.stdout(action == "install" ? try StatementHistories.installSQL(for: connector) : try StatementHistories.uninstallSQL(for: connector))
                    return ExitStatus.ok
                }
                let spec = try connection(args, connector)
                if action == "install" {
                    try StatementHistories.install(spec, connector: connector)
                    Output.stderr("templatec history: installed in database \(spec.database ?? "?") at \(spec.endpoint): DDL is recorded in templatec_history.statements\n")
                } else {
                    try StatementHistories.uninstall(spec, connector: connector)
                    Output.stderr("templatec history: uninstalled from database \(spec.database ?? "?") at \(spec.endpoint)\n")
                }
                return ExitStatus.ok
            }
            return try show(args, connector)
        } catch let error as HistoryError {
            Output.stderr("templatec history: \(error.message)\n")
            return ExitStatus.findings
        }
    }

    private static func connection(_ args: Arguments, _ connector: Connector) throws -> ConnectionSpec {
        guard let spec = try SyncCommand.connectionSpec(args, connector: connector).0 else {
            throw UsageError("--connection (or --connection-env) is required")
        }
        return spec
    }

    private static func show(_ args: Arguments, _ connector: Connector) throws -> Int32 {
        let spec = try connection(args, connector)
        var channels: [Channel]? = nil
        if let path = args.value("channels") {
            guard let read = SyncCommand.readChannels(path) else { return ExitStatus.usage }
            channels = read
        }
        let since = try args.value("since").map(parseTime)
        let cursor = SyncCommand.stateDirectory(args).map { HistoryCursorStore(stateDirectory: $0, spec: spec) }
        let source = try StatementHistories.source(for: spec, connector: connector, channels: channels,
                                                   service: args.value("service") ?? connector.id.rawValue, cursor: cursor, since: since)
        let changes = try source.changes()
        var out = ""
        for change in changes { out += line(change) + "\n" }
        Output.stdout(out)
        Output.flush()
        // Printed: only now the cursor moves.
        try source.commit()
        let s = source.summary
        for note in s.notes { Output.stderr("templatec history: note: \(note)\n") }
        Output.stderr("templatec history: \(s.line)\n")
        return ExitStatus.ok
    }

    /// ISO 8601 (with or without fractional seconds) or Unix seconds.
    static func parseTime(_ text: String) throws -> Date {
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        throw UsageError("--since `\(text)` is not a time: give ISO 8601 (2026-12-01T12:00:00Z) or Unix seconds")
    }

    static func line(_ change: DatabaseChange) -> String {
        var sql: JSON = .null, time: JSON = .null, user: JSON = .null
        if case .statement(let text, let at, let who) = change.evidence {
            sql = .string(text)
            time = at.map { .string(ISO8601DateFormatter.string(from: $0, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withInternetDateTime, .withFractionalSeconds])) } ?? .null
            user = who.map(JSON.string) ?? .null
        }
        return JSON.object([("entity", .string(change.entity.displayName)), ("level", .string(change.entity.level.rawValue)),
                            ("field", .string(change.field.rawValue)), ("value", .string(change.value)),
                            ("sql", sql), ("time", time), ("user", user)]).render()
    }
}
