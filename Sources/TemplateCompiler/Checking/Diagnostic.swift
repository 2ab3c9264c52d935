public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case info, warning, error

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    private var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .error: return 2
        }
    }
}

/// A replacement of the template bytes in `span` by `text`.
public struct TextEdit: Hashable, Sendable {
    public var span: Span
    public var text: String

    public init(_ span: Span, _ text: String) {
        self.span = span
        self.text = text
    }
}

/// A concrete fix: edits that, applied together, resolve the diagnostic.
public struct Fix: Hashable, Sendable {
    public enum Applicability: String, Sendable, Codable {
        /// Keeps the template's meaning: `check --fix` applies it.
        case safe
        /// Changes what the template renders: applied only with `--unsafe-fixes`.
        case unsafe
    }

    public var message: String
    public var edits: [TextEdit]
    public var applicability: Applicability

    public init(_ message: String, _ edits: [TextEdit], _ applicability: Applicability = .safe) {
        self.message = message
        self.edits = edits
        self.applicability = applicability
    }
}

/// One finding: a stable code, a severity, a message that says what to do, and where.
public struct Diagnostic: Hashable, Sendable {
    public var code: String
    public var severity: Severity
    public var message: String
    public var span: Span
    public var fixes: [Fix]

    public init(_ code: DiagnosticCode, _ message: String, at span: Span, fixes: [Fix] = [], severity: Severity? = nil) {
        self.code = code.id
        self.severity = severity ?? code.severity
        self.message = message
        self.span = span
        self.fixes = fixes
    }
}
