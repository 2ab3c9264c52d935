// libFuzzer entry for `templatec match -`'s reader of JSON lines (MatchService). Build (with
// Sources/TemplateCompiler/**/*.swift): scripts/fuzz.sh 60 MatchLineFuzz.
// The service answers most lines on fast paths: a one-pass reader of compact ASCII `{"sql":"…"}`
// lines, a reader of `{"sql": …}` with escapes, and the matcher's byte-level canonical path whose
// values are written straight to JSON. Invariant: every line gets exactly the answer of the
// straightforward reading (the general JSON parser, then the general matcher), byte for byte.
// The fuzz bytes are tried as a raw line, as the SQL of a request (compact, with `\u` escapes,
// spaced, with an id) and as a value rendered into each template and sent as such a request.
// Any difference traps.

private let lineTemplates: [(DialectID, String)] = [
    (.postgres, "COMMENT ON TABLE {schema}.{table} IS {description};"),
    (.postgres, "COMMENT ON TABLE {schema}.{table} IS 'Synced: {description}';"),
    (.postgres, "COMMENT ON TABLE {table} IS $tc${description}$tc$; COMMENT ON TABLE {table} IS E{description};"),
    (.mysql, "ALTER TABLE `{schema}`.`{table}` COMMENT = {description};"),
    (.bigquery, "ALTER TABLE `{table}` SET OPTIONS (description = \"{description}\");"),
    (.mssql, "EXEC sp_addextendedproperty @name = N'MS_Description', @value = {description};"),
    (.clickhouse, "ALTER TABLE \"{table}\" MODIFY COMMENT {description};"),
    (.databricks, "ALTER TABLE {table} SET TAGS {tags};"),
]

private struct LineCase {
    let template: CompiledTemplate
    let fast: MatchService
    let straightforward: MatchService
}

private let lineCases: [LineCase] = lineTemplates.map { id, text in
    var flags = ContextSettings(dialect: id, updates: [.description, .tags], levels: [.table])
    flags.dialect = id
    let analysis = Analyzer.analyze(TemplateSource("-- templatec: dialect=\(id.rawValue)\n" + text), flags: flags, rules: RuleSet.placeholderRules)
    guard let t = Compiler.compile(analysis) else { fatalError("fuzz template does not compile: \(text)") }
    return LineCase(template: t, fast: MatchService(try! t.matcher()), straightforward: MatchService(try! TemplateMatcher(t, fastPath: false)))
}

// One per template, reused from input to input as the command reuses one per worker (libFuzzer runs one input at a time).
nonisolated(unsafe) private var workspaces: [MatchService.Workspace] = lineCases.map { MatchService.Workspace(for: $0.fast) }

@_cdecl("LLVMFuzzerTestOneInput")
public func matchLineFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    // The fuzz bytes as a line, and as SQL: against every template.
    for line in [bytes] + requests(text) {
        for k in lineCases.indices { same(k, line) }
    }
    // A value rendered into each template (mostly matches): against that template.
    for (k, c) in lineCases.enumerated() {
        var values = RenderValues([.schema: "s", .table: k % 2 == 0 ? text : "t", .description: text])
        values.tags = [(text, text), ("k", "v")]
        guard let sql = try? c.template.render(values) else { continue }
        for line in requests(sql) + requests(sql.uppercased()) { same(k, line) }
    }
    return 0
}

/// `{"sql": …}` requests for some SQL, written the ways a client may write them.
private func requests(_ sql: String) -> [[UInt8]] {
    var compact = Array(#"{"sql":"#.utf8)
    JSONDocument.writeString(sql, into: &compact)
    compact.append(UInt8(ascii: "}"))
    var escaped = Array(#"{"sql":""#.utf8)
    for u in sql.utf16 {
        if u >= 0x20 && u < 0x7F && u != 0x22 && u != 0x5C {
            escaped.append(UInt8(u))
        } else {
            let hex = Array("0123456789abcdef".utf8)
            escaped += [0x5C, UInt8(ascii: "u"), hex[Int(u >> 12)], hex[Int(u >> 8 & 15)], hex[Int(u >> 4 & 15)], hex[Int(u & 15)]]
        }
    }
    escaped += Array(#""}"#.utf8)
    let spaced = Array(" { \"sql\" : ".utf8) + compact.dropFirst(7).dropLast() + Array(" } ".utf8)
    let withID = Array(#"{"id":7,"sql":"#.utf8) + compact.dropFirst(7)
    return [compact, escaped, spaced, withID]
}

private func same(_ k: Int, _ line: [UInt8]) {
    var fast: [UInt8] = [], reference: [UInt8] = []
    line.withUnsafeBufferPointer { b in
        lineCases[k].fast.respond(to: b, into: &fast, workspace: &workspaces[k])
        lineCases[k].straightforward.respondByParsing(b, into: &reference)
    }
    guard fast == reference else {
        fatalError("""
        invariant broken: the fast answer differs from the straightforward one
          line: \(String(decoding: line, as: UTF8.self).debugDescription)
          fast: \(String(decoding: fast, as: UTF8.self))
          reference: \(String(decoding: reference, as: UTF8.self))
        """)
    }
}
