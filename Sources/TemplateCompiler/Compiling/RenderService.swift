/// The request/response logic of `templatec render --serve`, pure so that it can be tested and
/// benchmarked in process: one JSON request in, one JSON line out.
///
/// Request:  `{"id"?, "template", "dialect", "vars", "update"?, "level"?}` or
///           `{"id"?, "compiled": <artifact object>, "vars"}`
/// Response: `{"id", "sql"}` or `{"id", "error": {"code", "message"}}`. The id is echoed byte for
/// byte; unknown keys and blank lines are answered with an error, like any bad request.
///
/// Compiled templates are cached by (template text, dialect, update, level) and by artifact.
///
/// Two paths answer a line: the usual request is read in one pass by `RenderRequestReader` and
/// answered by `FastPath` (no JSON tree, settings compared as bytes, values rendered from one
/// buffer); anything else goes to the general path (`respondGeneral`: `JSONDocument.parse`, then
/// lookups), which is also the reference the fast path is tested against byte for byte.
public final class RenderService {
    private var byTemplate: [TemplateKey: Result<CompiledTemplate, RenderError>] = [:]
    private var byArtifact: [JSONDocument: Result<CompiledTemplate, RenderError>] = [:]
    private var fast = FastPath()
    /// The cache is cleared when it reaches this size (requests rarely use many templates).
    public let cacheLimit: Int

    struct TemplateKey: Hashable {
        let template: String
        let dialect: String
        let update: String
        let level: String
    }

    public init(cacheLimit: Int = 4096) {
        self.cacheLimit = cacheLimit
    }

    /// Answers one request line (without its newline); the answer has no newline either.
    public func respond(to line: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(line.count + 64)
        respond(to: line, into: &out)
        return out
    }

    /// Appends the answer to one request line to `out`.
    public func respond(to line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        if fast.respond(to: line, into: &out, self) { return }
        respondGeneral(to: line, into: &out)
    }

    /// The general path: any request, through the JSON tree. Public so that tests can compare
    /// the two paths.
    public func respondGeneral(to line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        // A client that writes a blank line waits for an answer like any other.
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            return RenderService.writeError(id: .null, RenderError(.invalidRequest, nil, "an empty line is not a request: send one JSON object per line"), into: &out)
        }
        let request: JSONDocument
        do {
            request = try JSONDocument.parse(line)
        } catch {
            return RenderService.writeError(id: .null, RenderError(.invalidRequest, nil, "the request is not JSON: \(error)"), into: &out)
        }
        let id = request["id"] ?? .null
        let rawID = RenderRequestReader.rawID(line)
        func writeID(into out: inout [UInt8]) {
            out += RenderService.idPrefix
            if let r = rawID { out.append(contentsOf: UnsafeBufferPointer(rebasing: line[r])) } else { id.write(into: &out) }
        }
        do throws(RenderError) {
            guard let members = request.objectValue else { throw RenderError(.invalidRequest, nil, "the request must be a JSON object") }
            if let unknown = members.keys.filter({ !RenderService.requestKeys.contains($0) }).min() {
                throw RenderError(.invalidRequest, nil, "unknown request key \"\(unknown)\": a request has \(RenderService.requestKeys.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            let template = try compiled(for: request)
            let values = try RenderValues(json: request["vars"] ?? .object([:]))
            let sql = try template.renderUTF8(values)
            writeID(into: &out)
            out += RenderService.sqlKey
            sql.withUnsafeBufferPointer { JSONDocument.writeString(utf8: $0, into: &out) }
            out.append(UInt8(ascii: "}"))
        } catch {
            writeID(into: &out)
            RenderService.writeErrorBody(error, into: &out)
        }
    }

    /// The keys a request may have; any other is refused, as an unknown variable is.
    static let requestKeys = ["id", "template", "compiled", "dialect", "update", "level", "vars"]

    static let idPrefix = Array("{\"id\":".utf8)
    static let sqlKey = Array(",\"sql\":".utf8)

    static func writeError(id: JSONDocument, _ e: RenderError, into out: inout [UInt8]) {
        out += idPrefix
        id.write(into: &out)
        writeErrorBody(e, into: &out)
    }

    /// What follows the id in an error answer.
    static func writeErrorBody(_ e: RenderError, into out: inout [UInt8]) {
        out += Array(",\"error\":{\"code\":".utf8)
        JSONDocument.writeString(e.code, into: &out)
        out += Array(",\"message\":".utf8)
        JSONDocument.writeString(e.message, into: &out)
        out += Array("}}".utf8)
    }

    func compiled(for request: JSONDocument) throws(RenderError) -> CompiledTemplate {
        if let artifact = request["compiled"] {
            if let cached = byArtifact[artifact] { return try cached.get() }
            let result = Result { () throws(RenderError) -> CompiledTemplate in try CompiledTemplate(json: artifact) }
            if byArtifact.count >= cacheLimit { byArtifact.removeAll() }
            byArtifact[artifact] = result
            return try result.get()
        }
        guard let text = request["template"]?.stringValue else {
            throw RenderError(.invalidRequest, nil, "the request needs \"template\" (the template text) or \"compiled\" (an artifact from `templatec compile`)")
        }
        func setting(_ key: String) throws(RenderError) -> String {
            guard let v = request[key] else { return "" }
            if let s = v.stringValue { return s }
            if let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) { return a.compactMap(\.stringValue).joined(separator: ",") }
            throw RenderError(.invalidRequest, nil, "\"\(key)\" must be a string (comma-separated values allowed)")
        }
        let key = TemplateKey(template: text, dialect: try setting("dialect"), update: try setting("update"), level: try setting("level"))
        return try compiled(key).get()
    }

