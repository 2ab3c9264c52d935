/// The values of one render: a value per variable, and the tag list for `{tags}`.
public struct RenderValues: Sendable {
    public var values: [Variable: String]
    public var tags: [(key: String, value: String)]

    public init(_ values: [Variable: String] = [:], tags: [(key: String, value: String)] = []) {
        self.values = values
        self.tags = tags
    }

    public subscript(_ v: Variable) -> String? {
        get { values[v] }
        set { values[v] = newValue }
    }
}

/// Where the renderer takes the values from: `RenderValues`, or the bytes `render --serve` read
/// from a request line (no `String` per value).
protocol RenderValueSource {
    /// Calls `body` with the UTF-8 bytes of the variable's value; nil when it has none.
    func withValue<R>(_ v: Variable, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R?
    var tagList: [(key: String, value: String)] { get }
}

extension RenderValues: RenderValueSource {
    @inline(__always) func withValue<R>(_ v: Variable, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard let value = values[v] else { return nil }
        return withBytesNoThrow(value, body)
    }

    var tagList: [(key: String, value: String)] { tags }
}

/// A value that cannot be rendered safely: a stable code, the variable, and a message that names
/// the variable, the rule and the limit.
public struct RenderError: Error, Sendable, CustomStringConvertible, Hashable {
    /// A code from `RenderingCodes` ("RND301").
    public let code: String
    public let variable: Variable?
    public let message: String

    public init(code: String, variable: Variable?, message: String) {
        self.code = code
        self.variable = variable
        self.message = message
    }

    init(_ code: DiagnosticCode, _ variable: Variable?, _ message: String) {
        self.init(code: code.id, variable: variable, message: message)
    }

    public var description: String { "\(code): \(message)" }
}

/// The prepared form of a compiled template: literal bytes and holes with their byte tables. Built
/// once per `CompiledTemplate`; rendering allocates the output string and nothing else on the
/// common path.
final class RenderProgram: Sendable {
    enum Op: Sendable {
        case text(Range<Int>)
        case hole(Int)
    }

    final class PreparedHole: Sendable {
        let hole: Hole
        let form: CompiledForm?
        let tagLiteral: CompiledForm?
        /// The escaper's kind without its payload: switching on it copies nothing.
        let kind: Kind
        let flag: Bool
        let variable: Variable
        let limit: TextLimit?
        let tag: String
        /// The name rules of the value: the principals' for `{owner}` where the dialect has its
        /// own, else the object names'.
        let rules: NameRules

        enum Kind: UInt8, Sendable {
            case literal, literalContents, dollarQuoted, name, nameContents, gluedName, tagList
        }

        init(hole: Hole, form: CompiledForm?, tagLiteral: CompiledForm?, rules: NameRules) {
            self.hole = hole
            self.rules = rules
            self.form = form
            self.tagLiteral = tagLiteral
            variable = hole.variable
            limit = hole.limit
            var tag = ""
            var flag = false
            switch hole.escaper {
            case .literal: kind = .literal
            case .literalContents: kind = .literalContents
            case .dollarQuoted(let t): kind = .dollarQuoted; tag = t
            case .name(_, let always): kind = .name; flag = always
            case .nameContents: kind = .nameContents
            case .gluedName(let atStart): kind = .gluedName; flag = atStart
            case .tagList: kind = .tagList
            }
            self.tag = tag
            self.flag = flag
        }
    }

    let ops: [Op]
    let texts: [UInt8]
    let holes: [PreparedHole]
    let names: NameRules
    let dialectName: String
    let literalCount: Int

    init(segments: [CompiledTemplate.Segment], names: NameRules, principals: NameRules? = nil, dialectName: String) {
        var ops: [Op] = []
        var texts: [UInt8] = []
        var holes: [PreparedHole] = []
        for s in segments {
            switch s {
            case .text(let t):
                let start = texts.count
                texts += Array(t.utf8)
                ops.append(.text(start..<texts.count))
            case .hole(let h):
                var form: CompiledForm? = nil
                var tagLiteral: CompiledForm? = nil
                switch h.escaper {
                case .literal(let f), .literalContents(let f), .name(let f, _), .nameContents(let f): form = CompiledForm(f)
                case .tagList(let t): tagLiteral = CompiledForm(t.literal)
                case .dollarQuoted, .gluedName: break
                }
                ops.append(.hole(holes.count))
                holes.append(PreparedHole(hole: h, form: form, tagLiteral: tagLiteral,
                                          rules: h.variable == .owner ? principals ?? names : names))
            }
        }
        self.ops = ops
        self.texts = texts
        self.holes = holes
        self.names = names
        self.dialectName = dialectName
        self.literalCount = texts.count
    }

    func render(_ values: RenderValues) throws(RenderError) -> String {
        let (total, tagBytes) = try measureAll(values)
        return String(unsafeUninitializedCapacity: total) { out in writeAll(values, tagBytes, out) }
    }

    /// The SQL as UTF-8 bytes, without building a String (the serve loop escapes them into JSON).
    func renderBytes(_ values: RenderValues) throws(RenderError) -> [UInt8] {
        let (total, tagBytes) = try measureAll(values)
        return [UInt8](unsafeUninitializedCapacity: total) { out, count in count = writeAll(values, tagBytes, out) }
    }

    /// Renders into `buffer` from its start (growing it when it is too short; its count is not
    /// the length) and returns the length: the serve loop reuses one buffer for every request.
    func render<S: RenderValueSource>(_ values: S, into buffer: inout [UInt8]) throws(RenderError) -> Int {
        let (total, tagBytes) = try measureAll(values)
        if buffer.count < total { buffer += repeatElement(0, count: total - buffer.count) }
        return buffer.withUnsafeMutableBufferPointer { writeAll(values, tagBytes, $0) }
    }

