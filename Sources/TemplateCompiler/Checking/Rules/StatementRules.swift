/// Codes of the statement-level rules (classification, level and update mismatches, forms a
/// dialect lacks, destructive statements, …). Each rule is one type in this folder.
public enum StatementRules {
    public static let codes: [DiagnosticCode] = []
}
