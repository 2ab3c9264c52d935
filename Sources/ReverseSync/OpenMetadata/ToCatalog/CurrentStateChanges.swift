import TemplateCompiler
import TemplateWorkspace

/// The `DatabaseChangeSource` of the database's current state: for every entity of the catalog
/// the database has, each field the connector (or a channel's own template) syncs and the state
/// reader can see, the value the database holds, read back through the template(s) in use
/// (`StoredValueReading`: `Synced: X` stored by `IS 'Synced: {description}'` is `X`).
///
/// Every field comes, changed or not: the decision (`ToCatalogDecision`) needs the database's
/// value to tell "in line" from "changed", and a field seen equal is recorded in the ledger.
/// A field whose stored text cannot be read back (a hand-written comment a wrapping template does
/// not produce, a template that cannot be run backwards, channels whose templates disagree) is not
/// sent: it is counted in `unreadable`, with the first few named.
public final class CurrentStateChanges: DatabaseChangeSource {
    public let state: CurrentState
    public let snapshot: CatalogSnapshot
    public let connector: Connector
    public let channels: [Channel]
    private let readings: StoredValueReading.Cache

    /// Fields not sent because the stored text cannot be read back through the template in use.
    public private(set) var unreadable = 0
    public private(set) var unreadableExamples: [String] = []
    /// Catalog entities the database does not have (or this connection does not reach).
    public private(set) var missing = 0

    public init(state: CurrentState, snapshot: CatalogSnapshot, connector: Connector, channels: [Channel]?) {
        self.state = state
        self.snapshot = snapshot
        self.connector = connector
        self.channels = channels ?? [Channel.everything]
        self.readings = StoredValueReading.Cache(dialect: connector.dialect)
    }

    public func changes() throws -> [DatabaseChange] {
        unreadable = 0
        unreadableExamples = []
        missing = 0
        var out: [DatabaseChange] = []
        for key in snapshot.order {
            guard let entry = snapshot[key] else { continue }
            let names = entry.names
            let variables = names.variables(connector.namespace)
            let object: ObjectState
            switch state.lookup(level: names.level, variables) {
            case .missing:
                missing += 1
                continue
            case .found(let o):
                object = o
            }
            for field in DatabaseChange.Field.allCases {
                if field == .owner && names.level == .column { continue }
                let update: UpdateKind = field == .owner ? .owner : .description
                guard wants(update, names.level), state.canRead(update, at: names.level) else { continue }
                let stored = field == .owner ? object.owner : object.description
                // The channels that would write this field (their owner filter sees the database's
                // owner and the catalog's). None: templatec does not sync it, so it is not carried back.
                let owners = [stored, entry.owner?.syncName].compactMap { $0 }
                let routed = channels.filter {
                    $0.updates(update) && $0.filter.matches(names, ownerNames: owners, tagFQNs: [], isOwnerUpdate: update == .owner, isTagUpdate: false)
                }
                if routed.isEmpty { continue }
                if let value = readBack(stored, field, update, routed.map(\.sqlTemplate), variables, level: names.level) {
                    out.append(DatabaseChange(entity: names, field: field, value: value, evidence: .currentState))
                } else {
                    unreadable += 1
                    if unreadableExamples.count < 5 { unreadableExamples.append("\(field.rawValue) of \(names.displayName)") }
                }
            }
        }
        return out
    }

    /// The value `stored` holds through every template the field's channels use, or nil when it
    /// cannot be read back (or the templates disagree). No stored text: "" (the database holds none).
    /// `templates`: each channel's own template, nil for the connector's default (which stores the value whole).
    private func readBack(_ stored: String?, _ field: DatabaseChange.Field, _ update: UpdateKind, _ templates: [String?],
                          _ variables: [Variable: String], level: Level) -> String? {
        guard let stored, !stored.isEmpty else { return "" }
        let variable: Variable = field == .owner ? .owner : .description
        var value: String? = nil
        for template in templates {
            let reading = readings.reading(of: template, variable, update, level)
            guard let read = reading.value(of: variable, in: stored, names: variables) else { return nil }
            if let value, !value.utf8.elementsEqual(read.utf8) { return nil }
            value = read
        }
        return value
    }

    /// As `CatalogDiff` decides it: the connector syncs it, or a channel with its own template names the level.
    private func wants(_ update: UpdateKind, _ level: Level) -> Bool { CatalogDiff.syncs(update, at: level, connector, channels) }
}
