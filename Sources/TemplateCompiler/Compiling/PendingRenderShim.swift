// SHIM — DELETE WHEN THE RENDERING ENGINEER'S Compiling/ LANDS ON MAIN.
// A small stand-in with the agreed signatures (RenderValues, CompiledTemplate.render,
// RenderError, Compiler.compile) so the sync engine compiles and its dry runs render.

public struct RenderValues {
    public var values: [Variable: String]
    public var tags: [(key: String, value: String)]
    public init(_ values: [Variable: String] = [:], tags: [(key: String, value: String)] = []) {
        self.values = values
        self.tags = tags
    }
}

public struct RenderError: Error {
    public let code: String
    public let variable: Variable?
    public let message: String
}

public struct CompiledTemplate: Codable, Sendable {
    enum Hole: Codable, Sendable {
        case bare, national, glued, comment
        case string(prefix: String, quote: UInt8, doubled: Bool, backslash: Bool, newlines: Bool, escapable: Bool)
        case identifier(close: UInt8, doubled: Bool, backslash: Bool)
        case dollar(tag: String)
    }
    enum Segment: Codable, Sendable {
        case literal(String)
        case hole(Variable?, String, Hole)
    }
    let dialect: DialectID
    let options: DialectOptions
    let segments: [Segment]

    public func render(_ values: RenderValues) throws(RenderError) -> String {
        let d = Dialect.named(dialect, options: options)
        var out = ""
        for s in segments {
            switch s {
            case .literal(let t): out += t
            case .hole(let v, let name, let hole):
                guard let v else { throw RenderError(code: "R001", variable: nil, message: "unknown variable {\(name)}") }
                out += try renderHole(v, hole, values, d)
            }
        }
        return out
    }

    private func fail(_ v: Variable, _ m: String) -> RenderError { RenderError(code: "R100", variable: v, message: m) }

    private func escape(_ s: String, quote: UInt8, doubled: Bool, backslash: Bool, newlines: Bool, _ v: Variable) throws(RenderError) -> String {
        var out = ""
        let q = Character(UnicodeScalar(quote))
        for c in s.unicodeScalars {
            if c == "\0" { throw fail(v, "{\(v.rawValue)} contains a NUL character, which no literal can hold") }
            if backslash && c == "\\" { out += "\\\\"; continue }
            if Character(c) == q { out += doubled ? String(q) + String(q) : "\\" + String(q); continue }
            if c == "\n" && !newlines {
                guard backslash else { throw fail(v, "{\(v.rawValue)} contains a newline, which this literal cannot hold") }
                out += "\\n"; continue
            }
            out.unicodeScalars.append(c)
        }
        return out
    }

    private func quoteIdentifier(_ s: String, _ d: Dialect, _ v: Variable) throws(RenderError) -> String {
        try checkIdentifier(s, d, v)
        if d.options.identifierQuoting == .whenNeeded && d.identifiers.isPlain(Array(s.utf8)) { return s }
        let q = d.identifierQuote
        return String(UnicodeScalar(q.open)) + (try escape(s, quote: q.close, doubled: q.escapes.doubledQuote, backslash: q.escapes.backslash, newlines: true, v)) + String(UnicodeScalar(q.close))
    }

    private func checkIdentifier(_ s: String, _ d: Dialect, _ v: Variable) throws(RenderError) {
        if s.isEmpty { throw fail(v, "{\(v.rawValue)} is empty: a name cannot be empty") }
        for (scalar, reason) in d.identifiers.forbiddenCharacters where s.unicodeScalars.contains(scalar) {
            throw fail(v, "{\(v.rawValue)} contains `\(scalar)`: \(reason)")
        }
        if s.unicodeScalars.contains("\0") { throw fail(v, "{\(v.rawValue)} contains a NUL character") }
    }

