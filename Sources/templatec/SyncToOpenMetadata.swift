import Foundation
import ReverseSync
import TemplateCompiler

/// `templatec sync --to-openmetadata URL --service NAME --connector C --connection URL`: the
/// database's descriptions and owners, read back through the templates in use, carried to the
/// catalog as one JSON Patch per entity, where the sync ledger says the database changed
/// (docs/openmetadata.md, "Database → catalog").
enum SyncToOpenMetadata {
    /// The `sync --help` lines for this form.
    static let helpSection = """
    Database to catalog (docs/openmetadata.md):
      templatec sync --to-openmetadata URL --service NAME --connector C
                     (--connection URL | --connection-env NAME) [--channels FILE] [--plan]
                     [--prefer catalog|database] [--state-dir DIR] [--page-size N]
                     [--from-history [--since TIME]]
      --to-openmetadata URL  the OpenMetadata server; the bot's token is read from
                           OPENMETADATA_TOKEN (it needs EditDescription and EditOwners)
      --plan               send nothing: print the patches and the conflicts as JSON
      --prefer SIDE        settle conflicts: `database` patches the catalog, `catalog` leaves
                           it (then `sync --from-openmetadata` writes it to the database)
      --from-history       carry only what the database's statement history shows others
                           changed since the last run (docs/history.md: PostgreSQL's event
                           trigger, ClickHouse's query_log), not the whole current state
      --since TIME         with --from-history: statements from TIME on (the cursor stays)
    Reads the database's current state (PostgreSQL, MySQL/MariaDB, ClickHouse) through the
    templates in use and patches the catalog where the database changed since both sides last
    agreed (the sync ledger in the state directory, which every writing run keeps). A value
    templatec wrote is never sent back; one it sent is never written back. Both sides changed:
    a conflict, reported, neither side touched. Exit 1 when a conflict is left or a patch failed.

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["to-openmetadata", "service", "connector", "connection", "connection-env",
                                                      "channels", "state-dir", "page-size", "prefer", "since"],
                                 flagOptions: ["plan", "from-history"])
        guard args.positional.isEmpty else {
            throw UsageError("--to-openmetadata reads the database and the catalog: give no pipeline file (`\(args.positional[0])`)")
        }
        guard let url = args.value("to-openmetadata") else { throw UsageError("--to-openmetadata needs the catalog's URL") }
        guard let service = args.value("service"), !service.isEmpty else {
            throw UsageError("--service is required with --to-openmetadata: the name of the database service in the catalog")
        }
        guard let connectorName = args.value("connector") else { throw UsageError("--connector is required: one of \(ConnectorID.allNames)") }
        guard let connector = Connector.named(connectorName) else { throw UsageError(DefaultsCommand.unknownConnector(connectorName)) }
        var prefer: ToCatalogDecision.Preference? = nil
        if let text = args.value("prefer") {
            guard let p = ToCatalogDecision.Preference(rawValue: text) else { throw UsageError("--prefer takes `catalog` or `database`, not `\(text)`") }
            prefer = p
        }
        let plan = args.flag("plan")
        let fromHistory = args.flag("from-history")
        if args.value("since") != nil && !fromHistory { throw UsageError("--since reads the statement history: give it with --from-history") }
        let since = try args.value("since").map(HistoryCommand.parseTime)
        let environment = ProcessInfo.processInfo.environment
        guard let spec = try SyncCommand.connectionSpec(args, connector: connector).0,
              let reader = CurrentStateReaders.reader(for: spec, connector: connector, environment: environment) else {
            throw UsageError("--to-openmetadata reads the database's current state: give --connection (or --connection-env) to a PostgreSQL, MySQL/MariaDB or ClickHouse database of a connector that fits it")
        }
        guard let (pageSize, channels) = try SyncFromOpenMetadata.readingOptions(args) else { return ExitStatus.usage }
        let location: CatalogLocation
        do { location = try CatalogLocation.parse(url) } catch {
            throw UsageError(error.message.replacingOccurrences(of: "--from-openmetadata", with: "--to-openmetadata"))
        }
        let stateDirectory = SyncCommand.stateDirectory(args)
        let started = Date()
        let runID = RunStore.newID(started)

        // One run per service and catalog at a time on a state directory: two would patch from
        // one ledger state and both record.
        var lock: PipelineLock? = nil
        if let dir = stateDirectory, !plan {
            do throws(PipelineLock.Failure) {
                lock = try PipelineLock(stateDirectory: dir, key: Array("to-openmetadata\u{0}\(location.shown)\u{0}\(service)".utf8), runID: runID)
            } catch {
                if case .held(let holder) = error {
                    Output.stderr("templatec sync: run \(holder ?? "(unknown)") is carrying \(service) to \(location.shown) from state directory \(dir) at this moment; nothing was sent. Wait for it to end (`templatec runs --state-dir \(dir)`)\n")
                    return ExitStatus.findings
                }
                Output.stderr("templatec sync: cannot lock the run (\(error)); running without the lock\n")
            }
        }
        defer { lock?.release() }

        let ledger = stateDirectory.map { SyncLedger(stateDirectory: $0) }
        var history: StatementHistorySource? = nil
        if fromHistory {
            if stateDirectory == nil && since == nil {
                Output.stderr("templatec sync: no state directory: the history is read from its start every run (give --state-dir, or --since)\n")
            }
            do {
                history = try StatementHistories.source(for: spec, connector: connector, channels: channels, service: service,
                                                        cursor: stateDirectory.map { HistoryCursorStore(stateDirectory: $0, spec: spec) },
                                                        since: since, environment: environment)
            } catch { throw UsageError(error.message) }
        }
        if ledger == nil {
            Output.stderr("templatec sync: no state directory (--state-dir or TEMPLATEC_STATE_DIR): without the sync ledger every field counts as never agreed, so only fields the catalog lacks are patched, and nothing is recorded\n")
        }
        let client: CatalogClient
        let snapshot: CatalogSnapshot
        let decided: ToCatalogPlan
        var unreadable = (0, [String]())
        var missing = 0
        do {
            // The database first: a state that cannot be read stops the run before the catalog is asked.
            let state = history == nil ? try reader.read() : nil
            try ledger?.refresh()
            client = try CatalogClient(location: location, token: environment["OPENMETADATA_TOKEN"], environment: environment)
            snapshot = try CatalogSnapshot.read(client: client, service: service, pageSize: pageSize)
            // The database-side changes. By default the whole current state, read back through the
            // templates. With --from-history, only the statements others ran since the cursor
            // (matched against the same templates, in the order they ran: the last change of a
            // field counts); both kinds are decided against the ledger and patched alike.
            var changes: [DatabaseChange] = []
            if let history {
                changes = try history.changes()
                for note in history.summary.notes { Output.stderr("templatec sync: note: \(note)\n") }
                Output.stderr("templatec sync: history: \(history.summary.line)\n")
            } else if let state {
                let current = CurrentStateChanges(state: state, snapshot: snapshot, connector: connector, channels: channels)
                changes = try current.changes()
                unreadable = (current.unreadable, current.unreadableExamples)
                missing = current.missing
            }
            decided = try ToCatalogPlan.make(changes, snapshot: snapshot, ledger: ledger, prefer: prefer, user: { try client.user(named: $0) })
        } catch let error as StateReadError {
            Output.stderr("templatec sync: \(error.message)\n")
            return ExitStatus.findings
        } catch let error as CatalogError {
            Output.stderr("templatec sync: \(error.message)\n")
            return ExitStatus.findings
        } catch let error as HistoryError {
            Output.stderr("templatec sync: \(error.message)\n")
            return ExitStatus.findings
        } catch let error as SyncLedger.Failure {
            Output.stderr("templatec sync: \(error.description)\n")
            return ExitStatus.findings
        } catch {
            Output.stderr("templatec sync: \(error)\n")
            return ExitStatus.findings
        }
        var summary = decided.summary
        summary.unreadable = unreadable.0
        report(decided, unreadableExamples: unreadable.1)

        if plan {
            Output.stderr("templatec sync: \(service): plan: \(line(summary, missing: missing))\n")
            Output.stdout(document(service, decided, summary, results: nil).render(indent: 2) + "\n")
            return ExitStatus.ok
        }

        // Send, one patch per entity; the ledger learns what the catalog took. It is written every
        // quarter of a second, not only at the end: each patch comes back to `listen` as a change
        // event, and `listen` recognises it only once the ledger says where its value came from
        // (the catalog delivers events after it has stored the change; a quarter of a second is
        // well inside that, while one write per patch would rewrite the ledger thousands of times).
        var results: [(ok: Bool, message: String?)] = []
        var records: [OperationRecord] = []
        var updates = decided.agreed
        var flushed = Date.distantPast
        func flush() {
            guard let ledger, !updates.isEmpty else { return }
            do { try ledger.record(updates, run: runID) } catch {
                Output.stderr("templatec sync: \(error.description)\n")
            }
            updates.removeAll()
            flushed = Date()
        }
        for patch in decided.patches {
            let t0 = Date()
            var result: (ok: Bool, message: String?) = (true, nil)
            do {
                try client.patch(patch.href, jsonPatch: ToCatalogPlan.body(patch), what: "\(patch.kind.rawValue.dropLast()) `\(patch.entity)`")
                updates += patch.fields.map { SyncLedger.Update(entity: $0.entity, field: $0.field, value: $0.value, origin: .database) }
            } catch {
                result = (false, error.message)
                summary.patched -= patch.fields.count
                Output.stderr("templatec sync: \(error.message)\n")
            }
            results.append(result)
            if Date().timeIntervalSince(flushed) > 0.25 { flush() }
            records.append(OperationRecord(id: patch.href, entity: patch.entity, type: "CATALOG_PATCH", success: result.ok, message: result.message,
                                           statements: patch.operations.count, seconds: Date().timeIntervalSince(t0)))
        }
        flush()
        let failed = results.filter { !$0.ok }.count
        // The history's cursor moves only when every patch was taken: a failed one is read again
        // (and decided again against the ledger) next run. A conflict is not a failure to read.
        if failed == 0, let history {
            do { try history.commit() } catch { Output.stderr("templatec sync: \(error.message)\n") }
        }
        var text = line(summary, missing: missing)
        if failed > 0 { text += "; \(failed) patch\(failed == 1 ? "" : "es") failed" }
        Output.stderr("templatec sync: \(service): \(text)\n")
        Output.stdout(document(service, decided, summary, results: results).render(indent: 2) + "\n")

        if let dir = stateDirectory {
            let success = failed == 0 && summary.conflicts == 0
            let run = RunRecord.PipelineRun(file: "to-openmetadata \(location.shown)", serviceId: snapshot.serviceID,
                                            serviceName: service, success: success, message: text, start: started, end: Date(), operations: records)
            let record = RunRecord(id: runID, connector: connector.id.rawValue, dryRun: false, start: started, end: Date(), pipelines: [run])
            do {
                try RunStore(stateDirectory: dir).save(record)
                Output.stderr("templatec sync: run \(record.id) recorded in \(dir)\n")
            } catch {
                Output.stderr("templatec sync: could not record the run in \(dir): \(error.localizedDescription)\n")
            }
        }
        return failed == 0 && summary.conflicts == 0 ? ExitStatus.ok : ExitStatus.findings
    }

    /// The summary line: patched, unchanged, catalog-ahead, conflicts, unreadable, then what else was seen.
    static func line(_ s: ToCatalogPlan.Summary, missing: Int) -> String {
        var parts = ["\(s.patched) patched", "\(s.unchanged) unchanged", "\(s.catalogAhead) catalog-ahead",
                     "\(s.conflicts) conflict\(s.conflicts == 1 ? "" : "s")", "\(s.unreadable) unreadable"]
        if s.kept > 0 { parts.append("\(s.kept) kept in the catalog (the database holds none)") }
        if s.unknownUsers > 0 { parts.append("\(s.unknownUsers) owner\(s.unknownUsers == 1 ? "" : "s") with no catalog user") }
        if s.teamOwners > 0 { parts.append("\(s.teamOwners) team owner\(s.teamOwners == 1 ? "" : "s") left") }
        if s.notInCatalog > 0 { parts.append("\(s.notInCatalog) not in the catalog") }
        if missing > 0 { parts.append("\(missing) catalog entit\(missing == 1 ? "y" : "ies") not in the database") }
        return parts.joined(separator: ", ")
    }

    /// Conflicts, owners without a user, unreadable fields: on standard error, one line each.
    static func report(_ plan: ToCatalogPlan, unreadableExamples: [String]) {
        for c in plan.conflicts {
            let agreed = c.ledger.map { "last agreed \(JSONWriter.quote($0))" } ?? "never agreed"
            let what = "\(c.field.rawValue) of `\(c.entity)`: database \(JSONWriter.quote(c.database)), catalog \(JSONWriter.quote(c.catalog)) (\(agreed))"
            switch c.preferred {
            case nil:
                Output.stderr("templatec sync: conflict: \(what): both changed; neither side touched (--prefer database or --prefer catalog settles it)\n")
            case .database?:
                Output.stderr("templatec sync: conflict settled by --prefer database: \(what): the catalog is patched\n")
            case .catalog?:
                Output.stderr("templatec sync: conflict settled by --prefer catalog: \(what): the catalog keeps its value; `sync --from-openmetadata` writes it to the database\n")
            }
        }
        for name in plan.unknownUsers {
            Output.stderr("templatec sync: the database names owner `\(name)`, and the catalog has no user of that name: not patched (create the user, or give the object an owner the catalog knows)\n")
        }
        if !unreadableExamples.isEmpty {
            Output.stderr("templatec sync: not sent, the stored text cannot be read back through the template in use: \(unreadableExamples.joined(separator: "; "))\n")
        }
        if !plan.notInCatalog.isEmpty {
            Output.stderr("templatec sync: not in the catalog: \(plan.notInCatalog.joined(separator: "; "))\n")
        }
    }

    /// The JSON on standard output: the patches (with their outcome after a run), the conflicts, the counts.
    static func document(_ service: String, _ plan: ToCatalogPlan, _ s: ToCatalogPlan.Summary, results: [(ok: Bool, message: String?)]?) -> JSON {
        let patches = plan.patches.enumerated().map { i, p -> JSON in
            var fields: [(String, JSON)] = [("entity", .string(p.entity)), ("href", .string(p.href)),
                                            ("patch", json(JSONDocument.array(p.operations.map(\.document))))]
            if let results {
                fields.append(("success", .bool(results[i].ok)))
                if let m = results[i].message { fields.append(("message", .string(m))) }
            }
            return .object(fields)
        }
        let conflicts = plan.conflicts.map { c -> JSON in
            var fields: [(String, JSON)] = [("entity", .string(c.entity)), ("field", .string(c.field.rawValue)),
                                            ("database", .string(c.database)), ("catalog", .string(c.catalog)),
                                            ("ledger", c.ledger.map(JSON.string) ?? .null)]
            if let p = c.preferred { fields.append(("settledBy", .string("prefer " + p.rawValue))) }
            return .object(fields)
        }
        let counts: [(String, JSON)] = [("patched", .int(s.patched)), ("unchanged", .int(s.unchanged)), ("catalogAhead", .int(s.catalogAhead)),
                                        ("conflicts", .int(s.conflicts)), ("unreadable", .int(s.unreadable)), ("kept", .int(s.kept)),
                                        ("unknownUsers", .int(s.unknownUsers)), ("teamOwners", .int(s.teamOwners)), ("notInCatalog", .int(s.notInCatalog))]
        return .object([("service", .string(service)), ("patches", .array(patches)), ("conflicts", .array(conflicts)),
                        ("unknownUsers", .array(plan.unknownUsers.map(JSON.string))), ("summary", .object(counts))])
    }

    /// A JSON Patch document in the printing form.
    static func json(_ d: JSONDocument) -> JSON {
        switch d {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let n): return d.intValue.map(JSON.int) ?? .string(String(n))
        case .string(let s), .invalidString(let s): return .string(s)
        case .array(let items): return .array(items.map(json))
        case .object(let o): return .object(o.keys.sorted().map { ($0, json(o[$0]!)) })
        }
    }
}
