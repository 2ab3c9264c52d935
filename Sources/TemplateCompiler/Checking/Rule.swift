/// A check over the typed AST. Each rule is one type with the codes it reports; its examples live
/// with its codes in `DiagnosticCatalog`, and the tests are generated from them.
public protocol Rule: Sendable {
    static var codes: [DiagnosticCode] { get }
    func check(_ input: RuleInput, into diagnostics: inout [Diagnostic])
}

/// What a rule sees: the AST, the resolved update context and the settings.
public struct RuleInput: Sendable {
    public let template: Template
    public let context: UpdateContext
    public let settings: ContextSettings

    public var dialect: Dialect { template.dialect }
}

/// The rules run by `check`, in order.
public enum RuleSet {
    public static let foundation: [any Rule] = [
        TextValidityRule(), UnknownVariableRule(), VariableAvailabilityRule(), PlaceholderInCommentRule(),
        TagsPlacementRule(), GluedPlaceholderRule(), UnescapableContextRule(), EmptyTemplateRule(),
    ]

    /// Every rule: the foundation's and the statement rules.
    public static var all: [any Rule] { foundation + StatementRuleSet.rules + ConnectorRules.rules }
}

/// Statement-level rules (classification against context, dialect forms, destructive statements).
public enum StatementRuleSet {
    public static let rules: [any Rule] = [
        StatementNotVerifiedRule(), StatementLevelRule(), TargetIncompleteRule(), UpdateKindRule(), UnsupportedFormRule(),
        ColumnDefinitionRule(), DestructiveStatementRule(), StatementsPerRequestRule(), UnusedUpdateContextRule(),
        TagValueRestrictionRule(), TagsListPositionRule(), CollateCompatibilityRule(),
    ]
}
