/// Settings that decide how a template is read: dialect, update context and dialect options.
/// They come in layers, lowest first: configuration file, the template's directive, command-line
/// flags. A later layer's value wins; unset values fall through.
public struct ContextSettings: Sendable, Hashable {
    public var dialect: DialectID?
    public var updates: Set<UpdateKind>?
    public var levels: Set<Level>?
    public var standardConformingStrings: Bool?
    public var noBackslashEscapes: Bool?
    public var guardVariableSubstitution: Bool?
    public var identifierQuoting: IdentifierQuoting?
    /// Destructive statements (DROP, DELETE, GRANT, …) are allowed (STM407 is not reported).
    public var allowDestructive: Bool?
    /// Also check that the template works under another renderer's semantics (`--compat collate`).
    public var compatibility: Compatibility?
    /// Per-code severity overrides from configuration (`"rules": {"CTX205": "error"}`), merged
    /// layer by layer; `.off` drops the code.
    public var ruleLevels: [String: RuleLevel] = [:]
    public var normalizeLabels: Bool?

    public init(dialect: DialectID? = nil, updates: Set<UpdateKind>? = nil, levels: Set<Level>? = nil) {
        self.dialect = dialect
        self.updates = updates
        self.levels = levels
    }

    /// `self` with every value that `other` sets replaced by `other`'s.
    public func overlaid(by other: ContextSettings) -> ContextSettings {
        var r = self
        if let v = other.dialect { r.dialect = v }
        if let v = other.updates { r.updates = v }
        if let v = other.levels { r.levels = v }
        if let v = other.standardConformingStrings { r.standardConformingStrings = v }
        if let v = other.noBackslashEscapes { r.noBackslashEscapes = v }
        if let v = other.guardVariableSubstitution { r.guardVariableSubstitution = v }
        if let v = other.identifierQuoting { r.identifierQuoting = v }
        if let v = other.allowDestructive { r.allowDestructive = v }
        if let v = other.compatibility { r.compatibility = v }
        r.ruleLevels.merge(other.ruleLevels) { _, new in new }
        if let v = other.normalizeLabels { r.normalizeLabels = v }
        return r
    }

    /// The dialect options with unset values at their safe defaults.
    public var dialectOptions: DialectOptions {
        var o = DialectOptions.default
        if let v = standardConformingStrings { o.standardConformingStrings = v }
        if let v = noBackslashEscapes { o.noBackslashEscapes = v }
        if let v = guardVariableSubstitution { o.guardVariableSubstitution = v }
        if let v = identifierQuoting { o.identifierQuoting = v }
        if let v = normalizeLabels { o.normalizeLabels = v }
        return o
    }

    /// The keys accepted by directives, config files (`"dialect"`, …) and flags (`--dialect`, …).
    public static let keys: [(key: String, help: String)] = [
        ("dialect", "one of \(DialectID.allNames) (aliases: unitycatalog, timescale, postgresql, tsql, sqlserver, mariadb)"),
        ("update", "comma-separated: description, owner, tags"),
        ("level", "comma-separated: database, schema, table, column"),
        ("standard_conforming_strings", "on|off (PostgreSQL; default on)"),
        ("no_backslash_escapes", "on|off (MySQL sql_mode NO_BACKSLASH_ESCAPES; default off)"),
        ("variable_substitution", "guard|off (Databricks ${…} substitution; default guard)"),
        ("quote_identifiers", "when-needed|always (default when-needed)"),
        ("allow_destructive", "on|off: allow DROP, DELETE, GRANT, … (default off)"),
        ("compat", "collate|none: also check under the catalog's plain f-string rendering (default none)"),
        ("normalize_labels", "on|off (BigQuery: lowercase label keys and values instead of refusing them; default off)"),
    ]

