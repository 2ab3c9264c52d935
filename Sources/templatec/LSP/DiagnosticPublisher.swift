import TemplateCompiler

/// A document as last checked: its text, the positions of that text, and each finding with the
/// template it came from (for code actions, hover and completion).
struct CheckedDocument {
    let document: OpenDocument
    let converter: PositionConverter
    let checked: LSPWorkspace.Checked
    /// Every finding with its file byte range and its analysis's index.
    let findings: [Finding]

    struct Finding {
        let analysis: Int
        let diagnostic: Diagnostic
        let start: Int
        let end: Int
    }

    init(_ document: OpenDocument, encoding: PositionEncoding) {
        self.document = document
        converter = PositionConverter(document.text, encoding: encoding)
        checked = LSPWorkspace.check(path: document.path, text: document.text)
        var findings: [Finding] = []
        for (k, a) in checked.analyses.enumerated() {
            let source = a.template.source
            for d in a.diagnostics {
                findings.append(Finding(analysis: k, diagnostic: d, start: CheckedDocument.fileOffset(source, d.span.start),
                                        end: CheckedDocument.fileOffset(source, d.span.end)))
            }
        }
        self.findings = findings
    }

    /// The file offset of a template offset. (`SourceLocator` would do it too, but builds a line
    /// index of the whole file for each template: quadratic in a file of thousands of them.)
    static func fileOffset(_ source: TemplateSource, _ templateOffset: Int) -> Int {
        switch source.origin {
        case .wholeFile: return templateOffset
        case .embedded(_, let map, _): return map[max(0, min(templateOffset, map.count - 1))]
        }
    }

    func range(_ start: Int, _ end: Int) -> JSONDocument {
        .obj(["start": position(start), "end": position(end)])
    }

    func position(_ offset: Int) -> JSONDocument {
        let p = converter.position(ofByte: offset)
        return .obj(["line": .int(p.line), "character": .int(p.character)])
    }
}

/// `textDocument/publishDiagnostics`: findings as LSP diagnostics, with the document's version,
/// the code, its severity, source `templatec` and a link to the code's page.
enum DiagnosticPublisher {
    static func publish(_ doc: CheckedDocument, docs: RuleDocumentationLinks) -> JSONDocument {
        var items: [JSONDocument] = []
        if let e = doc.checked.readError {
            let at = doc.converter.byteOffset(checkLine: e.line, column: e.column)
            items.append(.obj(["range": doc.range(at, at), "severity": .int(1), "code": .string("IO001"),
                               "source": .string("templatec"), "message": .string(e.message)]))
        }
        for f in doc.findings { items.append(diagnostic(f, in: doc, docs: docs)) }
        return JSONRPC.notification("textDocument/publishDiagnostics", .obj([
            "uri": .string(doc.document.uri), "version": .int(doc.document.version), "diagnostics": .array(items),
        ]))
    }

    /// The empty list that clears a closed document's findings.
    static func clear(uri: String) -> JSONDocument {
        JSONRPC.notification("textDocument/publishDiagnostics", .obj(["uri": .string(uri), "diagnostics": .array([])]))
    }

    static func diagnostic(_ f: CheckedDocument.Finding, in doc: CheckedDocument, docs: RuleDocumentationLinks) -> JSONDocument {
        let d = f.diagnostic
        var o: [String: JSONDocument] = [
            "range": doc.range(f.start, f.end), "severity": .int(severity(d.severity)), "code": .string(d.code),
            "source": .string("templatec"), "message": .string(d.message),
        ]
        if let href = docs.link(d.code) { o["codeDescription"] = .obj(["href": .string(href)]) }
        return .object(o)
    }

    /// LSP's DiagnosticSeverity: 1 error, 2 warning, 3 information.
    static func severity(_ s: Severity) -> Int {
        switch s {
        case .error: return 1
        case .warning: return 2
        case .info: return 3
        }
    }
}
