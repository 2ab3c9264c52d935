import TemplateCompiler

/// What one operation becomes through one channel: for each action the template (the custom one
/// for set/add, else the connector's default), rendered with the entity's names and the
/// operation's values. One planning function per update kind; a problem is thrown and becomes
/// the channel's failed outcome, so each function reads as the happy path.
struct ChannelPlan {
    typealias Problem = TemplateLibrary.TemplateProblem
    typealias Planned = (steps: [PlannedStep], notes: [String])

    let op: PipelineOperation
    let names: EntityNames
    let channel: Channel
    let connector: Connector
    let library: TemplateLibrary
    /// `--include-glossary`, or the channel's own `includeGlossary`.
    let includeGlossary: Bool
    /// The entity's names as variables (`names.variables(connector.namespace)`), once per plan.
    let base: [Variable: String]

    /// The operation's or the channel's template, with where it came from and its name in messages.
    private var custom: (source: TemplateSource, label: String)? {
        if let text = op.sqlTemplate {
            return (op.sqlTemplateSource ?? TemplateSource(path: "<template>", text), "the operation's SQLTemplate")
        }
        if let text = channel.sqlTemplate {
            return (channel.sqlTemplateSource ?? TemplateSource(path: "<template>", text), "channel `\(channel.name)`'s sqlTemplate")
        }
        return nil
    }

    func outcome() -> ChannelOutcome {
        do {
            let planned: Planned
            switch op.parameters {
            case .description(let d): planned = try description(d)
            case .owner(let o): planned = try owner(o)
            case .tags(let t): planned = try tags(t)
            }
            return .steps(planned.steps, notes: planned.notes)
        } catch {
            return .failed(error.message)
        }
    }

    // MARK: one function per update kind

    private func description(_ d: DescriptionConfig) throws(Problem) -> Planned {
        let text = d.newDescription ?? ""
        // An empty description removes the comment, unless a custom template says what to write.
        let action: TemplateAction = text.isEmpty && custom == nil ? .remove : .set
        let label = action == .remove ? "remove the description" : "set the description"
        return ([try render(template(action), [.description: text], label: label)], [])
    }

    private func owner(_ o: OwnerConfig) throws(Problem) -> Planned {
        let added = o.addedOwners ?? []
        let removed = o.removedOwners ?? []
        if let team = added.first(where: { $0.type.lowercased() == "team" }) {
            throw Problem(message: "team owner `\(team.name ?? team.id)` cannot be synced: only a user can own a database object; assign a user as the owner")
        }
        if let other = added.first(where: { $0.type.lowercased() != "user" }) {
            throw Problem(message: "owner `\(other.name ?? other.id)` has type `\(other.type)`: only `user` owners are synced")
        }
        guard let first = added.first else {
            guard let gone = removed.first else { return ([], ["nothing to change: no owner added or removed"]) }
            if custom != nil {
                throw Problem(message: "the operation only removes owners, and a template can only set one: \(connector.missingReason(.owner, names.level, .remove) ?? "no removal form")")
            }
            let name = gone.name ?? gone.id
            return ([try render(template(.remove), [.owner: name], label: "remove owner `\(name)`")], [])
        }
        guard let ownerName = first.name ?? first.fullyQualifiedName, !ownerName.isEmpty else {
            throw Problem(message: "owner \(first.id) has no name to sync")
        }
        var notes: [String] = []
        if added.count > 1 {
            notes.append("only one owner is synced: `\(ownerName)`; not synced: " + added.dropFirst().map { "`\($0.name ?? $0.id)`" }.joined(separator: ", "))
        }
        return ([try render(template(.set), [.owner: ownerName], label: "set owner `\(ownerName)`")], notes)
    }

