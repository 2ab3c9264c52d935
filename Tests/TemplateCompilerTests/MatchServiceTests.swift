import XCTest
@testable import TemplateCompiler

/// `templatec match -` answers most lines on fast paths (a one-pass reader of compact ASCII
/// `{"sql":"…"}` lines, the escaped-request reader, the byte-level canonical matcher writing its
/// values straight to JSON, one workspace reused line after line). Every answer must be the
/// straightforward one (general JSON parser, general matcher) byte for byte; MatchLineFuzz holds
/// the same on fuzzed lines.
final class MatchServiceTests: XCTestCase {
    static let templates: [(DialectID, String)] = [
        (.postgres, "COMMENT ON TABLE {schema}.{table} IS {description};"),
        (.postgres, "COMMENT ON TABLE {schema}.{table} IS 'Synced: {description}';"),
        (.postgres, "COMMENT ON TABLE {table} IS {description}; COMMENT ON TABLE {table} IS E{description};"),
        (.mysql, "ALTER TABLE `{schema}`.`{table}` COMMENT = {description};"),
        (.bigquery, "ALTER TABLE `{table}` SET OPTIONS (description = \"{description}\");"),
        (.mssql, "EXEC sp_addextendedproperty @name = N'MS_Description', @value = {description};"),
        (.databricks, "ALTER TABLE {table} SET TAGS {tags};"),
    ]

    static let values = ["it's", "plain", "", "back\\slash \\' ''", "line\nbreak\ttab", "café 日本 🎉", "cafe\u{301}", "\u{2028}",
                         "\"quoted\"", "$tc$ x", "{braces}", "\u{1}ctl", "-- x */"]

    func compile(_ id: DialectID, _ text: String) throws -> CompiledTemplate {
        var flags = ContextSettings(dialect: id, updates: [.description, .tags], levels: [.table])
        flags.dialect = id
        let analysis = Analyzer.analyze(TemplateSource("-- templatec: dialect=\(id.rawValue)\n" + text), flags: flags, rules: RuleSet.placeholderRules)
        return try XCTUnwrap(Compiler.compile(analysis), text)
    }

    /// Rendered statements, statements changed by hand (case, spacing, comments, a trailing
    /// statement, an escape of another spelling, cut short) and other statements.
    func statements(_ t: CompiledTemplate) -> [String] {
        var out = ["SELECT 1", "COMMENT ON COLUMN s.t.c IS 'x';", "COMMENT ON TABLE s.t IS 'unterminated", "", "  "]
        for (k, v) in MatchServiceTests.values.enumerated() {
            var values = RenderValues([.schema: k % 3 == 0 ? "Sales" : "s", .table: k % 2 == 0 ? v : "t", .description: v])
            values.tags = [(v, v), ("k", "v")]
            guard let sql = try? t.render(values) else { continue }
            out += [sql, sql.lowercased(), "  " + sql + " ", sql.replacingFirst(" ", with: " /* c */ "), sql + "; DROP TABLE t",
                    String(sql.dropLast()), String(sql.prefix(sql.count / 2)), sql.replacingFirst("''", with: "\\'")]
        }
        return out
    }

    /// The ways a client may write a request, and lines that are no request.
    func lines(_ sql: String) -> [[UInt8]] {
        var compact = Array(#"{"sql":"#.utf8)
        JSONDocument.writeString(sql, into: &compact)
        compact.append(UInt8(ascii: "}"))
        var escaped = Array(#"{"sql":""#.utf8)
        for u in sql.utf16 {
            if u >= 0x20 && u < 0x7F && u != 0x22 && u != 0x5C { escaped.append(UInt8(u)); continue }
            escaped += Array("\\u".utf8) + Array(String(u, radix: 16).leftPadded(to: 4).utf8)
        }
        escaped += Array(#""}"#.utf8)
        let body = Array(compact.dropFirst(7).dropLast())
        return [compact, escaped, Array(" { \"sql\" : ".utf8) + body + Array(" } ".utf8), Array(#"{"id":7,"sql":"#.utf8) + body + [0x7D],
                Array(#"{"sql":"#.utf8) + body + Array(#","id":"a"}"#.utf8), compact.dropLast(), compact + Array("x".utf8),
                Array(#"{"sql":"#.utf8) + body + Array(#","sql":"b"}"#.utf8)]
    }

    static let oddLines: [[UInt8]] = [Array(#"{"sql":"COMMENT ON TABLE s.t IS '"#.utf8) + [0xFF] + Array(#"';"}"#.utf8),
                                      Array(#"{"sql":"\ud800"}"#.utf8), Array(#"{"sql":1}"#.utf8), Array("[1]".utf8), Array("{}".utf8),
                                      Array("not json".utf8), Array("{\"sql\":\"tab\there\"}".utf8), Array(#"{"sql":null}"#.utf8), []]

    func testEveryLineIsAnsweredAsTheStraightforwardReadingAnswersIt() throws {
        var compared = 0, fastMatches = 0
        for (id, text) in MatchServiceTests.templates {
            let t = try compile(id, text)
            let fast = MatchService(try t.matcher())
            let straightforward = MatchService(try TemplateMatcher(t, fastPath: false))
            var workspace = MatchService.Workspace(for: fast)
            for line in statements(t).flatMap(lines) + MatchServiceTests.oddLines {
                var answer: [UInt8] = [], expected: [UInt8] = []
                line.withUnsafeBufferPointer { b in
                    fast.respond(to: b, into: &answer, workspace: &workspace)
                    straightforward.respondByParsing(b, into: &expected)
                }
                XCTAssertEqual(String(decoding: answer, as: UTF8.self), String(decoding: expected, as: UTF8.self),
                               "\(text) on \(String(decoding: line, as: UTF8.self).debugDescription)")
                compared += 1
                if answer.starts(with: Array(#"{"matched":true"#.utf8)) { fastMatches += 1 }
            }
        }
        // The comparison covers matches, not only refusals.
        XCTAssertGreaterThan(compared, 2000)
        XCTAssertGreaterThan(fastMatches, 300)
    }

    func testTheCompactReaderTakesOnlyPlainASCIIRequests() {
        func range(_ s: String) -> Range<Int>? { Array(s.utf8).withUnsafeBufferPointer { MatchService.plainASCIIRequest($0) } }
        XCTAssertEqual(range(#"{"sql":"SELECT 1"}"#), 8..<16)
        XCTAssertEqual(range(#"{"sql":""}"#), 8..<8)
        for other in [#"{"sql":"a\"b"}"#, #"{"sql":"a"b"}"#, "{\"sql\":\"é\"}", "{\"sql\":\"\t\"}", #" {"sql":"a"}"#, #"{"sql":"a"} "#, #"{"sql":"a"}x"#] {
            XCTAssertNil(range(other), other)
        }
    }
}

private extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = range(of: target) else { return self }
        return replacingCharacters(in: r, with: replacement)
    }

    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
