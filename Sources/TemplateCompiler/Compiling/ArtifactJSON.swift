/// The compiled artifact's JSON form. One mapping (to and from `JSONDocument`) defines it; `Codable`
/// goes through the same mapping, so Foundation's encoder with `.sortedKeys` and `jsonText` write
/// the same document.
extension CompiledTemplate {
    /// The artifact as deterministic JSON: sorted keys, no timestamps, no whitespace.
    public var jsonText: String { json.text }

    /// Reads an artifact; refuses other format versions and malformed documents (RND314).
    public init(jsonText: String) throws(RenderError) {
        let value: JSONDocument
        do {
            value = try JSONDocument.parse(jsonText)
        } catch {
            throw RenderError(.unsupportedArtifact, nil, "the compiled template is not JSON (\(error)): recompile it with `templatec compile`")
        }
        try self.init(json: value)
    }

    public var json: JSONDocument {
        var document: [String: JSONDocument] = [
            "version": .number(Double(version)),
            "sourceHash": .string(sourceHash),
            "dialect": .string(dialect.rawValue),
            "options": .object([
                "standardConformingStrings": .bool(options.standardConformingStrings),
                "noBackslashEscapes": .bool(options.noBackslashEscapes),
                "guardVariableSubstitution": .bool(options.guardVariableSubstitution),
                "identifierQuoting": .string(options.identifierQuoting.rawValue),
                "normalizeLabels": .bool(options.normalizeLabels),
            ]),
            "context": .object([
                "updates": .array(context.updates.map { .string($0.rawValue) }),
                "levels": .array(context.levels.map { .string($0.rawValue) }),
                "inferred": .bool(context.inferred),
            ]),
            "names": names.json,
            "segments": .array(segments.map { s in
                switch s {
                case .text(let t): return .object(["text": .string(t)])
                case .hole(let h): return .object(["hole": h.json])
                }
            }),
        ]
        // Only where the dialect has them: other artifacts stay as they were.
        if let p = principals { document["principals"] = p.json }
        return .object(document)
    }

    public init(json: JSONDocument) throws(RenderError) {
        guard case .object = json else { throw ArtifactReader.bad("the document is not a JSON object") }
        guard let version = json["version"]?.intValue else {
            throw ArtifactReader.bad("it has no `version`: it is not a templatec compiled template")
        }
        guard version == CompiledTemplate.formatVersion else {
            throw RenderError(.unsupportedArtifact, nil, "the compiled template has format version \(version), but this templatec reads version \(CompiledTemplate.formatVersion): recompile the template with this templatec (`templatec compile`)")
        }
        let r = ArtifactReader()
        let dialectName = try r.string(json, "dialect")
        guard let dialect = DialectID(rawValue: dialectName) else { throw ArtifactReader.bad("unknown dialect `\(dialectName)`") }
        let o = try r.object(json, "options")
        guard let quoting = IdentifierQuoting(rawValue: try r.string(o, "identifierQuoting")) else {
            throw ArtifactReader.bad("unknown identifierQuoting")
        }
        let options = DialectOptions(
            standardConformingStrings: try r.bool(o, "standardConformingStrings"),
            noBackslashEscapes: try r.bool(o, "noBackslashEscapes"),
            guardVariableSubstitution: try r.bool(o, "guardVariableSubstitution"),
            identifierQuoting: quoting, normalizeLabels: try r.bool(o, "normalizeLabels"))
        let c = try r.object(json, "context")
        let context = UpdateContext(
            updates: try r.strings(c, "updates").map { (s) throws(RenderError) -> UpdateKind in try r.enumValue(s, "update") },
            levels: try r.strings(c, "levels").map { (s) throws(RenderError) -> Level in try r.enumValue(s, "level") },
            inferred: try r.bool(c, "inferred"))
        let names = try NameRules(json: try r.object(json, "names"), r)
        let principals: NameRules? = json["principals"] == nil ? nil : try NameRules(json: try r.object(json, "principals"), r)
        var segments: [Segment] = []
        for s in try r.array(json, "segments") {
            if let t = s["text"]?.stringValue {
                segments.append(.text(t))
            } else if let h = s["hole"] {
                segments.append(.hole(try Hole(json: h, r)))
            } else {
                throw ArtifactReader.bad("a segment is neither text nor a hole")
            }
        }
        self.init(sourceHash: try r.string(json, "sourceHash"), dialect: dialect, options: options, context: context,
                  names: names, principals: principals, segments: segments)
    }

