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
        for key in ContextSettings.table { key.overlay(other, &r) }
        r.ruleLevels.merge(other.ruleLevels) { _, new in new }
        return r
    }

    /// The dialect options with unset values at their safe defaults.
    public var dialectOptions: DialectOptions {
        var o = DialectOptions.default
        for key in ContextSettings.table { key.intoOptions?(self, &o) }
        return o
    }

    /// The keys accepted by directives, config files (`"dialect"`, …) and flags (`--dialect`, …).
    public static var keys: [(key: String, help: String)] { table.map { ($0.key, $0.help) } }

    /// The dialect and checking options (every key but dialect, update and level): what `--set`
    /// takes, one `KEY=VALUES  help` line each, for `--help` texts.
    public static var optionHelp: [String] {
        table.filter(\.isOption).map { "\($0.key)=\($0.values)  \($0.help)" }
    }

    /// Applies `key=values`; returns an error message (saying what is accepted) when invalid.
    public mutating func set(_ rawKey: String, _ values: [String]) -> String? {
        let key = rawKey.lowercased().replacingDashes
        guard let setting = ContextSettings.table.first(where: { $0.key == key || $0.aliases.contains(key) }) else {
            let known = ContextSettings.table.map(\.key)
            let hint = closest(key, among: known)
            return "unknown setting `\(rawKey)`\(hint.map { " (did you mean `\($0)`?)" } ?? ""): settings are \(known.joined(separator: ", "))"
        }
        return setting.parse(values, &self)
    }

    /// Every setting, in one table: its key, how it is parsed, how layers combine and which dialect
    /// option it sets. A new dialect option is one entry here (and its field).
    static let table: [SettingKey] = [
        SettingKey("dialect", values: "D", help: "one of \(DialectID.allNames) (aliases: unitycatalog, timescale, postgresql, tsql, sqlserver, mariadb)",
                   parse: { values, s in
                       guard values.count == 1, let id = DialectID(name: values[0].lowercased()) else {
                           let given = values.joined(separator: ",")
                           let hint = closest(given, among: DialectID.allCases.map(\.rawValue) + DialectID.aliases.keys.sorted())
                           return "unknown dialect `\(given)`\(hint.map { " (did you mean `\($0)`?)" } ?? ""): use one of \(DialectID.allNames)"
                       }
                       s.dialect = id
                       return nil
                   }, overlay: { if let v = $0.dialect { $1.dialect = v } }),
        .list("update", aliases: ["updates"], \ContextSettings.updates, values: "K[,K]"),
        .list("level", aliases: ["levels"], \ContextSettings.levels, values: "L[,L]"),
        .onOff("standard_conforming_strings", \ContextSettings.standardConformingStrings, option: \DialectOptions.standardConformingStrings,
               help: "PostgreSQL: off makes `\\` an escape in '…' (default on)"),
        .onOff("no_backslash_escapes", \ContextSettings.noBackslashEscapes, option: \DialectOptions.noBackslashEscapes,
               help: "MySQL sql_mode NO_BACKSLASH_ESCAPES (default off)"),
        .onOff("variable_substitution", \ContextSettings.guardVariableSubstitution, option: \DialectOptions.guardVariableSubstitution,
               on: ["guard", "on", "true"], off: ["off", "false", "none"], values: "guard|off",
               help: "Databricks ${…} substitution guard (default guard)"),
        .choice("quote_identifiers", \ContextSettings.identifierQuoting, option: \DialectOptions.identifierQuoting, help: "quote every name, or only those that need it (default when-needed)"),
        .onOff("allow_destructive", aliases: ["allowdestructive"], \ContextSettings.allowDestructive,
               help: "allow DROP, DELETE, GRANT, … (STM407; default off)"),
        .choice("compat", aliases: ["compatibility"], \ContextSettings.compatibility,
                help: "also check under the catalog's plain f-string rendering (default none)"),
        .onOff("normalize_labels", \ContextSettings.normalizeLabels, option: \DialectOptions.normalizeLabels,
               help: "BigQuery: lowercase label keys and values instead of refusing them (default off)"),
    ]
}

/// One setting of `ContextSettings.table`.
struct SettingKey: Sendable {
    let key: String
    let aliases: [String]
    /// What it takes, for help: `on|off`, `K[,K]`.
    let values: String
    let help: String
    let parse: @Sendable (_ values: [String], _ into: inout ContextSettings) -> String?
    let overlay: @Sendable (_ from: ContextSettings, _ into: inout ContextSettings) -> Void
    let intoOptions: (@Sendable (ContextSettings, inout DialectOptions) -> Void)?