    private func tags(_ t: TagsConfig) throws(Problem) -> Planned {
        var notes: [String] = []
        let (added, skippedAdded) = try tagNames(t.addedTags ?? [])
        let (removed, skippedRemoved) = try tagNames(t.removedTags ?? [])
        let skipped = skippedAdded + skippedRemoved
        if !skipped.isEmpty {
            notes.append("glossary terms not pushed (use --include-glossary or the channel's includeGlossary): " + skipped.map { "`\($0)`" }.joined(separator: ", "))
        }
        // Two added tags of one classification: the target holds one value per key.
        var byKey: [String: [String]] = [:]
        for (name, fqn) in added { byKey[name.key, default: []].append(fqn) }
        if let (key, fqns) = byKey.first(where: { $0.value.count > 1 }) {
            throw Problem(message: "ambiguous tags: \(fqns.map { "`\($0)`" }.joined(separator: " and ")) are both in classification `\(key)`, and the target holds one value per key; nothing was applied")
        }
        var steps: [PlannedStep] = []
        // Removals first, so a tag moved within a classification ends with its new value.
        if !removed.isEmpty {
            let ready = try template(.remove)
            for (name, fqn) in removed {
                steps.append(try render(ready, [.tagKey: name.key, .tagValue: name.value], tags: [name], label: "remove tag `\(fqn)`"))
            }
        }
        if !added.isEmpty {
            let ready = try template(.set)
            if ready.usesTags {
                // A `{tags}` template sets them all in one statement.
                let label = "set tags " + added.map { "`\($0.1)`" }.joined(separator: ", ")
                steps.append(try render(ready, [:], tags: added.map(\.0), label: label))
            } else {
                for (name, fqn) in added {
                    steps.append(try render(ready, [.tagKey: name.key, .tagValue: name.value], tags: [name], label: "set tag `\(fqn)`"))
                }
            }
        }
        if steps.isEmpty && notes.isEmpty { notes.append("nothing to change: no tag added or removed") }
        return (steps, notes)
    }

    /// The tags to push as (key, value) names with their FQNs, and the glossary terms left out.
    private func tagNames(_ labels: [TagLabel]) throws(Problem) -> (names: [(TagName, String)], skipped: [String]) {
        var out: [(TagName, String)] = []
        var skipped: [String] = []
        for l in labels {
            if l.source == .glossary && !includeGlossary { skipped.append(l.tagFQN); continue }
            do { out.append((try TagName.parse(l.tagFQN), l.tagFQN)) } catch { throw Problem(message: "tag: \(error.message)") }
        }
        return (out, skipped)
    }

    // MARK: templates and rendering

    /// The template for an action: the custom one (for set/add), else the connector's default.
    private func template(_ action: TemplateAction) throws(Problem) -> TemplateLibrary.Ready {
        let (update, level) = (op.type.update, names.level)
        if let custom, action == .set {
            return try library.custom(custom.source, label: custom.label, update, level).get()
        }
        guard connector.supports(update, at: level) else {
            let supported = connector.support[update].map { $0.map(\.rawValue).joined(separator: ", ") } ?? "none"
            throw Problem(message: "\(connector.displayName) does not sync \(update.rawValue) at \(level.rawValue) level (supported levels: \(supported)); give an SQLTemplate to do it anyway")
        }
        guard let t = connector.defaultTemplate(update, level, action) else {
            let reason = connector.missingReason(update, level, action) ?? "no default template"
            throw Problem(message: "\(connector.displayName) cannot \(action == .remove ? "remove" : "set") \(update.rawValue) at \(level.rawValue) level: \(reason)")
        }
        return try library.builtIn(t).get()
    }

    /// One statement: the entity's names plus `values`, rendered by the template's escapers.
    private func render(_ ready: TemplateLibrary.Ready, _ values: [Variable: String], tags: [TagName] = [], label: String) throws(Problem) -> PlannedStep {
        var all = base
        for (k, v) in values { all[k] = v }
        do {
            let sql = try ready.compiled.render(RenderValues(all, tags: tags.map { (key: $0.key, value: $0.value) }))
            return PlannedStep(sql: sql, label: label)
        } catch {
            let which = error.variable.map { " {\($0.rawValue)}" } ?? ""
            throw Problem(message: "cannot render\(which) for \(label): \(error.message) [\(error.code)]")
        }
    }
}
