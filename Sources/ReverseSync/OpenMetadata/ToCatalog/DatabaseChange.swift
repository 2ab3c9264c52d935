import Foundation
import TemplateCompiler
import TemplateWorkspace

/// A change seen on the database side, to be carried to the catalog by
/// `sync --to-openmetadata`: the entity (in the catalog's names), the field, and the value the
/// database holds now, already read back through the template in use (so `Synced: X` is `X`).
///
/// Two sources produce them: the database's current state compared with the catalog (the readers
/// of `sync --from-openmetadata`), and a statement history (ClickHouse's `system.query_log`, the
/// PostgreSQL DDL log templatec installs) whose statements matched a template. Both feed one path:
/// the conflict check against what the last runs agreed on, then one JSON Patch per entity.
public struct DatabaseChange: Sendable, Equatable {
    public enum Field: String, Sendable, Codable, CaseIterable {
        case description
        case owner
    }

    /// How the change was seen.
    public enum Evidence: Sendable, Equatable {
        /// The database's catalog views hold this value now.
        case currentState
        /// A statement in the database's history, matched against a template: its text, when it
        /// ran and who ran it (as the history records them, nil where it does not).
        case statement(sql: String, executedAt: Date?, user: String?)
    }

    /// The entity in the catalog's names (service, database, schema, table, column).
    public var entity: EntityNames
    public var field: Field
    /// The value the database holds now; "" when the database holds none (the comment or owner
    /// was removed).
    public var value: String
    public var evidence: Evidence

    public init(entity: EntityNames, field: Field, value: String, evidence: Evidence) {
        self.entity = entity
        self.field = field
        self.value = value
        self.evidence = evidence
    }
}

/// Where `sync --to-openmetadata` gets its database-side changes from.
public protocol DatabaseChangeSource {
    /// The changes, in the order they happened where the source knows it (a history), else in
    /// catalog order. Several changes of one field of one entity may come; the last one counts.
    func changes() throws -> [DatabaseChange]
}
