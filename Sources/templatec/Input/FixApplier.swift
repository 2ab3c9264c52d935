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
            let mapStart: (Int) -> Int
            let mapEnd: (Int) -> Int
            let encode: (String) -> [UInt8]
            switch source.origin {
            case .wholeFile:
                plan.original = source.text
                mapStart = { $0 }
                mapEnd = { $0 }
                encode = { Array($0.utf8) }
            case .embedded(let file, let offsets, _):
                plan.original = file
                let last = offsets.count - 1
                mapStart = { offsets[max(0, min($0, last))] }
                // An edit ending at byte `e` ends where the encoding of byte `e` starts.
                mapEnd = { offsets[max(0, min($0, last))] }
                encode = { Array(JSONScanner.encodeContents($0).utf8) }
            }
            for d in analysis.diagnostics {
                guard let fix = d.fixes.first(where: { $0.applicability == .safe || includeUnsafe }) else { continue }
                let edits = fix.edits.map { FileEdit(start: mapStart($0.span.start), end: mapEnd($0.span.end), text: encode($0.text)) }
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

    static func apply(_ plan: Plan) -> [UInt8] {
        var bytes = plan.original
        for e in plan.edits.sorted(by: { $0.start > $1.start }) {
            bytes.replaceSubrange(e.start..<e.end, with: e.text)
        }
        return bytes
    }
}
