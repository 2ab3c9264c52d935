import TemplateCompiler

/// `textDocument/hover` on a placeholder: the variable, its type, whether this template's update
/// and level provide it, and how its value is written here.
enum HoverProvider {
    static func hover(_ doc: CheckedDocument, offset: Int) -> JSONDocument {
        guard let at = PlaceholderInfo.placeholder(at: offset, in: doc) else { return .null }
        let analysis = doc.checked.analyses[at.analysis]
        let p = analysis.template.placeholders[at.index]
        var lines: [String] = []
        guard let v = p.variable else {
            lines.append("`{\(p.name)}`: not a templatec variable")
            if let (s, _) = Variable.suggestion(for: p.name) { lines.append("Did you mean `{\(s.rawValue)}`?") }
            return markdown(lines, doc, at)
        }
        lines.append("`{\(v.rawValue)}`: \(typeName(v.type))")
        let context = analysis.context
        let served = context.summary.isEmpty ? "" : " (`\(context.summary)`\(context.inferred ? ", inferred" : ""))"
        switch PlaceholderInfo.availability(v, context) {
        case .everywhere: lines.append("Provided by this template's update and level\(served).")
        case .atLevels(let levels): lines.append("Provided only at level \(levels.map(\.rawValue).joined(separator: ", "))\(served).")
        case .no(let why): lines.append("Not provided here: \(why).")
        }
        if let r = PlaceholderInfo.rendering(analysis, placeholder: at.index) {
            lines.append("Rendered as \(r).")
        } else {
            lines.append("Rendering: known once the template's errors are fixed.")
        }
        return markdown(lines, doc, at)
    }

    static func typeName(_ t: Variable.ValueType) -> String {
        switch t {
        case .identifier: return "identifier (a name)"
        case .text: return "text"
        case .list: return "list of (key, value) tag pairs"
        }
    }

    static func markdown(_ lines: [String], _ doc: CheckedDocument, _ at: (analysis: Int, index: Int, start: Int, end: Int)) -> JSONDocument {
        .obj(["contents": .obj(["kind": .string("markdown"), "value": .string(lines.joined(separator: "\n\n"))]),
              "range": doc.range(at.start, at.end)])
    }
}
