/// The lexical rules of one dialect (or one statement family of a dialect: Athena lexes DDL with
/// Hive's rules and DML with Trino's). The lexer is generic; everything dialect-specific is here,
/// as data, so a dialect's quirks are visible in one place.
public struct LexicalRules: Sendable {
    public var name: String
    public let strings: [StringLiteralKind]
    public var identifierQuotes: [IdentifierQuoteKind]
    public var comments: CommentSyntax
    public var dollarQuoting: DollarQuoting
    /// Oracle's alternative quoting `q'[…]'`.
    public let alternativeQuoting: Bool
    /// Keywords that open and close a compound block inside which `;` does not end the statement
    /// (T-SQL `BEGIN … END`).
    public var compoundBlock: CompoundBlockSyntax?
    /// First bytes (both cases) of every literal prefix, Oracle's `q`/`nq` included: the lexer
    /// looks for a prefixed literal only at words starting with one of these.
    public let literalPrefixStarts: ByteSet

    static func prefixStarts(_ strings: [StringLiteralKind], alternativeQuoting: Bool) -> ByteSet {
        var set = ByteSet()
        for k in strings {
            guard let f = k.prefix.utf8.first else { continue }
            set.insert(f)
            if !k.prefixCaseSensitive { set.insert(f >= 0x41 && f <= 0x5A ? f + 32 : f) }
        }
        if alternativeQuoting { for c in "qQnN".utf8 { set.insert(c) } }
        return set
    }

    /// The literal kind templatec writes for a bare text placeholder (a complete literal).
    public var valueLiteral: StringLiteralKind
    /// The quote templatec writes around an identifier it must quote.
    public var identifierQuote: IdentifierQuoteKind

    /// `valueLiteral` defaults to the first unprefixed single-quoted kind, `identifierQuote` to the
    /// first identifier quote.
    public init(name: String, strings: [StringLiteralKind], identifierQuotes: [IdentifierQuoteKind],
                comments: CommentSyntax, dollarQuoting: DollarQuoting = .none,
                alternativeQuoting: Bool = false, compoundBlock: CompoundBlockSyntax? = nil,
                valueLiteral: StringLiteralKind? = nil) {
        self.name = name
        self.strings = strings
        self.identifierQuotes = identifierQuotes
        self.comments = comments
        self.dollarQuoting = dollarQuoting
        self.alternativeQuoting = alternativeQuoting
        self.compoundBlock = compoundBlock
        self.literalPrefixStarts = LexicalRules.prefixStarts(strings, alternativeQuoting: alternativeQuoting)
        self.valueLiteral = valueLiteral
            ?? strings.first { $0.prefix.isEmpty && $0.quote == UInt8(ascii: "'") && !$0.triple && $0.escapable }
            ?? StringLiteralKind(name: "standard", escapes: .doubling)
        self.identifierQuote = identifierQuotes.first ?? .doubleQuote
    }
}

/// How a character is escaped inside a string literal or quoted identifier.
public struct EscapeSyntax: Hashable, Sendable {
    /// The closing quote written twice stands for itself (`'it''s'`).
    public var doubledQuote: Bool
    /// A backslash escapes the next character (`'it\'s'`).
    public var backslash: Bool

    public init(doubledQuote: Bool, backslash: Bool) {
        self.doubledQuote = doubledQuote
        self.backslash = backslash
    }

    public static let doubling = EscapeSyntax(doubledQuote: true, backslash: false)
    public static let backslashOnly = EscapeSyntax(doubledQuote: false, backslash: true)
    public static let both = EscapeSyntax(doubledQuote: true, backslash: true)
    public static let none = EscapeSyntax(doubledQuote: false, backslash: false)
}

/// One kind of string literal: `'…'`, `E'…'`, `N'…'`, `r'…'`, `'''…'''`, …
public struct StringLiteralKind: Hashable, Sendable {
    /// A stable name used in diagnostics, grammars and compiled artifacts ("standard", "escape", …).
    public var name: String
    /// The prefix before the quote, uppercase ASCII ("" for none).
    public var prefix: String
    /// Whether the prefix must be written exactly as given (T-SQL's `N` must be uppercase).
    public var prefixCaseSensitive: Bool
    /// `'` or `"`.
    public var quote: UInt8
    /// Triple-quoted (`'''…'''`).
    public var triple: Bool
    public var escapes: EscapeSyntax
    /// A raw newline is legal inside (BigQuery's one-line strings forbid it).
    public var newlinesAllowed: Bool
    /// Values can be escaped into this kind. False for raw strings and for bit, hex and
    /// Unicode-escape strings, whose contents are not text.
    public var escapable: Bool
    /// T-SQL deletes a backslash followed by a newline inside a literal (line continuation).
    public var backslashNewlineContinuation: Bool
    /// The escaper writes the quote as `\'` even though the lexer also accepts `''` (Spark, where
    /// `''` is not an escape but two adjacent literals).
    public var writesQuoteWithBackslash: Bool
    /// `''` inside the literal ends it and opens an adjacent one that concatenates (Spark): it
    /// stands for nothing, not for a quote. The matcher refuses to read such text back.
    public var doubledQuoteConcatenates: Bool
    /// How the escaper writes control characters inside this kind.
    public var controlEscaping: ControlEscaping
    /// ASCII bytes the escaper writes after a backslash although the literal does not need it:
    /// Databricks `$` and `{`, so that no `${…}` variable substitution can match the SQL text.
    public var guardedBytes: String