    // MARK: Codable, through the JSON mapping

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        let value = try JSONDocument(from: decoder)
        do {
            try self.init(json: value)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }
}

/// Field access with errors that say what is wrong with the artifact.
struct ArtifactReader {
    static func bad(_ why: String) -> RenderError {
        RenderError(.unsupportedArtifact, nil, "the compiled template is malformed: \(why); recompile it with `templatec compile`")
    }

    func field(_ o: JSONDocument, _ key: String) throws(RenderError) -> JSONDocument {
        guard let v = o[key] else { throw ArtifactReader.bad("`\(key)` is missing") }
        return v
    }
    func string(_ o: JSONDocument, _ key: String) throws(RenderError) -> String {
        guard let v = try field(o, key).stringValue else { throw ArtifactReader.bad("`\(key)` is not a string") }
        return v
    }
    func optionalString(_ o: JSONDocument, _ key: String) throws(RenderError) -> String? {
        guard let v = o[key], v != .null else { return nil }
        guard let s = v.stringValue else { throw ArtifactReader.bad("`\(key)` is not a string") }
        return s
    }
    func bool(_ o: JSONDocument, _ key: String) throws(RenderError) -> Bool {
        guard let v = try field(o, key).boolValue else { throw ArtifactReader.bad("`\(key)` is not true or false") }
        return v
    }
    func int(_ o: JSONDocument, _ key: String) throws(RenderError) -> Int {
        guard let v = try field(o, key).intValue else { throw ArtifactReader.bad("`\(key)` is not an integer") }
        return v
    }
    func array(_ o: JSONDocument, _ key: String) throws(RenderError) -> [JSONDocument] {
        guard let v = try field(o, key).arrayValue else { throw ArtifactReader.bad("`\(key)` is not an array") }
        return v
    }
    func strings(_ o: JSONDocument, _ key: String) throws(RenderError) -> [String] {
        var out: [String] = []
        for v in try array(o, key) {
            guard let s = v.stringValue else { throw ArtifactReader.bad("`\(key)` holds a non-string") }
            out.append(s)
        }
        return out
    }
    func object(_ o: JSONDocument, _ key: String) throws(RenderError) -> JSONDocument {
        let v = try field(o, key)
        guard case .object = v else { throw ArtifactReader.bad("`\(key)` is not an object") }
        return v
    }
    func enumValue<E: RawRepresentable>(_ s: String, _ what: String) throws(RenderError) -> E where E.RawValue == String {
        guard let e = E(rawValue: s) else { throw ArtifactReader.bad("unknown \(what) `\(s)`") }
        return e
    }
    func byte(_ o: JSONDocument, _ key: String) throws(RenderError) -> UInt8 {
        let s = try string(o, key)
        guard s.utf8.count == 1, let b = s.utf8.first, b < 0x80 else { throw ArtifactReader.bad("`\(key)` is not one ASCII character") }
        return b
    }
}

extension ByteSet {
    /// The members, as a string of ASCII characters in byte order.
    var members: String {
        var s = ""
        for b in UInt8(0)..<128 where contains(b) { s.unicodeScalars.append(UnicodeScalar(b)) }
        return s
    }
}

