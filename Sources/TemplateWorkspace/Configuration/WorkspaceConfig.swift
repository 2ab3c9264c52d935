import TemplateCompiler

/// `.templatec.json`: settings for the templates under its folder (reference:
/// docs/configuration.md). `check`, `compile`, `render` and `sync` read it the same way.
///
///     {
///       "dialect": "snowflake",
///       "update": ["description"], "level": ["table", "column"],
///       "options": {"no_backslash_escapes": "on"},
///       "allowDestructive": false,
///       "compat": "collate",
///       "rules": {"CTX205": "error", "STM402": "off"},
///       "overrides": [{"files": ["mysql/**/*.sql"], "dialect": "mysql"}]
///     }
///
/// Overrides apply in order, later ones winning, to the files their globs match (relative to the
/// configuration file's folder). Templates' own directives and command-line flags still win.
public struct WorkspaceConfig: Sendable {
    /// The folder holding the file (globs are relative to it), without a trailing `/`.
    public let directory: String
    public var base: ContextSettings
    public var overrides: [(globs: [String], settings: ContextSettings)]

    public static let fileName = ".templatec.json"

    public init(directory: String, base: ContextSettings = ContextSettings(), overrides: [(globs: [String], settings: ContextSettings)] = []) {
        self.directory = directory
        self.base = base
        self.overrides = overrides
    }

    /// The settings for a file, given by its path relative to `directory`.
    public func settings(forRelativePath path: String) -> ContextSettings {
        var s = base
        for o in overrides where o.globs.contains(where: { PathGlob.matches($0, path) }) { s = s.overlaid(by: o.settings) }
        return s
    }

    /// An error in a configuration file, with the offset it is at (for line:column).
    public struct Problem: Error, Sendable {
        public var message: String
        public var offset: Int
    }

    public static func parse(_ bytes: [UInt8], directory: String) throws(Problem) -> WorkspaceConfig {
        let root: JSONValue
        do {
            root = try JSONScanner.parse(bytes)
        } catch {
            throw Problem(message: "not valid JSON: \(error.message)", offset: error.offset)
        }
        guard case .object = root else { throw Problem(message: "the configuration must be a JSON object", offset: 0) }
        var config = WorkspaceConfig(directory: directory)
        config.base = try settings(root, allowOverrides: true)
        if let overrides = root["overrides"] {
            guard let list = overrides.arrayValue else { throw Problem(message: "`overrides` must be an array of objects", offset: root.member("overrides")?.keyOffset ?? 0) }
            for o in list {
                guard case .object = o else { throw Problem(message: "each override must be an object with `files`", offset: root.member("overrides")?.keyOffset ?? 0) }
                let globs: [String]
                switch o["files"] {
                case .string(let s)?: globs = [s.value]
                case .array(let a)?: globs = a.compactMap(\.stringValue)
                default: throw Problem(message: "each override needs `files`: a glob or a list of globs", offset: 0)
                }
                config.overrides.append((globs, try settings(o, allowOverrides: false)))
            }
        }
        return config
    }

    static let keys = ["dialect", "update", "level", "options", "allowDestructive", "compat", "rules", "overrides", "files", "$schema"]

    static func settings(_ object: JSONValue, allowOverrides: Bool) throws(Problem) -> ContextSettings {
        guard case .object(let members) = object else { return ContextSettings() }
        var s = ContextSettings()
        for member in members {
            let key = member.key, value = member.value
            let offset = member.keyOffset
            func apply(_ k: String, _ v: JSONValue) throws(Problem) {
                let values: [String]
                switch v {
                case .string(let str): values = str.value.split(separator: ",").map { String($0).trimmingSpaces }
                case .array(let a): values = a.compactMap(\.stringValue)
                case .bool(let b): values = [b ? "on" : "off"]
                default: throw Problem(message: "`\(k)` takes a string or a list of strings", offset: offset)
                }
                if let problem = s.set(k, values) { throw Problem(message: problem, offset: offset) }
            }
            switch key {
            case "dialect", "update", "level", "compat":
                try apply(key, value)
            case "allowDestructive":
                guard let b = value.boolValue else { throw Problem(message: "`allowDestructive` takes true or false", offset: offset) }
                s.allowDestructive = b
            case "options":
                guard case .object(let options) = value else { throw Problem(message: "`options` must be an object of dialect options", offset: offset) }
                for option in options { try apply(option.key, option.value) }
            case "rules":
                guard case .object(let rules) = value else { throw Problem(message: "`rules` must map codes to off, info, warning or error", offset: offset) }
                for rule in rules {
                    let code = rule.key, v = rule.value
                    guard let known = DiagnosticCatalog.code(code) else {
                        throw Problem(message: "`\(code)` in `rules` is no templatec code (see `templatec rules`)", offset: rule.keyOffset)
                    }
                    guard let name = v.stringValue, let level = RuleLevel(rawValue: name.lowercased()) else {
                        throw Problem(message: "`rules.\(code)` takes off, info, warning or error", offset: rule.keyOffset)
                    }
                    s.ruleLevels[known.id] = level
                }
            case "overrides" where allowOverrides, "files" where !allowOverrides, "$schema":
                continue
            default:
                let hint = closest(key, among: keys)
                throw Problem(message: "unknown key `\(key)`\(hint.map { " (did you mean `\($0)`?)" } ?? ""): keys are dialect, update, level, options, allowDestructive, compat, rules, overrides", offset: offset)
            }
        }
        return s
    }
}

extension String {
    var trimmingSpaces: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
