/// What `sync --to-openmetadata` does with one field, from three values: the database's (read
/// back through the template), the catalog's, and the ledger's (the last value both sides agreed
/// on; nil when none is recorded). Values compare byte for byte. The table (docs/openmetadata.md):
///
/// | database      | catalog       | ledger      | decision                                    |
/// |---------------|---------------|-------------|---------------------------------------------|
/// | = catalog     | = database    | any         | in line (recorded as agreed)                |
/// | none ("")     | a value       | any         | kept: an empty database never empties the catalog |
/// | ≠ ledger      | = ledger      | L           | patch: the database changed                 |
/// | = ledger      | ≠ ledger      | L           | catalog ahead: `--from-openmetadata` carries it |
/// | ≠ ledger      | ≠ ledger      | L           | conflict (or as `--prefer` says)            |
/// | a value       | none ("")     | none        | patch: the catalog has nothing to lose      |
/// | a value       | another value | none        | conflict (or as `--prefer` says)            |
public enum ToCatalogDecision: Equatable, Sendable {
    /// Both sides hold the same value.
    case inLine
    /// The database's value goes to the catalog. `preferred`: a conflict `--prefer database` settled.
    case patch(preferred: Bool)
    /// The catalog's value is newer; it is left for `--from-openmetadata`. `preferred`: a conflict
    /// `--prefer catalog` settled.
    case catalogAhead(preferred: Bool)
    /// Both sides changed since they last agreed (or never agreed and both hold a value): reported,
    /// neither side touched.
    case conflict
    /// The database holds no value and the catalog does: the catalog's text is not removed (as the
    /// other direction never removes a comment the catalog lacks).
    case kept

    public enum Preference: String, Sendable, CaseIterable {
        case catalog, database
    }

    public static func decide(database: String, catalog: String, ledger: String?, prefer: Preference?) -> ToCatalogDecision {
        func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
        if same(database, catalog) { return .inLine }
        if database.isEmpty { return .kept }
        if let ledger {
            switch (same(database, ledger), same(catalog, ledger)) {
            case (false, true): return .patch(preferred: false)
            case (true, false): return .catalogAhead(preferred: false)
            default: break  // both changed since they agreed
            }
        } else if catalog.isEmpty {
            // Never agreed, and the catalog has nothing to lose.
            return .patch(preferred: false)
        }
        switch prefer {
        case .database?: return .patch(preferred: true)
        case .catalog?: return .catalogAhead(preferred: true)
        case nil: return .conflict
        }
    }
}