extension NameRules {
    var json: JSONDocument {
        var document: [String: JSONDocument] = [
            "plainStart": .string(plainStart.members),
            "plainContinue": .string(plainContinue.members),
            "plainAllowsNonASCII": .bool(plainAllowsNonASCII),
            "folding": .string(folding.rawValue),
            "maxLength": .number(Double(maxLength)),
            "lengthUnit": .string(lengthUnit.rawValue),
            "reserved": .array(reserved.sorted().map { .string($0) }),
            "forbidden": .array(forbidden.map { f in
                var entry: [String: JSONDocument] = ["text": .string(f.text), "reason": .string(f.reason)]
                // Only where the rule is per variable: other artifacts stay as they were.
                if let v = f.variables { entry["variables"] = .array(v.map(\.rawValue).sorted().map { .string($0) }) }
                return .object(entry)
            }),
            "strictPattern": strictPattern.map { .string($0) } ?? .null,
            "allowsSupplementaryCharacters": .bool(allowsSupplementaryCharacters),
            "allowsControlCharacters": .bool(allowsControlCharacters),
            "allowsTrailingSpace": .bool(allowsTrailingSpace),
        ]
        // Only where the dialect has the rule (T-SQL): other artifacts stay as they were.
        if plainNonASCIIOnlyLetters { document["plainNonASCIIOnlyLetters"] = .bool(true) }
        return .object(document)
    }

    init(json o: JSONDocument, _ r: ArtifactReader) throws(RenderError) {
        var forbidden: [ForbiddenText] = []
        for f in try r.array(o, "forbidden") {
            var variables: Set<Variable>? = nil
            if f["variables"] != nil {
                variables = Set(try r.strings(f, "variables").map { (s) throws(RenderError) -> Variable in try r.enumValue(s, "variable") })
            }
            forbidden.append(ForbiddenText(try r.string(f, "text"), try r.string(f, "reason"), variables: variables))
        }
        self.init(plainStart: ByteSet(try r.string(o, "plainStart")), plainContinue: ByteSet(try r.string(o, "plainContinue")),
                  plainAllowsNonASCII: try r.bool(o, "plainAllowsNonASCII"), folding: try r.enumValue(try r.string(o, "folding"), "folding"),
                  maxLength: try r.int(o, "maxLength"), lengthUnit: try r.enumValue(try r.string(o, "lengthUnit"), "length unit"),
                  reserved: Set(try r.strings(o, "reserved")), forbidden: forbidden, strictPattern: try r.optionalString(o, "strictPattern"),
                  allowsSupplementaryCharacters: try r.bool(o, "allowsSupplementaryCharacters"),
                  allowsControlCharacters: try r.bool(o, "allowsControlCharacters"),
                  allowsTrailingSpace: try r.bool(o, "allowsTrailingSpace"))
        if o["plainNonASCIIOnlyLetters"] != nil { plainNonASCIIOnlyLetters = try r.bool(o, "plainNonASCIIOnlyLetters") }
    }
}

extension QuotedForm {
    var json: JSONDocument {
        .object([
            "open": .string(open),
            "close": .string(closeText),
            "quoteWithBackslash": .bool(quoteWithBackslash),
            "backslashEscapes": .bool(backslashEscapes),
            "backslashed": .string(backslashed),
            "controls": .string(controls.rawValue),
            "refusesBackslashNewline": .bool(refusesBackslashNewline),
        ])
    }

    init(json o: JSONDocument, _ r: ArtifactReader) throws(RenderError) {
        let closeText = try r.string(o, "close")
        guard let close = closeText.utf8.first, close < 0x80, closeText.utf8.allSatisfy({ $0 == close }) else {
            throw ArtifactReader.bad("`close` is not a quote")
        }
        self.init(open: try r.string(o, "open"), close: close, quoteWithBackslash: try r.bool(o, "quoteWithBackslash"),
                  backslashEscapes: try r.bool(o, "backslashEscapes"), backslashed: try r.string(o, "backslashed"),
                  controls: try r.enumValue(try r.string(o, "controls"), "control escaping"),
                  refusesBackslashNewline: try r.bool(o, "refusesBackslashNewline"))
        self.closeText = closeText
    }
}

extension Hole {
    var json: JSONDocument {
        var o: [String: JSONDocument] = ["variable": .string(variable.rawValue), "escaper": escaper.json]
        if let l = limit {
            o["limit"] = .object(["maximum": .number(Double(l.maximum)), "unit": .string(l.unit.rawValue), "what": .string(l.what)])
        }
        if let g = limitGroup { o["limitGroup"] = .number(Double(g)) }
        return .object(o)
    }

