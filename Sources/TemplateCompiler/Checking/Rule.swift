/// A check over the typed AST. Each rule is one type in `Rules/`, in one file with the codes it
/// reports and their examples; the catalog (`DiagnosticCatalog.all`) is built from `codes`, and
/// the tests are generated from the examples.
public protocol Rule: Sendable {
    static var codes: [DiagnosticCode] { get }
    func check(_ input: RuleInput, into diagnostics: inout [Diagnostic])
}

extension Rule {
    /// The codes of this rule, read through an existential (`any Rule`).
    public var codes: [DiagnosticCode] { Self.codes }
}

/// What a rule sees: the AST, the resolved update context and the settings.
public struct RuleInput: Sendable {
    public let template: Template
    public let context: UpdateContext
    public let settings: ContextSettings

    public var dialect: Dialect { template.dialect }
}

/// The rules run by `check`, in order. Adding a rule: its file in `Rules/`, and one entry here.
public enum RuleSet {
    /// Rules over placeholders and text, which need no statement classification: which variables
    /// exist and are available, the context each placeholder stands in, the bytes of the text.
    /// The renderer's fuzz target runs these alone.
    public static let placeholderRules: [any Rule] = [
        TextValidityRule(), UnknownVariableRule(), VariableAvailabilityRule(), PlaceholderInCommentRule(),
        TagsPlacementRule(), GluedPlaceholderRule(), UnescapableContextRule(), EmptyTemplateRule(),
    ]

    /// Rules over classified statements: the statement against the update context, the forms the
    /// dialect has, destructive statements, the common mistakes in writing a value or a name.
    public static let statementRules: [any Rule] = [
        StatementNotVerifiedRule(), StatementLevelRule(), TargetIncompleteRule(), UpdateKindRule(), UnsupportedFormRule(),
        ColumnDefinitionRule(), DestructiveStatementRule(), SessionSettingRule(), StatementsPerRequestRule(), UnusedUpdateContextRule(),
        TagValueRestrictionRule(), TagsListPositionRule(), CollateCompatibilityRule(),
        OwnerAsStringRule(), DescriptionAsIdentifierRule(), ExpressionValueRule(), PunctuatedOwnerNameRule(),
        TrailingSemicolonRule(), ClientBatchSeparatorRule(), NonUnicodeLiteralRule(),
    ]

    /// Every rule: the placeholder rules, then the statement rules.
    public static var all: [any Rule] { placeholderRules + statementRules }
}
