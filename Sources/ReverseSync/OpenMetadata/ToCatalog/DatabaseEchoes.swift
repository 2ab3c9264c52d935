import TemplateCompiler

extension BatchPlan {
    /// Drops the operations that would write back into the database the value
    /// `sync --to-openmetadata` carried from it to the catalog (loop case 2), and counts them.
    ///
    /// The diff made such an operation because the database no longer holds that value: it
    /// changed after the patch (or its text cannot be compared). The ledger's entry, origin
    /// `database`, says the catalog's value came from the database, so the catalog is not ahead:
    /// writing it would undo the database's newer change, which the next `--to-openmetadata` run
    /// carries to the catalog (the decision table's "database changed" row). A catalog edit since
    /// the patch has another value and is written as usual.
    public mutating func dropDatabaseEchoes(_ ledger: SyncLedger) {
        let before = pipeline.operations.count
        pipeline.operations.removeAll { op in
            guard let u = SyncLedger.update(for: op) else { return false }
            return ledger.isDatabaseEcho(u.entity, u.field, value: u.value)
        }
        databaseEchoes += before - pipeline.operations.count
    }
}
