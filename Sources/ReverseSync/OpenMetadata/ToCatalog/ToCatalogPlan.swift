import TemplateCompiler
import TemplateWorkspace

/// What `sync --to-openmetadata` will do: each database change decided against the catalog and
/// the ledger (`ToCatalogDecision`), the fields to send grouped into one JSON Patch per entity,
/// the conflicts, and what the ledger records once the patches succeed.
public struct ToCatalogPlan {
    /// One field that goes to the catalog.
    public struct FieldPatch: Sendable {
        public var entity: String
        public var field: DatabaseChange.Field
        public var value: String
        /// A conflict that `--prefer database` settled.
        public var preferred: Bool
    }

    /// One JSON Patch (RFC 6902) for one entity: a table's patch carries its columns' descriptions.
    public struct Patch: Sendable {
        /// The entity's key (its FQN).
        public var entity: String
        public var kind: CatalogSnapshot.Kind
        public var href: String
        public var operations: [JSONPatchOperation]
        public var fields: [FieldPatch]
    }

    public struct JSONPatchOperation: Sendable, Equatable {
        public var op: String
        public var path: String
        public var value: JSONDocument

        public var document: JSONDocument { .object(["op": .string(op), "path": .string(path), "value": value]) }
    }

    public struct Conflict: Sendable {
        public var entity: String
        public var field: DatabaseChange.Field
        public var database: String
        public var catalog: String
        public var ledger: String?
        /// `--prefer` settled it: which side won (nil: left, both untouched).
        public var preferred: ToCatalogDecision.Preference?
    }

    public struct Summary: Sendable, Equatable {
        /// Fields to patch (and, after a run, patched).
        public var patched = 0
        public var unchanged = 0
        /// Fields the catalog changed since the last agreement: left for `--from-openmetadata`.
        public var catalogAhead = 0
        /// Conflicts left (not settled by `--prefer`).
        public var conflicts = 0
        /// Fields whose stored text could not be read back (not sent).
        public var unreadable = 0
        /// Fields the database holds no value for while the catalog has one (the catalog keeps it).
        public var kept = 0
        /// Owners the database names and the catalog has no user for (not guessed).
        public var unknownUsers = 0
        /// Entities whose owner in the catalog is a team (no database owner maps to it).
        public var teamOwners = 0
        /// Changes of entities the catalog does not have.
        public var notInCatalog = 0
    }

    public var patches: [Patch] = []
    public var conflicts: [Conflict] = []
    /// Fields seen equal on both sides: recorded in the ledger (origin `both`).
    public var agreed: [SyncLedger.Update] = []
    public var summary = Summary()
    /// Owner names the catalog has no user for, and changes of entities it does not know.
    public var unknownUsers: [String] = []
    public var notInCatalog: [String] = []

    /// Decides every change. The last change of a field counts. `user` finds a catalog user by
    /// name (nil: none), asked once per name.
    public static func make(_ changes: [DatabaseChange], snapshot: CatalogSnapshot, ledger: SyncLedger?,
                            prefer: ToCatalogDecision.Preference?, user: (String) throws -> CatalogReference?) throws -> ToCatalogPlan {
        var plan = ToCatalogPlan()
        // The last change per (entity, field), in the order fields were first seen.
        var order: [String] = []
        var last: [String: DatabaseChange] = [:]
        for change in changes {
            let key = SyncLedger.key(change.entity) + "\u{0}" + change.field.rawValue
            if last.updateValue(change, forKey: key) == nil { order.append(key) }
        }
        var users: [String: CatalogReference?] = [:]
        var byEntity: [String: Int] = [:]
        for key in order {
            let change = last[key]!
            let entityKey = SyncLedger.key(change.entity)
            guard let entry = snapshot[entityKey] else {
                plan.summary.notInCatalog += 1
                if plan.notInCatalog.count < 5 { plan.notInCatalog.append(change.entity.displayName) }
                continue
            }
            if change.field == .owner && entry.ownedByTeam {
                plan.summary.teamOwners += 1
                continue
            }
            let catalog = entry.value(change.field)
            let agreed = ledger?.entry(entityKey, change.field)?.value
            let decision = ToCatalogDecision.decide(database: change.value, catalog: catalog, ledger: agreed, prefer: prefer)
            switch decision {
            case .inLine:
                plan.summary.unchanged += 1
                plan.agreed.append(SyncLedger.Update(entity: entityKey, field: change.field, value: change.value, origin: .both))
            case .kept:
                plan.summary.kept += 1
            case .conflict:
                plan.summary.conflicts += 1
                plan.conflicts.append(Conflict(entity: entityKey, field: change.field, database: change.value, catalog: catalog, ledger: agreed, preferred: nil))
            case .catalogAhead(let preferred):
                plan.summary.catalogAhead += 1
                if preferred {
                    plan.conflicts.append(Conflict(entity: entityKey, field: change.field, database: change.value, catalog: catalog, ledger: agreed, preferred: .catalog))
                }
            case .patch(let preferred):
                var operation: JSONPatchOperation
                switch change.field {
                case .description:
                    operation = descriptionOperation(entry, change.value)
                case .owner:
                    let found: CatalogReference?
                    if let known = users[change.value] { found = known } else {
                        found = try user(change.value)
                        users[change.value] = found
                    }
                    guard let found else {
                        plan.summary.unknownUsers += 1
                        if !plan.unknownUsers.contains(change.value) { plan.unknownUsers.append(change.value) }
                        continue
                    }
                    operation = ownersOperation(entry, found)
                }
                if preferred {
                    plan.conflicts.append(Conflict(entity: entityKey, field: change.field, database: change.value, catalog: catalog, ledger: agreed, preferred: .database))
                }
                plan.summary.patched += 1
                let target = entry.table ?? entityKey
                let field = FieldPatch(entity: entityKey, field: change.field, value: change.value, preferred: preferred)
                if let index = byEntity[target] {
                    plan.patches[index].operations.append(operation)
                    plan.patches[index].fields.append(field)
                } else {
                    byEntity[target] = plan.patches.count
                    plan.patches.append(Patch(entity: target, kind: entry.kind, href: entry.href, operations: [operation], fields: [field]))
                }
            }
        }
        return plan
    }

    /// `replace` where the entity's JSON has the member (RFC 6902 requires it to exist), `add` where not.
    static func descriptionOperation(_ entry: CatalogSnapshot.Entry, _ value: String) -> JSONPatchOperation {
        let path = entry.columnIndex.map { "/columns/\($0)/description" } ?? "/description"
        return JSONPatchOperation(op: entry.description == nil ? "add" : "replace", path: path, value: .string(value))
    }

    /// The owners list becomes the one user (the database object has one owner).
    static func ownersOperation(_ entry: CatalogSnapshot.Entry, _ user: CatalogReference) -> JSONPatchOperation {
        var reference: [String: JSONDocument] = ["id": .string(user.id), "type": .string("user")]
        if let name = user.name { reference["name"] = .string(name) }
        if let fqn = user.fullyQualifiedName { reference["fullyQualifiedName"] = .string(fqn) }
        return JSONPatchOperation(op: entry.ownersPresent ? "replace" : "add", path: "/owners", value: .array([.object(reference)]))
    }

    /// A patch's body: the JSON Patch document.
    public static func body(_ patch: Patch) -> String { JSONDocument.array(patch.operations.map(\.document)).text }
}