    init(json o: JSONDocument, _ r: ArtifactReader) throws(RenderError) {
        let variable: Variable = try r.enumValue(try r.string(o, "variable"), "variable")
        var limit: TextLimit? = nil
        if let l = o["limit"] {
            limit = TextLimit([variable], maximum: try r.int(l, "maximum"), unit: try r.enumValue(try r.string(l, "unit"), "unit"),
                              what: try r.string(l, "what"))
        }
        let group: Int? = o["limitGroup"] == nil ? nil : try r.int(o, "limitGroup")
        self.init(variable: variable, escaper: try Escaper(json: try r.object(o, "escaper"), r), limit: limit, limitGroup: group)
    }
}

extension Escaper {
    var json: JSONDocument {
        switch self {
        case .literal(let f): return .object(["kind": .string("literal"), "form": f.json])
        case .literalContents(let f): return .object(["kind": .string("literal-contents"), "form": f.json])
        case .dollarQuoted(let tag): return .object(["kind": .string("dollar-quoted"), "tag": .string(tag)])
        case .name(let f, let always): return .object(["kind": .string("name"), "form": f.json, "alwaysQuote": .bool(always)])
        case .nameContents(let f): return .object(["kind": .string("name-contents"), "form": f.json])
        case .gluedName(let atStart): return .object(["kind": .string("glued-name"), "atWordStart": .bool(atStart)])
        case .tagList(let t):
            return .object([
                "kind": .string("tag-list"), "style": .string(t.style.rawValue), "keysOnly": .bool(t.keysOnly),
                "form": t.literal.json, "normalize": .bool(t.normalize),
                "rules": .object([
                    "maxCount": .number(Double(t.rules.maxCount)), "keyMinLength": .number(Double(t.rules.keyMinLength)),
                    "keyMaxLength": .number(Double(t.rules.keyMaxLength)), "valueMaxLength": .number(Double(t.rules.valueMaxLength)),
                    "charset": .string(t.rules.charset.rawValue), "keyStartsWithLetter": .bool(t.rules.keyStartsWithLetter),
                    "forbiddenKeyCharacters": .string(t.rules.forbiddenKeyCharacters), "allowsEmpty": .bool(t.rules.allowsEmpty),
                    "what": .string(t.rules.what),
                ]),
            ])
        }
    }

    init(json o: JSONDocument, _ r: ArtifactReader) throws(RenderError) {
        let kind = try r.string(o, "kind")
        switch kind {
        case "literal": self = .literal(try QuotedForm(json: try r.object(o, "form"), r))
        case "literal-contents": self = .literalContents(try QuotedForm(json: try r.object(o, "form"), r))
        case "dollar-quoted": self = .dollarQuoted(tag: try r.string(o, "tag"))
        case "name": self = .name(try QuotedForm(json: try r.object(o, "form"), r), alwaysQuote: try r.bool(o, "alwaysQuote"))
        case "name-contents": self = .nameContents(try QuotedForm(json: try r.object(o, "form"), r))
        case "glued-name": self = .gluedName(atWordStart: try r.bool(o, "atWordStart"))
        case "tag-list":
            let rr = try r.object(o, "rules")
            let rules = TagRules(maxCount: try r.int(rr, "maxCount"), keyMinLength: try r.int(rr, "keyMinLength"),
                                 keyMaxLength: try r.int(rr, "keyMaxLength"), valueMaxLength: try r.int(rr, "valueMaxLength"),
                                 charset: try r.enumValue(try r.string(rr, "charset"), "charset"),
                                 keyStartsWithLetter: try r.bool(rr, "keyStartsWithLetter"),
                                 forbiddenKeyCharacters: try r.string(rr, "forbiddenKeyCharacters"),
                                 allowsEmpty: try r.bool(rr, "allowsEmpty"), what: try r.string(rr, "what"))
            self = .tagList(TagListForm(style: try r.enumValue(try r.string(o, "style"), "tag list style"),
                                        keysOnly: try r.bool(o, "keysOnly"), literal: try QuotedForm(json: try r.object(o, "form"), r),
                                        rules: rules, normalize: try r.bool(o, "normalize")))
        default:
            throw ArtifactReader.bad("unknown escaper kind `\(kind)`")
        }
    }
}
