/// What a recognised metadata statement does.
public enum StatementKind: String, Sendable, Codable, CaseIterable {
    case setDescription = "set-description"
    case removeDescription = "remove-description"
    case setOwner = "set-owner"
    case removeOwner = "remove-owner"
    /// One tag: Snowflake `SET TAG k = 'v'`, Databricks `SET TAG ON … k = v`.
    case setTag = "set-tag"
    case unsetTag = "unset-tag"
    /// A list of tags or labels: Databricks `SET TAGS (…)`, BigQuery `labels = […]`.
    case setTagList = "set-tag-list"
    case unsetTagList = "unset-tag-list"

    public var update: UpdateKind {
        switch self {
        case .setDescription, .removeDescription: return .description
        case .setOwner, .removeOwner: return .owner
        case .setTag, .unsetTag, .setTagList, .unsetTagList: return .tags
        }
    }

    /// True for the forms that remove rather than set.
    public var isRemoval: Bool {
        switch self {
        case .removeDescription, .removeOwner, .unsetTag, .unsetTagList: return true
        default: return false
        }
    }
}

/// One metadata statement form of a dialect, written in a small pattern language that
/// `Grammars/<dialect>.md` repeats (a test keeps the two in agreement):
///
/// - `WORD` a keyword (case-insensitive); `A|B` one of several keywords;
/// - `[ … ]` an optional run of elements (no nesting);
/// - `<target>` a qualified name (`a.b.c`, quoted parts and placeholders allowed);
/// - `<name>` one name; `<value>` one value (literal, placeholder, NULL, number);
/// - `<list>` a parenthesised or bracketed group, or a placeholder;
/// - `<any>` one token; `*` any tokens, as few as possible; `...` the rest of the statement;
/// - any other punctuation stands for itself (`(`, `=`, `::`).
public struct StatementForm: Sendable {
    public enum LevelSource: Sendable, Hashable {
        case fixed(Level)
        /// T-SQL extended-property procedures: the deepest `@levelNtype` argument decides.
        case extendedPropertyArguments
        /// The level the target's placeholder names (`{schema}` → schema), else the given one:
        /// ClickHouse's `ALTER DATABASE <target>`, whose database is the catalog's schema.
        case namedByTarget(Level)
    }

    public let pattern: String
    public let kind: StatementKind
    public let level: LevelSource
    /// Why a form is special (version requirements, caveats), shown by `templatec defaults`.
    public let note: String?
    /// Set when the form exists in SQL but not in this dialect: the message says what to use.
    public let unsupportedMessage: String?
    /// Set when the engine needs the column's whole definition restated in this form (MySQL
    /// `MODIFY COLUMN`, Hive `CHANGE COLUMN`): the pattern's first `*` is where it goes, and a
    /// statement whose `*` matched nothing fails on the engine (or drops the column's attributes).
    public let definitionRequired: String?
    let elements: [PatternElement]

    public init(_ pattern: String, _ kind: StatementKind, _ level: Level, note: String? = nil, definitionRequired: String? = nil) {
        self.init(pattern: pattern, kind: kind, level: .fixed(level), note: note, unsupported: nil,
                  definitionRequired: definitionRequired)
    }

    public init(pattern: String, kind: StatementKind, level: LevelSource, note: String? = nil, unsupported: String? = nil,
                definitionRequired: String? = nil) {
        self.pattern = pattern
        self.kind = kind
        self.level = level
        self.note = note
        self.unsupportedMessage = unsupported
        self.definitionRequired = definitionRequired
        self.elements = PatternElement.parse(pattern)
    }

    /// A form the dialect does not have: matching statements get an error with `message`.
    public static func unsupported(_ pattern: String, _ kind: StatementKind, _ level: Level, _ message: String) -> StatementForm {
        StatementForm(pattern: pattern, kind: kind, level: .fixed(level), unsupported: message)
    }

    public var fixedLevel: Level? {
        if case .fixed(let l) = level { return l }
        return nil
    }
}

/// A compiled element of a statement pattern.
indirect enum PatternElement: Sendable, Equatable {
    case keyword([String])
    case punctuation(String)
    case target, name, value, list, any
    case lazySkip
    case rest
    case optional([PatternElement])

    static func parse(_ pattern: String) -> [PatternElement] {
        var out: [PatternElement] = []
        var optional: [PatternElement]? = nil
        for word in pattern.split(separator: " ") {
            let w = String(word)
            let element: PatternElement?
            switch w {
            case "[": optional = []; element = nil
            case "]":
                if let o = optional { out.append(.optional(o)) }
                optional = nil
                element = nil
            case "<target>": element = .target
            case "<name>": element = .name
            case "<value>": element = .value
            case "<list>": element = .list
            case "<any>": element = .any
            case "*": element = .lazySkip
            case "...": element = .rest
            default:
                if let f = w.utf8.first, ByteSet.wordStart.contains(f) {
                    element = .keyword(w.split(separator: "|").map { $0.uppercased() })
                } else {
                    element = .punctuation(w)
                }
            }
            if let e = element {
                if optional != nil { optional!.append(e) } else { out.append(e) }
            }
        }
        return out
    }
}
