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
        ChannelPlan(op: op, names: names, channel: channel, connector: connector, library: library,
                    includeGlossary: includeGlossary || channel.includeGlossary,
                    base: names.variables(connector.namespace)).outcome()
    }
}
