/// The typed AST: a template is statements, a statement is SQL text and placeholders.
public struct Template: Sendable {
    public let source: TemplateSource
    public let dialect: Dialect
    public let lexed: LexedTemplate
    public let statements: [Statement]

    public var text: [UInt8] { source.text }
    public var placeholders: [Placeholder] { lexed.placeholders }
    public var tokens: [Token] { lexed.tokens }

    /// The bytes of a span, as a String.
    public func string(_ span: Span) -> String {
        String(decoding: source.text[span.start..<span.end], as: UTF8.self)
    }
}

public struct Statement: Sendable {
    public let index: Int
    /// From the first significant token to the separator (inclusive), or the statement's whole
    /// text when it has no significant token.
    public let span: Span
    /// Token indices of the statement, separator included.
    public let tokens: Range<Int>
    /// The lexical rules it was lexed with.
    public let rules: LexicalRules
    public let nodes: [Node]
    /// What the statement does, when it matches one of the dialect's forms.
    public let classification: Classification?
    /// Whether the statement has any token besides whitespace, comments and the separator.
    public let isEmpty: Bool
}

public enum Node: Hashable, Sendable {
    case sql(Span)
    /// An index into `Template.placeholders`.
    case placeholder(Int)
}

/// A statement recognised as one of the dialect's metadata forms.
public struct Classification: Sendable {
    public let form: StatementForm
    public let kind: StatementKind
    public let level: Level
    /// Placeholders inside the statement's target name (`COMMENT ON TABLE <target>`), in order.
    public let targetPlaceholders: [Int]
    /// The span of the target name.
    public let targetSpan: Span?
    /// Token index of the value (`IS <value>`), when the form has one.
    public let valueToken: Int?
    /// Token index of the start of the `<list>` element (`SET TAGS <list>`), when the form has one.
    public let listToken: Int?
    /// How many significant tokens the form's first `*` matched (the column definition in
    /// `MODIFY COLUMN c <definition> COMMENT …`), when the form has a `*`.
    public let firstSkipTokenCount: Int?
    /// T-SQL extended-property statements: byte offsets of the bare placeholders in name positions
    /// (`{database}.sys.…`); the others are values, written as `N'…'` strings.
    public var namePlaceholderStarts: [Int] = []
}