    func compiled(_ key: TemplateKey) -> Result<CompiledTemplate, RenderError> {
        if let cached = byTemplate[key] { return cached }
        let result = RenderService.compile(key)
        if byTemplate.count >= cacheLimit { byTemplate.removeAll() }
        byTemplate[key] = result
        return result
    }

    static func compile(_ key: TemplateKey) -> Result<CompiledTemplate, RenderError> {
        var flags = ContextSettings()
        for (name, value) in [("dialect", key.dialect), ("update", key.update), ("level", key.level)] where !value.isEmpty {
            if let problem = flags.set(name, value.split(separator: ",").map(String.init)) {
                return .failure(RenderError(.invalidRequest, nil, "\"\(name)\": \(problem)"))
            }
        }
        switch Compiler.compile(TemplateSource(path: "<request>", key.template), flags: flags) {
        case .success(let t): return .success(t)
        case .failure(let f):
            let locator = SourceLocator(f.analysis.template.source)
            let errors = f.diagnostics.filter { $0.severity == .error }
            let first = errors.first
            let message = errors.prefix(3).map { d -> String in
                let l = locator.location(d.span.start)
                return "\(l.line):\(l.column): \(d.severity.rawValue)[\(d.code)]: \(d.message)"
            }.joined(separator: "; ")
            return .failure(RenderError(code: first?.code ?? DiagnosticCode.unescapableContext.id, variable: nil,
                                        message: "the template does not compile: \(message)"))
        }
    }
}

extension RenderValues {
    /// Values from a JSON object: `{"table": "orders", "description": "…", "tags": [["k", "v"], …]}`.
    /// Unknown names, non-string values and lone surrogates are refused, each by name.
    public init(json: JSONDocument) throws(RenderError) {
        guard let object = json.objectValue else {
            throw RenderError(.invalidRequest, nil, "\"vars\" must be an object of variable names to strings")
        }
        var values: [Variable: String] = [:]
        var tags: [(key: String, value: String)] = []
        values.reserveCapacity(object.count)
        // Unknown names first, then the values in name order: with several problems, the answer
        // names the same one every time (a dictionary's order differs from one instance to the next).
        if let unknown = object.keys.filter({ Variable(name: $0) == nil }).min() {
            throw RenderValues.unknown(unknown)
        }
        for name in object.keys.sorted() {
            let value = object[name]!
            guard let v = Variable(name: name) else { throw RenderValues.unknown(name) }
            if v == .tags {
                guard let list = value.arrayValue else {
                    throw RenderError(.invalidRequest, .tags, "\"tags\" must be a list of [key, value] pairs")
                }
                for pair in list {
                    guard let kv = pair.arrayValue, kv.count == 2 else {
                        throw RenderError(.invalidRequest, .tags, "\"tags\" must be a list of [key, value] pairs")
                    }
                    tags.append((try RenderValues.text(kv[0], .tags), try RenderValues.text(kv[1], .tags)))
                }
                continue
            }
            values[v] = try RenderValues.text(value, v)
        }
        self.init(values, tags: tags)
    }

    static func unknown(_ name: String) -> RenderError {
        let hint = Variable.suggestion(for: name).map { " (did you mean `\($0.0.rawValue)`?)" } ?? ""
        return RenderError(.invalidRequest, nil, "unknown variable `\(name)`\(hint): the variables are \(Variable.allCases.map(\.rawValue).joined(separator: ", "))")
    }

    static func text(_ value: JSONDocument, _ v: Variable) throws(RenderError) -> String {
        switch value {
        case .string(let s): return s
        case .invalidString:
            throw RenderError(.invalidUnicodeInValue, v, "{\(v.rawValue)} holds a lone UTF-16 surrogate (a \\uD800–\\uDFFF escape without its pair): it is not text and cannot be encoded in UTF-8; fix the value at its source")
        default:
            throw RenderError(.invalidRequest, v, "{\(v.rawValue)} must be a JSON string")
        }
    }
}
