/// `templatec match TEMPLATE -`: one JSON request per line (`{"sql": "…"}`, optionally with an
/// `"id"` echoed first in the answer), one JSON answer per line. A pure function of the line, so
/// the command only reads and writes.
///
///     {"matched":true,"vars":{"schema":"s","table":"t","description":"it's"}}
///     {"matched":true,"vars":{…},"folded":[{"variable":"table","written":"MyTable"}]}
///     {"matched":false,"reason":"expected `TABLE`, found `COLUMN`","line":1,"column":12}
///     {"matched":false,"error":"invalid JSON at byte 9: …"}
public struct MatchService: Sendable {
    public let matcher: TemplateMatcher
    /// `{"matched":true,"vars":{"v1":` and `,"v2":`…: the fixed text around each value of a fast
    /// path match, written once here rather than per line.
    let keyTexts: [[UInt8]]

    public init(_ matcher: TemplateMatcher) {
        self.matcher = matcher
        keyTexts = matcher.variables.enumerated().map { k, v in
            var text = Array((k == 0 ? #"{"matched":true,"vars":{"# : ",").utf8)
            JSONDocument.writeString(v.rawValue, into: &text)
            text.append(UInt8(ascii: ":"))
            return text
        }
    }

    /// What one worker reuses from line to line (the fast path's value places and decoded bytes),
    /// so answering a log allocates nothing per line on the fast path.
    public struct Workspace {
        var values: CanonicalFastPath.SlotValues

        public init(for service: MatchService) {
            values = CanonicalFastPath.SlotValues(count: service.matcher.variables.count, reserving: 4096)
            // `answer` is given only SQL the readers checked to be valid UTF-8.
            values.sqlIsValidUTF8 = true
        }
    }

    /// Answers one request line (without its line end) into `out`, without a line end.
    public func respond(to line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var workspace = Workspace(for: self)
        respond(to: line, into: &out, workspace: &workspace)
    }

    /// Answers one request line, reusing `workspace` (one per thread).
    public func respond(to line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], workspace: inout Workspace) {
        if let range = MatchService.plainASCIIRequest(line) {
            return answer(UnsafeBufferPointer(rebasing: line[range]), into: &out, &workspace)
        }
        switch MatchService.plainRequest(line) {
        case .inLine(let range):
            return answer(UnsafeBufferPointer(rebasing: line[range]), into: &out, &workspace)
        case .decoded(let bytes):
            return bytes.withUnsafeBufferPointer { answer($0, into: &out, &workspace) }
        case nil:
            break
        }
        respondByParsing(line, into: &out)
    }

    /// The straightforward reading of a request: the general JSON parser, then `matcher.match`.
    /// The fast readers above answer every line exactly as this does with a matcher without its
    /// fast path (MatchLineFuzz and MatchServiceTests compare them).
    func respondByParsing(_ line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let request: JSONDocument
        do {
            request = try JSONDocument.parse(line)
        } catch {
            return MatchService.writeError(error.description, id: nil, into: &out)
        }
        guard request.objectValue != nil else {
            return MatchService.writeError("a request is a JSON object: {\"sql\": \"…\"}", id: nil, into: &out)
        }
        let id = request["id"]
        guard let sql = request["sql"]?.stringValue else {
            return MatchService.writeError("the request has no \"sql\" string: {\"sql\": \"…\"}", id: id, into: &out)
        }
        MatchService.write(matcher.match(sql), id: id, vars: matcher.variables, into: &out)
    }

    /// The answer to SQL given as valid UTF-8 (the fast path's values are its bytes).
    func answer(_ sql: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], _ workspace: inout Workspace) {
        guard matcher.matchCanonical(utf8: sql, into: &workspace.values) else {
            return MatchService.write(matcher.generalMatch(sql), id: nil, vars: matcher.variables, into: &out)
        }
        // The fast path's values, written as `write` writes a match.
        let values = workspace.values
        for k in keyTexts.indices {
            out.append(contentsOf: keyTexts[k])
            _ = values.withBytes(values.places[k], in: sql) { JSONDocument.writeString(utf8: $0, into: &out) }
        }
        out.append(contentsOf: "}}".utf8)
    }

    /// The commonest request, `{"sql":"…"}` written compactly with ASCII SQL and no escape: the
    /// range of the SQL in the line, found in one pass; nil for anything else, which
    /// `plainRequest` and then the general parser answer.
    static func plainASCIIRequest(_ b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        let n = b.count
        guard n >= 10, b[0] == UInt8(ascii: "{"), b[1] == 0x22, b[2] == UInt8(ascii: "s"), b[3] == UInt8(ascii: "q"),
              b[4] == UInt8(ascii: "l"), b[5] == 0x22, b[6] == UInt8(ascii: ":"), b[7] == 0x22,
              b[n - 2] == 0x22, b[n - 1] == UInt8(ascii: "}") else { return nil }
        // A quote, a backslash, a control byte (not allowed raw in JSON) or a non-ASCII byte
        // inside: the slower readers decide.
        for i in 8..<(n - 2) {
            let c = b[i]
            if c < 0x20 || c >= 0x80 || c == 0x22 || c == 0x5C { return nil }
        }
        return 8..<(n - 2)
    }

    /// The SQL of a request that is `{"sql": "…"}` and nothing else: where it stands in the line
    /// when its JSON string has no escapes (and is ASCII or valid UTF-8), else decoded. nil for
    /// anything else: the general parser answers it, errors included.
    enum PlainSQL {
        case inLine(Range<Int>)
        case decoded([UInt8])
    }

