import TemplateCompiler

/// `check --format json` (docs/guide.md shows the format). Lines and columns are 1-based; columns
/// count Unicode scalars. A path that cannot be read is a file whose one diagnostic is IO001.
enum JSONFormatter {
    static func format(_ reports: [FileReport], missing: [String], summary: Summary) -> String {
        var files: [JSON] = []
        for r in reports {
            var diagnostics: [JSON] = []
            if let e = r.readError { diagnostics.append(unreadable(e)) }
            let locators = FileLocators()
            for a in r.analyses {
                let locator = locators.locator(a.template.source)
                for d in a.diagnostics { diagnostics.append(diagnostic(d, locator)) }
            }
            files.append(.object([("path", .string(r.path)), ("diagnostics", .array(diagnostics))]))
        }
        for m in missing {
            let (path, message) = MissingInput.split(m)
            files.append(.object([("path", .string(path)), ("diagnostics", .array([unreadable(message)]))]))
        }
        let doc = JSON.object([
            ("version", .int(1)),
            ("files", .array(files)),
            ("summary", .object([("files", .int(summary.files)), ("errors", .int(summary.errors + summary.unreadable)),
                                 ("warnings", .int(summary.warnings)), ("info", .int(summary.infos))])),
        ])
        return doc.render(indent: 2) + "\n"
    }

    static func unreadable(_ message: String) -> JSON {
        .object([("code", .string(DiagnosticCode.unreadableInput.id)), ("severity", .string("error")), ("message", .string(message)),
                 ("line", .int(1)), ("column", .int(1)), ("endLine", .int(1)), ("endColumn", .int(1)), ("fixes", .array([]))])
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
