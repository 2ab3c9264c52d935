import TemplateCompiler

/// Turns a pipeline into per-operation plans: parses entity links, routes operations through
/// channels, chooses templates (operation's, else channel's, else the connector's default),
/// checks custom templates, and renders every statement. Pure: nothing is executed here.
public final class Planner {
    public let connector: Connector
    public let channels: [Channel]
    /// `--include-glossary`: push Glossary terms for every channel.
    public let includeGlossary: Bool
    /// True when the channels came from a file (the implicit channel adds no name to messages).
    let explicitChannels: Bool
    private var library: TemplateLibrary
    /// The options every template is compiled with: the session's (`useSession`), else the defaults.
    public var sessionOptions: DialectOptions { library.options }

    /// `configuration`: the `.templatec.json` settings of the files the templates come from, as
    /// `check` applies them.
    public init(connector: Connector, channels: [Channel]? = nil, includeGlossary: Bool = false, configuration: ConfigResolver? = nil) {
        self.connector = connector
        self.channels = channels ?? [Channel.everything]
        self.explicitChannels = channels != nil
        self.includeGlossary = includeGlossary
        self.library = TemplateLibrary(connector: connector, configuration: configuration)
    }

    /// Compiles from now on with the options of the session that will run the statements
    /// (`SQLExecutor.session.options`): a MySQL session with NO_BACKSLASH_ESCAPES gets statements
    /// rendered for it. Not to be called while another thread plans.
    public func useSession(_ options: DialectOptions) {
        if options != library.options { library = TemplateLibrary(connector: connector, options: options) }
    }

    public func plan(_ pipeline: ReverseIngestionPipeline) -> [OperationPlan] {
        pipeline.operations.enumerated().map { plan($1, index: $0, service: pipeline.service) }
    }

    public func plan(_ op: PipelineOperation, index: Int, service: EntityReference) -> OperationPlan {
        var result = OperationPlan(id: op.id, index: index, entity: op.entityLink, type: op.type, outcomes: [])
        func fail(_ m: String) -> OperationPlan {
            result.outcomes = [("", .failed(m))]
            return result
        }
        if let problem = op.inputProblem { return fail(problem) }
        let names: EntityNames
        do {
            names = try EntityNames(EntityLink.parse(op.entityLink))
        } catch {
            return fail("entity link: \(error.message)")
        }
        result.entity = names.displayName
        if let problem = names.unmappable(in: connector.namespace) { return fail(problem) }
        if let serviceName = service.name, serviceName != names.service {
            return fail("the entity belongs to service `\(names.service)`, but this pipeline is for service `\(serviceName)`")
        }
        let update = op.type.update
        var ownerNames: [String] = []
        var tagFQNs: [String] = []
        switch op.parameters {
        case .owner(let o): ownerNames = ((o.addedOwners ?? []) + (o.removedOwners ?? [])).compactMap { $0.name ?? $0.fullyQualifiedName }
        case .tags(let t): tagFQNs = ((t.addedTags ?? []) + (t.removedTags ?? [])).map(\.tagFQN)
        case .description: break
        }
        let matching = channels.filter {
            $0.filter.matches(names, ownerNames: ownerNames, tagFQNs: tagFQNs, isOwnerUpdate: update == .owner, isTagUpdate: update == .tags)
        }
        guard !matching.isEmpty else {
            return fail("not applied: no channel matches \(names.level.rawValue) `\(names.displayName)` (channels: \(channels.map(\.name).joined(separator: ", ")))")
        }
        for channel in matching {
            let label = explicitChannels ? channel.name : ""
            guard channel.updates(update) else {
                result.outcomes.append((label, .skipped("skipped: channel `\(channel.name)` does not push \(update.rawValue) updates")))
                continue
            }
            result.outcomes.append((label, planFor(op, names, channel, update)))
        }
        return result
    }

    // MARK: one channel

