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

    public init(_ matcher: TemplateMatcher) {
        self.matcher = matcher
    }

    /// Answers one request line (without its line end) into `out`, without a line end.
    public func respond(to line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        if let sql = MatchService.plainRequest(line) {
            MatchService.write(matcher.match(sql), id: nil, vars: matcher.variables, into: &out)
            return
        }
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

    /// `{"sql": "…"}` and nothing else, read without building a document; nil for anything
    /// else (the general parser answers it, errors included).
    static func plainRequest(_ b: UnsafeBufferPointer<UInt8>) -> String? {
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
        guard p.i < b.count, b[p.i] == 0x22, let (sql, valid) = try? p.string(), valid else { return nil }
        p.skipSpace()
        guard p.i < b.count, b[p.i] == UInt8(ascii: "}") else { return nil }
        p.i += 1
        p.skipSpace()
        return p.i == b.count ? sql : nil
    }

    /// The answer to one match, as one JSON object (the command prints the same for `--sql`).
    public static func write(_ result: Result<TemplateMatch, MatchFailure>, id: JSONDocument?, vars: [Variable], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let id {
            out += Array("\"id\":".utf8)
            id.write(into: &out)
            out.append(UInt8(ascii: ","))
        }
        switch result {
        case .success(let m):
            out += Array("\"matched\":true,\"vars\":{".utf8)
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
                out += Array(",\"folded\":[".utf8)
                for (k, f) in m.foldedNames.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    out += Array("{\"variable\":".utf8)
                    JSONDocument.writeString(f.variable.rawValue, into: &out)
                    out += Array(",\"written\":".utf8)
                    JSONDocument.writeString(f.written, into: &out)
                    out.append(UInt8(ascii: "}"))
                }
                out.append(UInt8(ascii: "]"))
            }
            if !m.ambiguous.isEmpty {
                out += Array(",\"ambiguous\":[".utf8)
                for (k, v) in m.ambiguous.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    JSONDocument.writeString(v.rawValue, into: &out)
                }
                out.append(UInt8(ascii: "]"))
            }
        case .failure(let f):
            out += Array("\"matched\":false,\"reason\":".utf8)
            JSONDocument.writeString(f.reason, into: &out)
            out += Array(",\"line\":\(f.line),\"column\":\(f.column)".utf8)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func writeError(_ message: String, id: JSONDocument?, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let id {
            out += Array("\"id\":".utf8)
            id.write(into: &out)
            out.append(UInt8(ascii: ","))
        }
        out += Array("\"matched\":false,\"error\":".utf8)
        JSONDocument.writeString(message, into: &out)
        out.append(UInt8(ascii: "}"))
    }
}
