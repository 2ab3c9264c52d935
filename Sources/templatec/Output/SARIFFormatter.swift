import TemplateCompiler
import TemplateWorkspace

/// `check --format sarif`: SARIF 2.1.0 for code-scanning services. The driver lists every code of
/// the catalog as a rule (stable ids, names, descriptions, default levels); results point at
/// paths relative to `%SRCROOT%` (the current folder), with columns in Unicode code points (as
/// everywhere in templatec), fixes as replacements, and `partialFingerprints` that survive
/// edits elsewhere in the file.
enum SARIFFormatter {
    static let readErrorRule = DiagnosticCode.unreadableInput.id

    static func format(_ reports: [FileReport], missing: [String], cwd: String) -> String {
        let codes = DiagnosticCatalog.all
        var index: [String: Int] = [:]
        var rules: [JSON] = []
        for code in codes where index[code.id] == nil {
            index[code.id] = rules.count
            rules.append(.object([
                ("id", .string(code.id)),
                ("name", .string(code.name)),
                ("shortDescription", .object([("text", .string(code.summary))])),
                ("fullDescription", .object([("text", .string(code.explanation))])),
                ("help", .object([("text", .string(code.explanation)),
                                  ("markdown", .string("\(code.summary)\n\n\(code.explanation)\n\nRun `templatec explain \(code.id)` for examples."))])),
                ("defaultConfiguration", .object([("level", .string(level(code.severity)))])),
                ("properties", .object([("tags", .array([.string("templatec"), .string(String(code.id.prefix { $0.isLetter }))]))])),
            ]))
        }

        var results: [JSON] = []
        for r in reports {
            let uri = artifact(r.path, cwd: cwd)
            if let e = r.readError {
                results.append(.object([
                    ("ruleId", .string(readErrorRule)), ("ruleIndex", .int(index[readErrorRule]!)), ("level", .string("error")),
                    ("message", .object([("text", .string(e))])),
                    ("locations", .array([.object([("physicalLocation", .object([("artifactLocation", uri)]))])])),
                ]))
            }
            var seen: [UInt64: Int] = [:]
            let locators = FileLocators()
            for a in r.analyses {
                let locator = locators.locator(a.template.source)
                for d in a.diagnostics {
                    let start = locator.location(d.span.start)
                    let end = locator.location(d.span.end)
                    let region = self.region(start, end)
                    // The fingerprint ignores line numbers: the code, the file and the text of the
                    // line, numbered when the same finding repeats.
                    let base = fnv1a("\(d.code)\u{0}\(r.path)\u{0}\(locator.lineText(start.line).trimmingWhitespace)")
                    let n = seen[base, default: 0]
                    seen[base] = n + 1
                    let fingerprint = String(fnv1a("\(base)/\(n)"), radix: 16)
                    var result: [(String, JSON)] = [
                        ("ruleId", .string(d.code)),
                        ("level", .string(level(d.severity))),
                        ("message", .object([("text", .string(d.message))])),
                        ("locations", .array([.object([("physicalLocation", .object([
                            ("artifactLocation", uri), ("region", region),
                        ]))])])),
                        ("partialFingerprints", .object([("templatecFingerprint/v1", .string(fingerprint))])),
                    ]
                    if let i = index[d.code] { result.insert(("ruleIndex", .int(i)), at: 1) }
                    if !d.fixes.isEmpty {
                        result.append(("fixes", .array(d.fixes.map { fix in
                            .object([
                                ("description", .object([("text", .string(fix.message + (fix.applicability == .unsafe ? " (unsafe)" : "")))])),
                                ("artifactChanges", .array([.object([
                                    ("artifactLocation", uri),
                                    ("replacements", .array(fix.edits.map { e in
                                        .object([
                                            ("deletedRegion", self.region(locator.location(e.span.start), locator.location(e.span.end))),
                                            ("insertedContent", .object([("text", .string(e.text))])),
                                        ])
                                    })),
                                ])])),
                            ])
                        })))
                    }
                    results.append(.object(result))
                }
            }
        }
        for m in missing {
            let (path, message) = MissingInput.split(m)
            results.append(.object([
                ("ruleId", .string(readErrorRule)), ("ruleIndex", .int(index[readErrorRule]!)), ("level", .string("error")),
                ("message", .object([("text", .string(message))])),
                ("locations", .array([.object([("physicalLocation", .object([("artifactLocation", artifact(path, cwd: cwd))]))])])),
            ]))
        }
        let base = cwd.hasSuffix("/") ? cwd : cwd + "/"
        let doc = JSON.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("templatec")),
                    ("semanticVersion", .string(Version.string)),
                    ("version", .string(Version.string)),
                    ("rules", .array(rules)),
                ]))])),
                ("originalUriBaseIds", .object([("%SRCROOT%", .object([("uri", .string("file://" + percentEncode(base)))]))])),
                ("columnKind", .string("unicodeCodePoints")),
                ("results", .array(results)),
            ])])),
        ])
        return doc.render(indent: 2) + "\n"
    }

    static func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    static func region(_ start: SourceLocation, _ end: SourceLocation) -> JSON {
        // SARIF regions are never empty-ended before their start; an empty span keeps its column.
        .object([("startLine", .int(start.line)), ("startColumn", .int(start.column)),
                 ("endLine", .int(max(end.line, start.line))), ("endColumn", .int(end.line > start.line ? end.column : max(end.column, start.column)))])
    }

    /// A path relative to `%SRCROOT%` when it is inside the current folder, else a file URI.
    static func artifact(_ path: String, cwd: String) -> JSON {
        if path == "-" { return .object([("uri", .string("stdin"))]) }
        let absolute = Paths.absolute(path, cwd: cwd)
        let relative = Paths.relative(absolute, to: cwd)
        if relative != absolute {
            return .object([("uri", .string(percentEncode(relative))), ("uriBaseId", .string("%SRCROOT%"))])
        }
        return .object([("uri", .string("file://" + percentEncode(absolute)))])
    }

    /// RFC 3986: everything but unreserved characters and `/` is percent-encoded.
    static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(UnicodeScalar(b))
            default:
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        return h
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
