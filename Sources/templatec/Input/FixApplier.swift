import ReverseSync
import TemplateCompiler

/// `check --fix`: turns the fixes of a file's diagnostics into byte edits of the file and applies
/// them. Safe fixes only, unless `--unsafe-fixes`. A fix's edits are taken together or not at
/// all; a fix that overlaps one already taken waits for the next run. Edits inside templates
/// embedded in JSON are re-encoded as JSON string contents.
enum FixApplier {
    struct FileEdit {
        var start: Int
        var end: Int
        var text: [UInt8]
    }

    struct Plan {
        var edits: [FileEdit] = []
        /// `CODE: fix message` for each fix taken.
        var applied: [String] = []
        /// The file's bytes the edits apply to.
        var original: [UInt8] = []
    }

    static func plan(_ report: FileReport, includeUnsafe: Bool) -> Plan {
        var plan = Plan()
        for analysis in report.analyses {
            let source = analysis.template.source
            plan.original = fileBytes(source)
            for d in analysis.diagnostics {
                guard let fix = d.fixes.first(where: { $0.applicability == .safe || includeUnsafe }) else { continue }
                let edits = fileEdits(fix, in: source)
                let overlaps = edits.contains { e in
                    plan.edits.contains { a in e.start < a.end && a.start < e.end || e.start == a.start }
                }
                if overlaps { continue }
                plan.edits += edits
                plan.applied.append("\(d.code): \(fix.message)")
            }
        }
        return plan
    }

    /// The bytes of the file a template is in.
    static func fileBytes(_ source: TemplateSource) -> [UInt8] {
        switch source.origin {
        case .wholeFile: return source.text
        case .embedded(let file, _, _): return file
        }
    }

    /// A fix's edits as edits of the file's bytes (also what the language server's code actions send).
    static func fileEdits(_ fix: Fix, in source: TemplateSource) -> [FileEdit] {
        switch source.origin {
        case .wholeFile:
            return fix.edits.map { FileEdit(start: $0.span.start, end: $0.span.end, text: Array($0.text.utf8)) }
        case .embedded(_, let offsets, _):
            let last = offsets.count - 1
            // An edit ending at byte `e` ends where the encoding of byte `e` starts.
            let map = { (o: Int) in offsets[max(0, min(o, last))] }
            return fix.edits.map { FileEdit(start: map($0.span.start), end: map($0.span.end),
                                            text: Array(JSONScanner.encodeContents($0.text).utf8)) }
        }
    }

    static func apply(_ plan: Plan) -> [UInt8] {
        var bytes = plan.original
        for e in plan.edits.sorted(by: { $0.start > $1.start }) {
            bytes.replaceSubrange(e.start..<e.end, with: e.text)
        }
        return bytes
    }
}
