import TemplateCompiler

/// `templatec defaults`: the connectors' support matrix and built-in templates.
enum DefaultsCommand: Command {
    static let name = "defaults"
    static let summary = "print the connectors' support matrix and built-in templates"
    static let help = """
    Usage: templatec defaults [--connector C] [--format text|json] [--matrix]

    Prints, for each connector (or the one named), its dialect, the catalog's support matrix
    (update × level), the built-in default template for every supported update, level and action
    (set, remove), the combinations that have no default and why, and notes on what the dialect
    can do beyond the matrix.

    Options:
      --connector C        \(ConnectorID.allNames)
      --format F           text (default) or json
      --matrix             only the support matrix (a Markdown table)
      -h, --help           show this help

    """

    static func run(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valueOptions: ["connector", "format"], flagOptions: ["matrix"])
        guard args.positional.isEmpty else { throw UsageError("unexpected argument `\(args.positional[0])`") }
        let connectors: [Connector]
        if let name = args.value("connector") {
            guard let c = Connector.named(name) else { throw UsageError(unknownConnector(name)) }
            connectors = [c]
        } else {
            connectors = Connectors.all
        }
        let format = args.value("format") ?? "text"
        switch format {
        case "text":
            if args.flag("matrix") { Output.stdout(matrix(connectors)) } else { Output.stdout(text(connectors)) }
        case "json": Output.stdout(json(connectors).render(indent: 2) + "\n")
        default: throw UsageError("unknown format `\(format)`: use text or json")
        }
        return ExitStatus.ok
    }

    static func unknownConnector(_ name: String) -> String {
        let hint = closest(name, among: ConnectorID.allCases.map(\.rawValue))
        return "unknown connector `\(name)`\(hint.map { " (did you mean `\($0)`?)" } ?? ""): use one of \(ConnectorID.allNames)"
    }

    static func levels(_ c: Connector, _ u: UpdateKind) -> String {
        guard let ls = c.support[u], !ls.isEmpty else { return "–" }
        return ls.map(\.rawValue).joined(separator: ", ")
    }

    /// The support matrix as a Markdown table (docs/connectors.md embeds it).
    static func matrix(_ connectors: [Connector]) -> String {
        var s = "| connector | dialect | description | owner | tags |\n|---|---|---|---|---|\n"
        for c in connectors {
            s += "| \(c.displayName) (`\(c.id.rawValue)`) | \(c.dialect.rawValue) | \(levels(c, .description)) | \(levels(c, .owner)) | \(levels(c, .tags)) |\n"
        }
        return s
    }

    static func text(_ connectors: [Connector]) -> String {
        var s = ""
        for c in connectors {
            s += "== \(c.displayName) (connector \(c.id.rawValue), dialect \(c.dialect.rawValue))\n"
            for u in UpdateKind.allCases { s += "  \(u.rawValue):" + String(repeating: " ", count: 12 - u.rawValue.count) + levels(c, u) + "\n" }
            s += "  names: \(c.namespace.explanation)\n\n"
            for t in c.defaults {
                s += "-- \(t.update.rawValue) / \(t.level.rawValue) / \(t.action.rawValue)\(t.note.map { " (\($0))" } ?? "")\n"
                s += t.text + "\n"
            }
            for m in c.missingDefaults {
                s += "-- \(m.update.rawValue) / \(m.level.rawValue) / \(m.action.rawValue): no default: \(m.reason)\n"
            }
            for n in c.notes { s += "note: \(n)\n" }
            s += "\n"
        }
        return s
    }

    static func json(_ connectors: [Connector]) -> JSON {
        .object([
            ("version", .int(1)),
            ("connectors", .array(connectors.map { c in
                .object([
                    ("connector", .string(c.id.rawValue)),
                    ("name", .string(c.displayName)),
                    ("dialect", .string(c.dialect.rawValue)),
                    ("support", .object(UpdateKind.allCases.map { u in (u.rawValue, .array((c.support[u] ?? []).map { .string($0.rawValue) })) })),
                    ("names", .string(c.namespace.explanation)),
                    ("templates", .array(c.defaults.map { t in
                        var fields: [(String, JSON)] = [("update", .string(t.update.rawValue)), ("level", .string(t.level.rawValue)),
                                                        ("action", .string(t.action.rawValue)), ("template", .string(t.text))]
                        if let n = t.note { fields.append(("note", .string(n))) }
                        return .object(fields)
                    })),
                    ("missing", .array(c.missingDefaults.map { m in
                        .object([("update", .string(m.update.rawValue)), ("level", .string(m.level.rawValue)),
                                 ("action", .string(m.action.rawValue)), ("reason", .string(m.reason))])
                    })),
                    ("notes", .array(c.notes.map { .string($0) })),
                ])
            })),
        ])
    }
}