    private func planFor(_ op: PipelineOperation, _ names: EntityNames, _ channel: Channel, _ update: UpdateKind) -> ChannelOutcome {
        let level = names.level
        let base = names.variables(connector.namespace)
        let customText = op.sqlTemplate ?? channel.sqlTemplate
        let customSource = customText.map { text in
            (op.sqlTemplate != nil ? op.sqlTemplateSource : channel.sqlTemplateSource) ?? TemplateSource(path: "<template>", text)
        }
        let customLabel = op.sqlTemplate != nil ? "the operation's SQLTemplate" : "channel `\(channel.name)`'s sqlTemplate"

        /// The template for an action: the custom one (for set/add), else the connector's default.
        func template(_ action: TemplateAction) -> Result<TemplateLibrary.Ready, TemplateLibrary.TemplateProblem> {
            if let source = customSource, action == .set {
                return library.custom(source, label: customLabel, update, level)
            }
            guard connector.supports(update, at: level) else {
                let supported = connector.support[update].map { $0.map(\.rawValue).joined(separator: ", ") } ?? "none"
                return .failure(.init(message: "\(connector.displayName) does not sync \(update.rawValue) at \(level.rawValue) level (supported levels: \(supported)); give an SQLTemplate to do it anyway"))
            }
            guard let t = connector.defaultTemplate(update, level, action) else {
                let reason = connector.missingReason(update, level, action) ?? "no default template"
                return .failure(.init(message: "\(connector.displayName) cannot \(action == .remove ? "remove" : "set") \(update.rawValue) at \(level.rawValue) level: \(reason)"))
            }
            return library.builtIn(t)
        }

        func render(_ ready: TemplateLibrary.Ready, _ values: [Variable: String], tags: [TagName] = [], label: String) -> Result<PlannedStep, TemplateLibrary.TemplateProblem> {
            var all = base
            for (k, v) in values { all[k] = v }
            do {
                let sql = try ready.compiled.render(RenderValues(all, tags: tags.map { (key: $0.key, value: $0.value) }))
                return .success(PlannedStep(sql: sql, label: label))
            } catch {
                let which = error.variable.map { " {\($0.rawValue)}" } ?? ""
                return .failure(.init(message: "cannot render\(which) for \(label): \(error.message) [\(error.code)]"))
            }
        }

        switch op.parameters {
        case .description(let d):
            let text = d.newDescription ?? ""
            let action: TemplateAction = text.isEmpty && customText == nil ? .remove : .set
            let label = action == .remove ? "remove the description" : "set the description"
            switch template(action).flatMap({ render($0, [.description: text], label: label) }) {
            case .success(let step): return .steps([step], notes: [])
            case .failure(let p): return .failed(p.message)
            }

        case .owner(let o):
            let added = o.addedOwners ?? []
            let removed = o.removedOwners ?? []
            if let team = added.first(where: { $0.type.lowercased() == "team" }) {
                return .failed("team owner `\(team.name ?? team.id)` cannot be synced: only a user can own a database object; assign a user as the owner")
            }
            if let other = added.first(where: { $0.type.lowercased() != "user" }) {
                return .failed("owner `\(other.name ?? other.id)` has type `\(other.type)`: only `user` owners are synced")
            }
            guard let first = added.first else {
                if removed.isEmpty { return .steps([], notes: ["nothing to change: no owner added or removed"]) }
                if customText != nil {
                    return .failed("the operation only removes owners, and a template can only set one: \(connector.missingReason(.owner, names.level, .remove) ?? "no removal form")")
                }
                switch template(.remove) {
                case .success(let ready):
                    let name = removed[0].name ?? removed[0].id
                    switch render(ready, [.owner: name], label: "remove owner `\(name)`") {
                    case .success(let s): return .steps([s], notes: [])
                    case .failure(let p): return .failed(p.message)
                    }
                case .failure(let p): return .failed(p.message)
                }
            }
            guard let ownerName = first.name ?? first.fullyQualifiedName, !ownerName.isEmpty else {
                return .failed("owner \(first.id) has no name to sync")
            }
            var notes: [String] = []
            if added.count > 1 {
                notes.append("only one owner is synced: `\(ownerName)`; not synced: " + added.dropFirst().map { "`\($0.name ?? $0.id)`" }.joined(separator: ", "))
            }
            switch template(.set).flatMap({ render($0, [.owner: ownerName], label: "set owner `\(ownerName)`") }) {
            case .success(let step): return .steps([step], notes: notes)
            case .failure(let p): return .failed(p.message)
            }

        case .tags(let t):
            let glossary = includeGlossary || channel.includeGlossary
            var notes: [String] = []
            func names(_ labels: [TagLabel]) -> Result<[(TagName, String)], TemplateLibrary.TemplateProblem> {
                var out: [(TagName, String)] = []
                var skipped: [String] = []
                for l in labels {
                    if l.source == .glossary && !glossary { skipped.append(l.tagFQN); continue }
                    do { out.append((try TagName.parse(l.tagFQN), l.tagFQN)) } catch { return .failure(.init(message: error.message)) }
                }
                if !skipped.isEmpty {
                    notes.append("glossary terms not pushed (use --include-glossary or the channel's includeGlossary): " + skipped.map { "`\($0)`" }.joined(separator: ", "))
                }
                return .success(out)
            }
            let added: [(TagName, String)]
            let removed: [(TagName, String)]
            switch (names(t.addedTags ?? []), names(t.removedTags ?? [])) {
            case (.success(let a), .success(let r)): added = a; removed = r
            case (.failure(let p), _), (_, .failure(let p)): return .failed("tag: \(p.message)")
            }
            // Two added tags of one classification: the target holds one value per key.
            var byKey: [String: [String]] = [:]
            for (name, fqn) in added { byKey[name.key, default: []].append(fqn) }
            if let (key, fqns) = byKey.first(where: { $0.value.count > 1 }) {
                return .failed("ambiguous tags: \(fqns.map { "`\($0)`" }.joined(separator: " and ")) are both in classification `\(key)`, and the target holds one value per key; nothing was applied")
            }
            var steps: [PlannedStep] = []
            // Removals first, so a tag moved within a classification ends with its new value.
            if !removed.isEmpty {
                switch template(.remove) {
                case .failure(let p): return .failed(p.message)
                case .success(let ready):
                    for (name, fqn) in removed {
                        switch render(ready, [.tagKey: name.key, .tagValue: name.value], tags: [name], label: "remove tag `\(fqn)`") {
                        case .success(let s): steps.append(s)
                        case .failure(let p): return .failed(p.message)
                        }
                    }
                }
            }
            if !added.isEmpty {
                switch template(.set) {
                case .failure(let p): return .failed(p.message)
                case .success(let ready):
                    if ready.usesTags {
                        let label = "set tags " + added.map { "`\($0.1)`" }.joined(separator: ", ")
                        switch render(ready, [:], tags: added.map(\.0), label: label) {
                        case .success(let s): steps.append(s)
                        case .failure(let p): return .failed(p.message)
                        }
                    } else {
                        for (name, fqn) in added {
                            switch render(ready, [.tagKey: name.key, .tagValue: name.value], tags: [name], label: "set tag `\(fqn)`") {
                            case .success(let s): steps.append(s)
                            case .failure(let p): return .failed(p.message)
                            }
                        }
                    }
                }
            }
            if steps.isEmpty && notes.isEmpty { notes.append("nothing to change: no tag added or removed") }
            return .steps(steps, notes: notes)
        }
    }
}
