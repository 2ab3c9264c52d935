import TemplateCompiler

/// What the server knows about one placeholder or variable in a template: for hover and
/// completion.
enum PlaceholderInfo {
    /// The analysis and placeholder whose `{…}` holds the file offset (the closing brace included).
    static func placeholder(at offset: Int, in doc: CheckedDocument) -> (analysis: Int, index: Int, start: Int, end: Int)? {
        for (k, a) in doc.checked.analyses.enumerated() {
            let source = a.template.source
            for (i, p) in a.template.placeholders.enumerated() {
                let start = CheckedDocument.fileOffset(source, p.span.start), end = CheckedDocument.fileOffset(source, p.span.end)
                if start <= offset && offset < end { return (k, i, start, end) }
            }
        }
        return nil
    }

    /// The analysis whose template's text holds the file offset.
    static func analysis(at offset: Int, in doc: CheckedDocument) -> Int? {
        for (k, a) in doc.checked.analyses.enumerated() {
            let source = a.template.source
            if CheckedDocument.fileOffset(source, 0) <= offset && offset <= CheckedDocument.fileOffset(source, source.text.count) { return k }
        }
        return nil
    }

    enum Availability: Equatable {
        case everywhere
        /// Only at some of the template's levels.
        case atLevels([Level])
        case no(String)
    }

    /// Whether the template's update context gives the variable a value.
    static func availability(_ v: Variable, _ context: UpdateContext) -> Availability {
        if let update = v.update, !context.updates.isEmpty, !context.updates.contains(update) {
            let updates = context.updates.map(\.rawValue).joined(separator: ", ")
            return .no("only `update=\(update.rawValue)` provides it; this template serves \(updates)")
        }
        guard let minimum = v.minimumLevel, !context.levels.isEmpty else { return .everywhere }
        let levels = context.levels.filter { $0 >= minimum }
        if levels.isEmpty {
            return .no("it exists from level \(minimum.rawValue) down; this template serves \(context.levels.map(\.rawValue).joined(separator: ", "))")
        }
        return levels.count == context.levels.count ? .everywhere : .atLevels(levels)
    }

    /// How the placeholder's value is written into the SQL, from the compiled template (nil when
    /// the template does not compile).
    static func rendering(_ analysis: Analysis, placeholder index: Int) -> String? {
        guard let compiled = Compiler.compile(analysis) else { return statementRendering(analysis, placeholder: index) }
        // The compiler makes one hole per placeholder node, in statement order.
        var order: [Int] = []
        for s in analysis.template.statements {
            for case .placeholder(let i) in s.nodes { order.append(i) }
        }
        let holes = compiled.holes
        guard order.count == holes.count, let k = order.firstIndex(of: index) else { return nil }
        return describe(holes[k].escaper, dialect: analysis.dialect.displayName)
    }

    /// While another statement has an error (as it often has mid-edit), the placeholder's own
    /// statement compiled alone, with the template's dialect, options and update context: a
    /// statement ends at a `;` outside literals, so its text lexes the same on its own.
    static func statementRendering(_ analysis: Analysis, placeholder index: Int) -> String? {
        let template = analysis.template
        let p = template.placeholders[index]
        guard template.statements.count > 1, template.statements.indices.contains(p.statement) else { return nil }
        let statement = template.statements[p.statement]
        var settings = analysis.settings
        settings.dialect = analysis.dialect.id
        if !analysis.context.updates.isEmpty { settings.updates = Set(analysis.context.updates) }
        if !analysis.context.levels.isEmpty { settings.levels = Set(analysis.context.levels) }
        let text = Array(template.text[statement.span.start..<statement.span.end])
        let alone = Analyzer.analyze(TemplateSource(path: template.source.path, text: text), flags: settings)
        let shifted = p.span.start - statement.span.start
        guard let k = alone.template.placeholders.firstIndex(where: { $0.span.start == shifted }),
              alone.template.statements.count == 1 else { return nil }
        return Compiler.compile(alone) == nil ? nil : rendering(alone, placeholder: k)
    }

    static func describe(_ e: Escaper, dialect: String) -> String {
        func quoting(_ f: QuotedForm) -> String {
            var s = f.quoteWithBackslash ? "quotes escaped with a backslash" : "quotes doubled"
            if f.backslashEscapes { s += ", backslashes doubled" }
            return s
        }
        switch e {
        case .literal(let f): return "a complete \(dialect) string literal `\(f.open)…\(f.closeText)`, \(quoting(f))"
        case .literalContents(let f): return "the contents of the \(dialect) literal `\(f.open)…\(f.closeText)` it stands in, \(quoting(f))"
        case .dollarQuoted(let tag): return "the value as it is inside `$\(tag)$…$\(tag)$`; a value containing `$\(tag)$` is refused"
        case .name(let f, let always):
            return always ? "a \(dialect) identifier, always quoted `\(f.open)…\(f.closeText)`"
                : "a \(dialect) identifier: as it is when it is a plain name, else quoted `\(f.open)…\(f.closeText)`"
        case .nameContents(let f): return "the contents of the quoted \(dialect) identifier `\(f.open)…\(f.closeText)` it stands in, quotes doubled"
        case .gluedName: return "glued to other name text: only plain \(dialect) identifier characters are accepted"
        case .tagList(let t): return "the \(dialect) tag list (\(t.style.rawValue)\(t.keysOnly ? ", keys only" : ""))"
        }
    }
}