    /// Pass 1: validate every value and measure the output.
    private func measureAll<S: RenderValueSource>(_ values: S) throws(RenderError) -> (Int, [UInt8]?) {
        var total = literalCount
        var tagBytes: [UInt8]? = nil
        // Holes that share one stored text: their values' lengths so far.
        var group: (id: Int, used: Int, variables: [Variable])? = nil
        for h in holes {
            if h.kind == .tagList, case .tagList(let form) = h.hole.escaper {
                let bytes = try TagLists.render(values.tagList, form, h.tagLiteral!)
                total += bytes.count
                tagBytes = bytes
                continue
            }
            let measured: Result<Int, RenderError>? = values.withValue(h.variable) { b in
                Result { () throws(RenderError) -> Int in try measure(h, b) }
            }
            guard let measured else { throw missing(h.variable) }
            total += try measured.get()
            if let id = h.hole.limitGroup, let limit = h.limit {
                let n = values.withValue(h.variable) { b in ValueValidation.length(b, limit.unit) } ?? 0
                group = group?.id == id ? (id, group!.used + n, group!.variables + [h.variable]) : (id, n, [h.variable])
                if group!.used > limit.maximum { throw ValueValidation.groupTooLong(group!.variables, group!.used, limit) }
            }
        }
        return (total, tagBytes)
    }

    /// Pass 2: write what pass 1 measured; returns the byte count.
    private func writeAll<S: RenderValueSource>(_ values: S, _ tagBytes: [UInt8]?, _ out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var i = 0
        texts.withUnsafeBufferPointer { texts in
            for op in ops {
                switch op {
                case .text(let r):
                    for k in r { out[i] = texts[k]; i += 1 }
                case .hole(let index):
                    let h = holes[index]
                    if h.kind == .tagList {
                        for b in tagBytes! { out[i] = b; i += 1 }
                        continue
                    }
                    i = values.withValue(h.variable) { b in write(h, b, out, i) }!
                }
            }
        }
        return i
    }

    func missing(_ v: Variable) -> RenderError {
        RenderError(.missingValue, v, "{\(v.rawValue)} was given no value, but the template uses it: pass it (--var \(v.rawValue)=…), or render with a template for this update")
    }

    /// Validates the value for the hole and returns the number of bytes it renders to.
    @inline(__always) func measure(_ h: PreparedHole, _ b: UnsafeBufferPointer<UInt8>) throws(RenderError) -> Int {
        let v = h.variable
        switch h.kind {
        case .literal, .literalContents:
            let form = h.form!
            try ValueValidation.checkNoNUL(b, v)
            if let limit = h.limit { try ValueValidation.checkLimit(b, v, limit) }
            try ValueValidation.checkContents(b, v, form.form)
            let body = form.escapedCount(b)
            if h.kind == .literal { return form.open.count + body + form.close.count }
            return body
        case .dollarQuoted:
            try ValueValidation.checkNoNUL(b, v)
            if let limit = h.limit { try ValueValidation.checkLimit(b, v, limit) }
            try ValueValidation.checkDollar(b, v, tag: h.tag)
            return b.count
        case .name:
            let always = h.flag
            let form = h.form!
            try ValueValidation.checkName(b, v, h.rules, dialect: dialectName)
            try ValueValidation.checkContents(b, v, form.form)
            if !always && h.rules.isPlain(b) { return b.count }
            return form.open.count + form.escapedCount(b) + form.close.count
        case .nameContents:
            let form = h.form!
            try ValueValidation.checkName(b, v, h.rules, dialect: dialectName)
            if let limit = h.limit { try ValueValidation.checkLimit(b, v, limit) }
            try ValueValidation.checkContents(b, v, form.form)
            return form.escapedCount(b)
        case .gluedName:
            let atWordStart = h.flag
            try ValueValidation.checkName(b, v, h.rules, dialect: dialectName)
            if let limit = h.limit { try ValueValidation.checkLimit(b, v, limit) }
            guard h.rules.isGluable(b, atWordStart: atWordStart) else {
                throw RenderError(.gluedValueNotPlain, v, "{\(v.rawValue)} `\(String(decoding: b, as: UTF8.self))` is glued to other name text, so it cannot be quoted: it may hold only the characters of an unquoted \(dialectName) name\(h.rules.folding == .none ? "" : ", in \(h.rules.folding == .lower ? "lower" : "upper") case")\(atWordStart ? ", starting with a letter or `_`" : ""); quote the whole name in the template to accept any value")
            }
            return b.count
        case .tagList:
            return 0
        }
    }

    /// Writes the value as measured; returns the new end.
    @inline(__always) func write(_ h: PreparedHole, _ b: UnsafeBufferPointer<UInt8>, _ out: UnsafeMutableBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start
        switch h.kind {
        case .literal:
            let form = h.form!
            for c in form.open { out[i] = c; i += 1 }
            i = form.write(b, to: out, at: i)
            for c in form.close { out[i] = c; i += 1 }
        case .literalContents, .nameContents:
            i = h.form!.write(b, to: out, at: i)
        case .name:
            let always = h.flag
            let form = h.form!
            if !always && h.rules.isPlain(b) {
                for c in b { out[i] = c; i += 1 }
            } else {
                for c in form.open { out[i] = c; i += 1 }
                i = form.write(b, to: out, at: i)
                for c in form.close { out[i] = c; i += 1 }
            }
        case .dollarQuoted, .gluedName:
            for c in b { out[i] = c; i += 1 }
        case .tagList:
            break
        }
        return i
    }
}

/// The UTF-8 bytes of a string, without copying when it is native (the common case).
@inline(__always) func withBytesNoThrow<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
    return Array(s.utf8).withUnsafeBufferPointer(body)
}
