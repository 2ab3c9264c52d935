import TemplateCompiler

/// `check --format json`, exactly as DESIGN.md's command-line contract gives it. Lines and
/// columns are 1-based; columns count Unicode scalars.
enum JSONFormatter {
    static func format(_ reports: [FileReport], missing: [String], summary: Summary) -> String {
        var files: [JSON] = []
        for r in reports {
            var diagnostics: [JSON] = []
            if let e = r.readError {
                diagnostics.append(.object([("code", .string("IO001")), ("severity", .string("error")), ("message", .string(e)),
                                            ("line", .int(1)), ("column", .int(1)), ("endLine", .int(1)), ("endColumn", .int(1)),
                                            ("fixes", .array([]))]))
            }
            for a in r.analyses {
                let locator = SourceLocator(a.template.source)
                for d in a.diagnostics { diagnostics.append(diagnostic(d, locator)) }
            }
            files.append(.object([("path", .string(r.path)), ("diagnostics", .array(diagnostics))]))
        }
        for m in missing {
            files.append(.object([("path", .string(m)), ("diagnostics", .array([]))]))
        }
        let doc = JSON.object([
            ("version", .int(1)),
            ("files", .array(files)),
            ("summary", .object([("files", .int(summary.files)), ("errors", .int(summary.errors + summary.unreadable)),
                                 ("warnings", .int(summary.warnings))])),
        ])
        return doc.render(indent: 2) + "\n"
    }

    static func diagnostic(_ d: Diagnostic, _ locator: SourceLocator) -> JSON {
        let start = locator.location(d.span.start)
        let end = locator.location(d.span.end)
        let fixes: [JSON] = d.fixes.map { fix in
            .object([
                ("message", .string(fix.message)),
                ("applicability", .string(fix.applicability.rawValue)),
                ("edits", .array(fix.edits.map { e in
                    let s = locator.location(e.span.start), t = locator.location(e.span.end)
                    return .object([("line", .int(s.line)), ("column", .int(s.column)), ("endLine", .int(t.line)),
                                    ("endColumn", .int(t.column)), ("text", .string(e.text))])
                })),
            ])
        }
        return .object([
            ("code", .string(d.code)), ("severity", .string(d.severity.rawValue)), ("message", .string(d.message)),
            ("line", .int(start.line)), ("column", .int(start.column)), ("endLine", .int(end.line)), ("endColumn", .int(end.column)),
            ("fixes", .array(fixes)),
        ])
    }
}
