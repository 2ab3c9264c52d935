import TemplateCompiler

/// `textDocument/codeAction`: each fix of a finding in the range is a `quickfix` with a
/// `WorkspaceEdit`, tied to its diagnostic. Unsafe fixes (they change what the template renders)
/// say so in their title and are never preferred. "Fix all safe" applies every safe fix of the
/// document at once, as `check --fix` does (the same plan: overlapping fixes wait).
enum CodeActions {
    static let fixAllKind = "source.fixAll.templatec"

    static func actions(_ doc: CheckedDocument, range: (start: Int, end: Int), only: [String]?,
                        docs: RuleDocumentationLinks) -> JSONDocument {
        func wanted(_ kind: String) -> Bool {
            guard let only, !only.isEmpty else { return true }
            return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
        }
        var out: [JSONDocument] = []
        if wanted("quickfix") {
            for f in doc.findings where f.start <= range.end && range.start <= f.end {
                let source = doc.checked.analyses[f.analysis].template.source
                var preferredGiven = false
                for fix in f.diagnostic.fixes {
                    let safe = fix.applicability == .safe
                    let title = safe ? fix.message : "\(fix.message) (unsafe: changes what the template renders)"
                    var action: [String: JSONDocument] = [
                        "title": .string(title), "kind": .string("quickfix"),
                        "diagnostics": .array([DiagnosticPublisher.diagnostic(f, in: doc, docs: docs)]),
                        "edit": workspaceEdit(doc, FixApplier.fileEdits(fix, in: source)),
                    ]
                    if safe && !preferredGiven {
                        action["isPreferred"] = .bool(true)
                        preferredGiven = true
                    }
                    out.append(.object(action))
                }
            }
        }
        if wanted(fixAllKind) || wanted("quickfix") {
            let report = FileReport(path: doc.document.path, analyses: doc.checked.analyses, readError: nil)
            let plan = FixApplier.plan(report, includeUnsafe: false)
            if !plan.edits.isEmpty {
                let n = plan.applied.count
                out.append(.obj([
                    "title": .string("Fix all safe (\(n) finding\(n == 1 ? "" : "s"))"), "kind": .string(fixAllKind),
                    "edit": workspaceEdit(doc, plan.edits),
                ]))
            }
        }
        return .array(out)
    }

    static func workspaceEdit(_ doc: CheckedDocument, _ edits: [FixApplier.FileEdit]) -> JSONDocument {
        let items: [JSONDocument] = edits.sorted { $0.start < $1.start }.map { e in
            .obj(["range": doc.range(e.start, e.end), "newText": .string(String(decoding: e.text, as: UTF8.self))])
        }
        return .obj(["changes": .obj([doc.document.uri: .array(items)])])
    }
}
