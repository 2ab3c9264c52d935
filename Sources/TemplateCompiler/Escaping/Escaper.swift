/// How one hole of a compiled template turns a value into SQL. Chosen at compile time from where
/// the placeholder stands (its lexical context in the statement's own rules), the variable's type
/// and the dialect: the escaping contract of docs/rendering.md.
public enum Escaper: Hashable, Sendable {
    /// A bare text value: a complete string literal (`'it''s'`, `N'…'`, `'it\'s'`).
    case literal(QuotedForm)
    /// Inside a literal the template opened: the escaped contents.
    case literalContents(QuotedForm)
    /// Inside `$tag$…$tag$`: the value as it is, refused when it could close the quote.
    case dollarQuoted(tag: String)
    /// A bare name: written as it is when it is a plain identifier, else quoted with the form
    /// (always quoted when `alwaysQuote`).
    case name(QuotedForm, alwaysQuote: Bool)
    /// Inside a quoted identifier the template opened: the escaped contents.
    case nameContents(QuotedForm)
    /// Glued to other name text: only plain identifier characters (strict).
    case gluedName(atWordStart: Bool)
    /// `{tags}` bare: the dialect's list form.
    case tagList(TagListForm)

    /// Short description for messages and `templatec compile` output.
    public var summary: String {
        switch self {
        case .literal(let f): return "complete literal \(f.open)…\(f.closeText)"
        case .literalContents(let f): return "contents of \(f.open)…\(f.closeText)"
        case .dollarQuoted(let tag): return "contents of $\(tag)$…$\(tag)$"
        case .name(let f, let always): return always ? "name, quoted \(f.open)…\(f.closeText)" : "name, quoted \(f.open)…\(f.closeText) when not plain"
        case .nameContents(let f): return "contents of name \(f.open)…\(f.closeText)"
        case .gluedName: return "glued name (plain characters only)"
        case .tagList(let t): return t.keysOnly ? "\(t.style.rawValue) key list" : "\(t.style.rawValue) list"
        }
    }
}

/// The `{tags}` list form of a hole.
public struct TagListForm: Hashable, Sendable {
    public var style: TagsListForm
    /// An unset statement (`UNSET TAGS ('k', …)`): keys only.
    public var keysOnly: Bool
    /// How keys and values are written as string literals.
    public var literal: QuotedForm
    public var rules: TagRules
    /// Lowercase BigQuery labels rather than refuse uppercase letters.
    public var normalize: Bool

    public init(style: TagsListForm, keysOnly: Bool, literal: QuotedForm, rules: TagRules, normalize: Bool) {
        self.style = style
        self.keysOnly = keysOnly
        self.literal = literal
        self.rules = rules
        self.normalize = normalize
    }
}

/// One hole: the variable, its escaper and the length limit of the text it stores.
public struct Hole: Hashable, Sendable {
    public var variable: Variable
    public var escaper: Escaper
    public var limit: TextLimit?
    /// Holes with the same group write into one stored text (`{schema}_{table}`, `'{tag_key}:
    /// {tag_value}'`): their values together must fit `limit`, not only each alone.
    public var limitGroup: Int?

    public init(variable: Variable, escaper: Escaper, limit: TextLimit? = nil, limitGroup: Int? = nil) {
        self.variable = variable
        self.escaper = escaper
        self.limit = limit
        self.limitGroup = limitGroup
    }
}

extension Escaper {
    /// The escaper of a placeholder, or nil where no value can be written (raw strings, comments,
    /// q-quotes, `{tags}` outside a list position: the checker reports those as errors).
    static func select(for placeholder: Placeholder, variable: Variable, in statement: Statement, dialect: Dialect,
                       text: [UInt8]) -> Escaper? {
        let rules = statement.rules
        switch placeholder.context {
        case .bare:
            switch variable.type {
            case .text:
                return .literal(QuotedForm(rules.valueLiteral))
            case .identifier:
                // In T-SQL's extended-property statements a name is passed as an N'…' string
                // (`@level0name = {schema}`), except where a name goes (`{database}.sys.…`).
                if let c = statement.classification, c.form.level == .extendedPropertyArguments,
                   !c.namePlaceholderStarts.contains(placeholder.span.start) {
                    return .literal(QuotedForm(rules.valueLiteral))
                }
                return .name(QuotedForm(rules.identifierQuote), alwaysQuote: dialect.options.identifierQuoting == .always)
            case .list:
                guard let style = dialect.tagsListForm, let tagRules = dialect.tagRules else { return nil }
                let keysOnly = statement.classification?.kind == .unsetTagList
                return .tagList(TagListForm(style: style, keysOnly: keysOnly, literal: QuotedForm(tagLiteral(style, rules)),
                                            rules: tagRules, normalize: dialect.options.normalizeLabels))
            }
        case .nationalPrefixed:
            guard variable.type != .list else { return nil }
            let national = rules.strings.first { $0.name == "national" && $0.escapable } ?? rules.valueLiteral
            return .literal(QuotedForm(national))
        case .glued:
            guard variable.type != .list else { return nil }
            // Name text (or another placeholder) right before it: the value continues a word.
            let start = placeholder.span.start
            let before: UInt8 = start > 0 ? text[start - 1] : 0x20
            let placeholderBefore = before == UInt8(ascii: "}") && !(start >= 2 && text[start - 2] == UInt8(ascii: "}"))
            let continuesWord = isWordByte(before) || placeholderBefore
            return .gluedName(atWordStart: !continuesWord)
        case .string(let kind):
            guard kind.escapable, variable.type != .list else { return nil }
            return .literalContents(QuotedForm(kind))
        case .dollarQuoted(let tag):
            guard variable.type != .list else { return nil }
            return .dollarQuoted(tag: tag)
        case .quotedIdentifier(let kind):
            guard variable.type != .list else { return nil }
            return .nameContents(QuotedForm(kind))
        case .alternativeQuoted, .comment:
            return nil
        }
    }

    /// The literal kind tag keys and values are written with: BigQuery's double-quoted string
    /// (as in its documentation), else the statement's value literal.
    static func tagLiteral(_ style: TagsListForm, _ rules: LexicalRules) -> StringLiteralKind {
        switch style {
        case .bigQueryLabels:
            return rules.strings.first { $0.prefix.isEmpty && $0.quote == UInt8(ascii: "\"") && !$0.triple && $0.escapable }
                ?? rules.valueLiteral
        case .databricksTags:
            return rules.valueLiteral
        }
    }
}
