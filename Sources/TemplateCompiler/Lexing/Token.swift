/// A lexical token of the SQL around placeholders. Literal tokens (strings, quoted identifiers,
/// comments) span their whole text, placeholders inside them included; the placeholders themselves
/// are listed in `LexedTemplate.placeholders` with the context they stand in.
public struct Token: Hashable, Sendable {
    public var kind: TokenKind
    public var span: Span

    @inlinable public init(_ kind: TokenKind, _ span: Span) {
        self.kind = kind
        self.span = span
    }
}

public enum TokenKind: Hashable, Sendable {
    case whitespace
    /// An unquoted word: keyword or identifier.
    case word
    case number
    /// One byte of punctuation or an operator character.
    case punctuation
    /// A string literal; the index is into the statement's `LexicalRules.strings`.
    case string(Int)
    /// A dollar-quoted string (`$tag$…$tag$`) or heredoc.
    case dollarString
    /// Oracle's alternative quoting `q'[…]'`.
    case alternativeString
    /// A quoted identifier; the index is into the statement's `LexicalRules.identifierQuotes`.
    case quotedIdentifier(Int)
    case lineComment
    case blockComment
    /// MySQL `/*!` or `/*M!` (with an optional version), and the `*/` that ends it: the text between
    /// is SQL and is lexed as such.
    case executableCommentOpen
    case executableCommentClose
    /// A placeholder standing in SQL (not inside a literal); the index is into `placeholders`.
    case placeholder(Int)
    /// `{{` or `}}` in SQL: one literal brace.
    case escapedBrace
    /// A statement separator (`;`).
    case separator
    /// Braces that form no valid placeholder (diagnosed).
    case invalidField

    /// Whitespace and comments: skipped when statements are matched against forms.
    public var isTrivia: Bool {
        switch self {
        case .whitespace, .lineComment, .blockComment, .executableCommentOpen, .executableCommentClose: return true
        default: return false
        }
    }
}

/// Where a placeholder stands, which decides how its value is escaped (docs/rendering.md, the escaping
/// contract).
public enum PlaceholderContext: Hashable, Sendable {
    /// Alone in SQL: a complete literal, a name or a list, by the variable's type.
    case bare
    /// `N{description}`: a bare value whose national prefix belongs to the rendered literal.
    case nationalPrefixed
    /// Touching identifier characters or another placeholder (`tbl_{table}`, `{schema}{table}`).
    case glued
    /// Inside a string literal of this kind.
    case string(StringLiteralKind)
    /// Inside a dollar-quoted string with this tag ("" for `$$`).
    case dollarQuoted(tag: String)
    /// Inside Oracle's `q'…'` alternative quoting.
    case alternativeQuoted
    /// Inside a quoted identifier of this kind.
    case quotedIdentifier(IdentifierQuoteKind)
    /// Inside a comment: never allowed.
    case comment

    /// Short description for messages: "a standard string literal", "a backtick identifier".
    public var phrase: String {
        switch self {
        case .bare: return "plain SQL"
        case .nationalPrefixed: return "a national (N-prefixed) value position"
        case .glued: return "identifier text it is glued to"
        case .string(let k): return "a \(k.name) string literal (\(k.opening)…)"
        case .dollarQuoted(let tag): return "a dollar-quoted string ($\(tag)$…$\(tag)$)"
        case .alternativeQuoted: return "an alternative-quoted string (q'…')"
        case .quotedIdentifier(let k): return "a \(k.name) identifier (\(String(UnicodeScalar(k.open)))…\(String(UnicodeScalar(k.close))))"
        case .comment: return "a comment"
        }
    }
}

/// A `{name}` placeholder as written in the template.
public struct Placeholder: Hashable, Sendable {
    /// The name between the braces.
    public var name: String
    /// The variable it names, or nil for an unknown name (diagnosed).
    public var variable: Variable?
    /// `{name}` including the braces; for `nationalPrefixed`, the `N` too.
    public var span: Span
    /// The name inside the braces.
    public var nameSpan: Span
    public var context: PlaceholderContext
    /// The index of the statement it belongs to.
    public var statement: Int
}
