/// Why a template could not be compiled: its diagnostics (errors among them) and the analysis.
public struct CompileFailure: Error, Sendable {
    public let diagnostics: [Diagnostic]
    public let analysis: Analysis
}

/// AST → `CompiledTemplate`. Every escaping decision is made here, from each placeholder's
/// context in its statement's lexical rules, the variable's type and the dialect's data.
public enum Compiler {
    /// nil when the analysis has errors.
    public static func compile(_ analysis: Analysis) -> CompiledTemplate? {
        guard !analysis.hasErrors else { return nil }
        return try? build(analysis).get()
    }

    public static func compile(_ source: TemplateSource, config: ContextSettings = ContextSettings(),
                               flags: ContextSettings = ContextSettings()) -> Result<CompiledTemplate, CompileFailure> {
        let analysis = Analyzer.analyze(source, config: config, flags: flags)
        guard !analysis.hasErrors else { return .failure(CompileFailure(diagnostics: analysis.diagnostics, analysis: analysis)) }
        return build(analysis)
    }

    static func build(_ analysis: Analysis) -> Result<CompiledTemplate, CompileFailure> {
        let template = analysis.template
        let dialect = template.dialect
        let text = template.text
        var segments: [CompiledTemplate.Segment] = []
        var pending: [UInt8] = []
        func flushText() {
            if !pending.isEmpty { segments.append(.text(String(decoding: pending, as: UTF8.self))) }
            pending.removeAll()
        }
        for statement in template.statements {
            for node in statement.nodes {
                switch node {
                case .sql(let span):
                    appendUnescapingBraces(text[span.start..<span.end], to: &pending)
                case .placeholder(let index):
                    let p = template.placeholders[index]
                    guard let variable = p.variable,
                          let escaper = Escaper.select(for: p, variable: variable, in: statement, dialect: dialect, text: text) else {
                        // The checker reports these as errors; this is a safety net.
                        let d = Diagnostic(.unescapableContext, "`{\(p.name)}` stands in \(p.context.phrase), where no value can be written safely", at: p.span)
                        return .failure(CompileFailure(diagnostics: analysis.diagnostics + [d], analysis: analysis))
                    }
                    flushText()
                    // The target limits the stored text: the value's room is what the template's
                    // own text around it in the same literal or name leaves.
                    let around = SurroundingText.neighbourhood(of: p, in: statement, template: template)
                    let holeLimit = limit(for: variable, escaper: escaper, statement: statement, analysis: analysis, around: around)
                    segments.append(.hole(Hole(variable: variable, escaper: escaper, limit: holeLimit,
                                               limitGroup: holeLimit == nil ? nil : SurroundingText.group(around))))
                }
            }
        }
        flushText()
        return .success(CompiledTemplate(
            sourceHash: SourceHash.fnv1a64(text), dialect: dialect.id, options: dialect.options, context: analysis.context,
            names: NameRules(dialect.identifiers), principals: dialect.principals.map(NameRules.init), segments: segments))
    }

    /// `{{` → `{`, `}}` → `}`: what Python's str.format writes. (A checked template has no lone
    /// brace outside placeholders.)
    static func appendUnescapingBraces(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            out.append(b)
            if (b == UInt8(ascii: "{") || b == UInt8(ascii: "}")), i + 1 < bytes.endIndex, bytes[i + 1] == b { i += 2 } else { i += 1 }
        }
    }

    /// The length limit of the text a hole stores: from the statement's kind and level, or, for an
    /// unclassified statement, the strictest limit of the levels and updates the template serves.
    static func limit(for variable: Variable, escaper: Escaper, statement: Statement, analysis: Analysis,
                      around: SurroundingText.Neighbourhood? = nil) -> TextLimit? {
        switch escaper {
        case .literal, .literalContents, .dollarQuoted: break
        case .nameContents, .gluedName: return SurroundingText.nameLimit(variable, in: around, dialect: analysis.dialect)
        default: return nil
        }
        let levels: [Level]
        let updates: [UpdateKind]
        if let c = statement.classification {
            levels = [c.level]
            updates = [c.kind.update]
        } else {
            levels = analysis.context.levels.isEmpty ? Level.allCases : analysis.context.levels
            updates = analysis.context.updates.isEmpty ? UpdateKind.allCases : analysis.context.updates
        }
        let candidates = analysis.dialect.textLimits.filter { limit in
            limit.variables.contains(variable)
                && (limit.levels.map { ls in levels.contains { ls.contains($0) } } ?? true)
                && (limit.updates.map { us in updates.contains { us.contains($0) } } ?? true)
        }
        guard let strictest = candidates.min(by: { $0.maximum < $1.maximum }) else { return nil }
        return around.map { SurroundingText.remaining(strictest, in: $0) } ?? strictest
    }
}