    private func renderHole(_ v: Variable, _ hole: Hole, _ values: RenderValues, _ d: Dialect) throws(RenderError) -> String {
        if v == .tags {
            guard case .bare = hole else { throw fail(v, "{tags} can only stand alone, in a list position") }
            switch d.tagsListForm {
            case .bigQueryLabels?:
                var parts: [String] = []
                for t in values.tags {
                    parts.append("(\"" + (try escape(t.key, quote: 34, doubled: false, backslash: true, newlines: false, v)) + "\", \"" + (try escape(t.value, quote: 34, doubled: false, backslash: true, newlines: false, v)) + "\")")
                }
                return "[" + parts.joined(separator: ", ") + "]"
            case .databricksTags?:
                var parts: [String] = []
                for t in values.tags {
                    parts.append("'" + (try escape(t.key, quote: 39, doubled: false, backslash: true, newlines: true, v)) + "' = '" + (try escape(t.value, quote: 39, doubled: false, backslash: true, newlines: true, v)) + "'")
                }
                return "(" + parts.joined(separator: ", ") + ")"
            case nil: throw fail(v, "\(d.displayName) has no list form for {tags}")
            }
        }
        guard let value = values.values[v] else { throw RenderError(code: "R002", variable: v, message: "no value for {\(v.rawValue)}") }
        switch hole {
        case .comment: throw fail(v, "a value cannot be written into a comment")
        case .dollar(let tag):
            if value.contains("$\(tag)$") { throw fail(v, "{\(v.rawValue)} contains the dollar-quote delimiter $\(tag)$") }
            return value
        case .glued:
            guard d.identifiers.isPlain(Array(value.utf8)) else { throw fail(v, "{\(v.rawValue)} `\(value)` is glued to other name text and is not a plain identifier") }
            return value
        case .identifier(let close, let doubled, let backslash):
            try checkIdentifier(value, d, v)
            return try escape(value, quote: close, doubled: doubled, backslash: backslash, newlines: true, v)
        case .string(_, let quote, let doubled, let backslash, let newlines, let escapable):
            guard escapable else { throw fail(v, "this literal kind cannot hold an escaped value") }
            return try escape(value, quote: quote, doubled: doubled, backslash: backslash, newlines: newlines, v)
        case .bare, .national:
            if v.type == .identifier { return try quoteIdentifier(value, d, v) }
            let k = d.valueLiteral
            let prefix = hole == .national ? "N" : k.prefix
            let q = String(UnicodeScalar(k.quote))
            return prefix + q + (try escape(value, quote: k.quote, doubled: k.escapes.doubledQuote, backslash: k.escapes.backslash, newlines: k.newlinesAllowed, v)) + q
        }
    }
}

extension CompiledTemplate.Hole: Equatable {}

public enum Compiler {
    public static func compile(_ analysis: Analysis) -> CompiledTemplate? {
        if analysis.hasErrors { return nil }
        let t = analysis.template
        var segments: [CompiledTemplate.Segment] = []
        var pos = 0
        for p in t.placeholders {
            if p.span.start > pos { segments.append(.literal(t.string(Span(pos, p.span.start)))) }
            let hole: CompiledTemplate.Hole
            switch p.context {
            case .bare: hole = .bare
            case .nationalPrefixed: hole = .national
            case .glued: hole = .glued
            case .comment: hole = .comment
            case .alternativeQuoted: hole = .comment
            case .dollarQuoted(let tag): hole = .dollar(tag: tag)
            case .string(let k): hole = .string(prefix: k.prefix, quote: k.quote, doubled: k.escapes.doubledQuote, backslash: k.escapes.backslash, newlines: k.newlinesAllowed, escapable: k.escapable)
            case .quotedIdentifier(let q): hole = .identifier(close: q.close, doubled: q.escapes.doubledQuote, backslash: q.escapes.backslash)
            }
            segments.append(.hole(p.variable, p.name, hole))
            pos = p.span.end
        }
        if pos < t.text.count { segments.append(.literal(t.string(Span(pos, t.text.count)))) }
        // Literal braces `{{`/`}}` are left for the real compiler; the defaults have none.
        return CompiledTemplate(dialect: t.dialect.id, options: t.dialect.options, segments: segments)
    }
}