    init(_ key: String, aliases: [String] = [], values: String, help: String,
         parse: @escaping @Sendable ([String], inout ContextSettings) -> String?,
         overlay: @escaping @Sendable (ContextSettings, inout ContextSettings) -> Void,
         intoOptions: (@Sendable (ContextSettings, inout DialectOptions) -> Void)? = nil) {
        self.key = key
        self.aliases = aliases
        self.values = values
        self.help = help
        self.parse = parse
        self.overlay = overlay
        self.intoOptions = intoOptions
    }

    /// Dialect and checking options, as opposed to the dialect and update context.
    var isOption: Bool { !["dialect", "update", "level"].contains(key) }

    /// A comma-separated set of an enumeration's values (update kinds, levels).
    static func list<E>(_ key: String, aliases: [String] = [], _ path: WritableKeyPath<ContextSettings, Set<E>?>, values: String) -> SettingKey
        where E: RawRepresentable & CaseIterable & Sendable & Hashable, E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        let choices = names.dropLast().joined(separator: ", ") + " or " + names.last!
        nonisolated(unsafe) let path = path
        let parse: @Sendable ([String], inout ContextSettings) -> String? = { given, s in
            var set = Set<E>()
            for v in given {
                guard let e = E(rawValue: v.lowercased()) else { return "unknown \(key) `\(v)`: use \(choices) (comma-separated)" }
                set.insert(e)
            }
            guard !set.isEmpty else { return "`\(key)=` needs a value: \(names.joined(separator: ", "))" }
            s[keyPath: path] = set
            return nil
        }
        return SettingKey(key, aliases: aliases, values: values, help: "comma-separated: " + names.joined(separator: ", "),
                          parse: parse, overlay: overlay(path))
    }

    /// A switch: `on`/`off` (or the given words).
    static func onOff(_ key: String, aliases: [String] = [], _ path: WritableKeyPath<ContextSettings, Bool?>,
                      option: WritableKeyPath<DialectOptions, Bool>? = nil,
                      on: [String] = ["on", "true", "yes"], off: [String] = ["off", "false", "no"], values: String = "on|off",
                      help: String) -> SettingKey {
        let takes = values.replacingAll("|", with: " or ")
        // Key paths to stored properties of value types are immutable: safe to share.
        nonisolated(unsafe) let path = path
        let parse: @Sendable ([String], inout ContextSettings) -> String? = { given, s in
            guard given.count == 1 else { return "\(key) takes \(takes)" }
            let v = given[0].lowercased()
            if on.contains(v) {
                s[keyPath: path] = true
            } else if off.contains(v) {
                s[keyPath: path] = false
            } else {
                return "\(key) takes \(takes)"
            }
            return nil
        }
        return SettingKey(key, aliases: aliases, values: values, help: help, parse: parse,
                          overlay: overlay(path), intoOptions: option.map { into(path, $0) })
    }

    /// One value of an enumeration, by its raw value.
    static func choice<E>(_ key: String, aliases: [String] = [], _ path: WritableKeyPath<ContextSettings, E?>,
                          option: WritableKeyPath<DialectOptions, E>? = nil, help: String) -> SettingKey
        where E: RawRepresentable & CaseIterable & Sendable, E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        nonisolated(unsafe) let path = path
        let parse: @Sendable ([String], inout ContextSettings) -> String? = { given, s in
            guard given.count == 1, let v = E(rawValue: given[0].lowercased()) else {
                return "\(key) takes \(names.joined(separator: " or "))"
            }
            s[keyPath: path] = v
            return nil
        }
        return SettingKey(key, aliases: aliases, values: names.joined(separator: "|"), help: help, parse: parse,
                          overlay: overlay(path), intoOptions: option.map { into(path, $0) })
    }

    /// A later layer's value, when it sets one, replaces the earlier one.
    static func overlay<V>(_ path: WritableKeyPath<ContextSettings, V?>) -> @Sendable (ContextSettings, inout ContextSettings) -> Void {
        nonisolated(unsafe) let path = path
        return { from, into in
            if let v = from[keyPath: path] { into[keyPath: path] = v }
        }
    }

    /// The setting, when set, becomes the dialect option.
    static func into<V>(_ path: WritableKeyPath<ContextSettings, V?>, _ option: WritableKeyPath<DialectOptions, V>)
        -> @Sendable (ContextSettings, inout DialectOptions) -> Void {
        nonisolated(unsafe) let path = path
        nonisolated(unsafe) let option = option
        return { s, o in
            if let v = s[keyPath: path] { o[keyPath: option] = v }
        }
    }
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