    /// Applies `key=values`; returns an error message (saying what is accepted) when invalid.
    public mutating func set(_ rawKey: String, _ values: [String]) -> String? {
        let key = rawKey.lowercased().replacingDashes
        func one() -> String? { values.count == 1 ? values[0].lowercased() : nil }
        func flag(_ on: [String], _ off: [String]) -> Bool? {
            guard let v = one() else { return nil }
            if on.contains(v) { return true }
            if off.contains(v) { return false }
            return nil
        }
        switch key {
        case "dialect":
            guard let v = one(), let id = DialectID(name: v) else {
                let given = values.joined(separator: ",")
                let hint = closest(given, among: DialectID.allCases.map(\.rawValue) + DialectID.aliases.keys.sorted())
                return "unknown dialect `\(given)`\(hint.map { " (did you mean `\($0)`?)" } ?? ""): use one of \(DialectID.allNames)"
            }
            dialect = id
        case "update", "updates":
            var set = Set<UpdateKind>()
            for v in values {
                guard let u = UpdateKind(rawValue: v.lowercased()) else {
                    return "unknown update `\(v)`: use description, owner or tags (comma-separated)"
                }
                set.insert(u)
            }
            guard !set.isEmpty else { return "`update=` needs a value: description, owner or tags" }
            updates = set
        case "level", "levels":
            var set = Set<Level>()
            for v in values {
                guard let l = Level(rawValue: v.lowercased()) else {
                    return "unknown level `\(v)`: use database, schema, table or column (comma-separated)"
                }
                set.insert(l)
            }
            guard !set.isEmpty else { return "`level=` needs a value: database, schema, table or column" }
            levels = set
        case "standard_conforming_strings":
            guard let v = flag(["on", "true", "yes"], ["off", "false", "no"]) else { return "standard_conforming_strings takes on or off" }
            standardConformingStrings = v
        case "no_backslash_escapes":
            guard let v = flag(["on", "true", "yes"], ["off", "false", "no"]) else { return "no_backslash_escapes takes on or off" }
            noBackslashEscapes = v
        case "variable_substitution":
            guard let v = flag(["guard", "on", "true"], ["off", "false", "none"]) else { return "variable_substitution takes guard or off" }
            guardVariableSubstitution = v
        case "quote_identifiers":
            guard let v = one(), let q = IdentifierQuoting(rawValue: v) else { return "quote_identifiers takes when-needed or always" }
            identifierQuoting = q
        case "allow_destructive", "allowdestructive":
            guard let v = flag(["on", "true", "yes"], ["off", "false", "no"]) else { return "allow_destructive takes on or off" }
            allowDestructive = v
        case "compat", "compatibility":
            guard let v = one(), let c = Compatibility(rawValue: v) else { return "compat takes collate or none" }
            compatibility = c
        case "normalize_labels":
            guard let v = flag(["on", "true", "yes"], ["off", "false", "no"]) else { return "normalize_labels takes on or off" }
            normalizeLabels = v
        default:
            let known = ContextSettings.keys.map(\.key)
            let hint = closest(key, among: known)
            return "unknown setting `\(rawKey)`\(hint.map { " (did you mean `\($0)`?)" } ?? ""): settings are \(known.joined(separator: ", "))"
        }
        return nil
    }
}

/// The closest candidate to `word`, if one is within a small edit distance.
public func closest(_ word: String, among candidates: [String]) -> String? {
    let w = Array(word.lowercased().utf8)
    var best: (String, Int)? = nil
    for c in candidates {
        let d = editDistance(w, Array(c.utf8))
        if d <= max(1, c.utf8.count / 3), d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    return best?.0
}

extension String {
    var replacingDashes: String { String(decoding: utf8.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: "_") : $0 }, as: UTF8.self) }
}

/// The update kinds and levels a template serves, resolved from the settings or inferred.
public struct UpdateContext: Sendable, Hashable, Codable {
    public var updates: [UpdateKind]
    public var levels: [Level]
    /// True when templatec inferred it; false when it was declared.
    public var inferred: Bool

    public init(updates: [UpdateKind], levels: [Level], inferred: Bool) {
        self.updates = updates.sorted()
        self.levels = levels.sorted()
        self.inferred = inferred
    }

    public var isKnown: Bool { !updates.isEmpty || !levels.isEmpty }

    /// `update=description level=table,column`.
    public var summary: String {
        var parts: [String] = []
        if !updates.isEmpty { parts.append("update=" + updates.map(\.rawValue).joined(separator: ",")) }
        if !levels.isEmpty { parts.append("level=" + levels.map(\.rawValue).joined(separator: ",")) }
        return parts.joined(separator: " ")
    }
}

/// Another renderer a template must also work under.
public enum Compatibility: String, Sendable, Hashable, CaseIterable {
    /// templatec's own contextual escaping only.
    case none
    /// OpenMetadata / Collate's plain f-string rendering: `{description}` arrives already quoted,
    /// every other value is pasted raw, `{tags}` is a Python list of tuples.
    case collate
}

/// A configured severity for a code, or `off`.
public enum RuleLevel: String, Sendable, Hashable, CaseIterable {
    case off, info, warning, error

    public var severity: Severity? {
        switch self {
        case .off: return nil
        case .info: return .info
        case .warning: return .warning
        case .error: return .error
        }
    }
}