    static func plainRequest(_ b: UnsafeBufferPointer<UInt8>) -> PlainSQL? {
        var p = JSONScanner(b)
        p.skipSpace()
        guard p.i < b.count, b[p.i] == UInt8(ascii: "{") else { return nil }
        p.i += 1
        p.skipSpace()
        guard p.i + 5 <= b.count, b[p.i] == 0x22, b[p.i + 1] == UInt8(ascii: "s"), b[p.i + 2] == UInt8(ascii: "q"),
              b[p.i + 3] == UInt8(ascii: "l"), b[p.i + 4] == 0x22 else { return nil }
        p.i += 5
        p.skipSpace()
        guard p.i < b.count, b[p.i] == UInt8(ascii: ":") else { return nil }
        p.i += 1
        p.skipSpace()
        guard p.i < b.count, b[p.i] == 0x22, let sql = try? p.string(as: SQLText.self) else { return nil }
        p.skipSpace()
        guard p.i < b.count, b[p.i] == UInt8(ascii: "}") else { return nil }
        p.i += 1
        p.skipSpace()
        guard p.i == b.count else { return nil }
        if let range = sql.raw {
            let raw = UnsafeBufferPointer(rebasing: b[range])
            guard JSONScanner.isValidUTF8(raw) else { return nil }
            return .inLine(range)
        }
        guard !sql.invalid, sql.decoded.withUnsafeBufferPointer({ JSONScanner.isValidUTF8($0) }) else { return nil }
        return .decoded(sql.decoded)
    }

    /// The answer to one match, as one JSON object (the command prints the same for `--sql`).
    public static func write(_ result: Result<TemplateMatch, MatchFailure>, id: JSONDocument?, vars: [Variable], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let id {
            out.append(contentsOf: "\"id\":".utf8)
            id.write(into: &out)
            out.append(UInt8(ascii: ","))
        }
        switch result {
        case .success(let m):
            out.append(contentsOf: "\"matched\":true,\"vars\":{".utf8)
            var first = true
            for v in vars {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONDocument.writeString(v.rawValue, into: &out)
                out.append(UInt8(ascii: ":"))
                if v == .tags {
                    out.append(UInt8(ascii: "["))
                    for (k, tag) in m.values.tags.enumerated() {
                        if k > 0 { out.append(UInt8(ascii: ",")) }
                        out.append(UInt8(ascii: "["))
                        JSONDocument.writeString(tag.key, into: &out)
                        out.append(UInt8(ascii: ","))
                        JSONDocument.writeString(tag.value, into: &out)
                        out.append(UInt8(ascii: "]"))
                    }
                    out.append(UInt8(ascii: "]"))
                } else {
                    JSONDocument.writeString(m.values[v] ?? "", into: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
            if !m.foldedNames.isEmpty {
                out.append(contentsOf: ",\"folded\":[".utf8)
                for (k, f) in m.foldedNames.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: "{\"variable\":".utf8)
                    JSONDocument.writeString(f.variable.rawValue, into: &out)
                    out.append(contentsOf: ",\"written\":".utf8)
                    JSONDocument.writeString(f.written, into: &out)
                    out.append(UInt8(ascii: "}"))
                }
                out.append(UInt8(ascii: "]"))
            }
            if !m.ambiguous.isEmpty {
                out.append(contentsOf: ",\"ambiguous\":[".utf8)
                for (k, v) in m.ambiguous.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    JSONDocument.writeString(v.rawValue, into: &out)
                }
                out.append(UInt8(ascii: "]"))
            }
        case .failure(let f):
            out.append(contentsOf: "\"matched\":false,\"reason\":".utf8)
            JSONDocument.writeString(f.reason, into: &out)
            out.append(contentsOf: ",\"line\":".utf8)
            appendDecimal(f.line, into: &out)
            out.append(contentsOf: ",\"column\":".utf8)
            appendDecimal(f.column, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A non-negative integer in decimal, without building a string.
    static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        guard value > 0 else { return out.append(UInt8(ascii: "0")) }
        let start = out.count
        var v = value
        while v > 0 {
            out.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        }
        out[start...].reverse()
    }

    static func writeError(_ message: String, id: JSONDocument?, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let id {
            out.append(contentsOf: "\"id\":".utf8)
            id.write(into: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: "\"matched\":false,\"error\":".utf8)
        JSONDocument.writeString(message, into: &out)
        out.append(UInt8(ascii: "}"))
    }
}

/// A JSON string read for its UTF-8 bytes: where it stands when it has no escapes, else decoded.
/// A struct with the bytes in place (not an enum payload taken out and put back per byte), and
/// escapes encoded without a string per escape: requests written by hand are full of `\"`.
struct SQLText: JSONStringDecoding {
    /// Where the string stands in the line, when it has no escapes.
    var raw: Range<Int>?
    var decoded: [UInt8] = []
    /// Half a surrogate pair was escaped: no text.
    var invalid = false

    init(raw: Range<Int>) { self.raw = raw }

    static func plain(_ raw: UnsafeBufferPointer<UInt8>, at offset: Int) -> SQLText { SQLText(raw: offset..<(offset + raw.count)) }

    init(prefix raw: UnsafeBufferPointer<UInt8>, at offset: Int) {
        decoded.reserveCapacity(raw.count + 64)
        decoded.append(contentsOf: raw)
    }

    mutating func append(_ byte: UInt8, at offset: Int) { decoded.append(byte) }

    mutating func append(escaped scalar: Unicode.Scalar, at offset: Int) {
        UTF8.encode(scalar) { decoded.append($0) }
    }

    mutating func finish(closingQuoteAt offset: Int, loneSurrogate: Bool) -> SQLText {
        if loneSurrogate { invalid = true }
        return self
    }
}