    public init(name: String, prefix: String = "", prefixCaseSensitive: Bool = false, quote: UInt8 = UInt8(ascii: "'"),
                triple: Bool = false, escapes: EscapeSyntax, newlinesAllowed: Bool = true, escapable: Bool = true,
                backslashNewlineContinuation: Bool = false, writesQuoteWithBackslash: Bool = false,
                doubledQuoteConcatenates: Bool = false,
                controlEscaping: ControlEscaping = .raw, guardedBytes: String = "") {
        self.writesQuoteWithBackslash = writesQuoteWithBackslash
        self.doubledQuoteConcatenates = doubledQuoteConcatenates
        self.controlEscaping = controlEscaping
        self.guardedBytes = guardedBytes
        self.name = name
        self.prefix = prefix
        self.prefixCaseSensitive = prefixCaseSensitive
        self.quote = quote
        self.triple = triple
        self.escapes = escapes
        self.newlinesAllowed = newlinesAllowed
        self.escapable = escapable
        self.backslashNewlineContinuation = backslashNewlineContinuation
    }

    /// How the literal is opened, for messages and grammars: `E'`, `'''`, `N'`.
    public var opening: String {
        let q = String(UnicodeScalar(quote))
        return prefix + (triple ? q + q + q : q)
    }
}

/// One kind of quoted identifier: `"…"`, `` `…` ``, `[…]`.
public struct IdentifierQuoteKind: Hashable, Sendable {
    public var name: String
    public var open: UInt8
    public var close: UInt8
    public var escapes: EscapeSyntax
    /// How the escaper writes control characters inside (BigQuery names use string escapes).
    public var controlEscaping: ControlEscaping

    public init(name: String, open: UInt8, close: UInt8, escapes: EscapeSyntax, controlEscaping: ControlEscaping = .raw) {
        self.controlEscaping = controlEscaping
        self.name = name
        self.open = open
        self.close = close
        self.escapes = escapes
    }

    public static let doubleQuote = IdentifierQuoteKind(name: "double-quoted", open: UInt8(ascii: "\""), close: UInt8(ascii: "\""), escapes: .doubling)
    public static let backtick = IdentifierQuoteKind(name: "backtick", open: UInt8(ascii: "`"), close: UInt8(ascii: "`"), escapes: .doubling)
    public static let bracket = IdentifierQuoteKind(name: "bracket", open: UInt8(ascii: "["), close: UInt8(ascii: "]"), escapes: .doubling)
}

/// How an escaper writes control characters (U+0001–U+001F, U+007F) inside a quoted form.
public enum ControlEscaping: String, Hashable, Sendable, Codable {
    /// As they are: the literal may hold them raw.
    case raw
    /// MySQL's `mysql_real_escape_string` set: LF `\n`, CR `\r`, U+001A `\Z` (others raw).
    case mysql
    /// C-style, because raw newlines are illegal (BigQuery): `\n`, `\r`, `\t`, others `\xHH`.
    case cStyle
}

/// Comment syntax of a dialect.
public struct CommentSyntax: Hashable, Sendable {
    public struct LineMarker: Hashable, Sendable {
        public var marker: String
        /// MySQL's `--` and ClickHouse's `#` start a comment only when followed by whitespace
        /// (or a control character, or the end of the text).
        public var needsFollowingSpace: Bool
        public init(_ marker: String, needsFollowingSpace: Bool = false) {
            self.marker = marker
            self.needsFollowingSpace = needsFollowingSpace
        }
    }

    public var lineMarkers: [LineMarker]
    /// `/* /* */ */` nests (PostgreSQL, T-SQL, ClickHouse, Spark).
    public var blockCommentsNest: Bool
    /// MySQL's `/*! … */` and MariaDB's `/*M! … */` are executed: their contents are SQL.
    public var executableComments: Bool

    public init(lineMarkers: [LineMarker], blockCommentsNest: Bool, executableComments: Bool = false) {
        self.lineMarkers = lineMarkers
        self.blockCommentsNest = blockCommentsNest
        self.executableComments = executableComments
    }
}

/// Dollar quoting: PostgreSQL `$tag$…$tag$`, ClickHouse heredocs, Snowflake's untagged `$$…$$`.
public enum DollarQuoting: Hashable, Sendable {
    case none
    /// `$$…$$` and `$tag$…$tag$`.
    case tagged
    /// Only `$$…$$`.
    case untaggedOnly
}

/// Keywords that bracket a block of statements (T-SQL `BEGIN … END`, whose `CASE … END` shares the
/// closer). Inside a block `;` separates nothing: the block is one statement.
public struct CompoundBlockSyntax: Hashable, Sendable {
    public var openers: Set<String>
    public var closer: String
    /// An opener followed by one of these words opens nothing (`BEGIN TRANSACTION`).
    public var notBlockWhenFollowedBy: Set<String>

    public init(openers: Set<String>, closer: String, notBlockWhenFollowedBy: Set<String> = []) {
        self.openers = openers
        self.closer = closer
        self.notBlockWhenFollowedBy = notBlockWhenFollowedBy
    }
}
