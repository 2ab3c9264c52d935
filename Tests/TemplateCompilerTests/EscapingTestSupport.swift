import XCTest
@testable import TemplateCompiler

/// The relex property of the escaping contract: a rendered value comes back, when the SQL is lexed
/// again with the same dialect, as exactly one token of the expected kind whose decoded content is
/// the value, and the statement count is unchanged. Decoders here follow each engine's documented
/// escape syntax (docs/dialects.md), independently of the escapers.
enum Relex {
    /// Values that try every way out of a literal, an identifier or a statement.
    static let hostileValues: [String] = {
        var v = [
            "plain", "it's", "it''s", "'", "''", "\"", "\"\"", "`", "``", "]", "]]", "[x]", "\\", "\\\\", "ends with \\",
            "\\'", "'\\", "\\\"", "a\\nb", "line1\nline2", "cr\rlf\r\n", "\ttab", "\u{1}\u{1A}\u{1F}\u{7F}", "\u{8}\u{C}\u{B}",
            "-- comment", "/* open", "close */", "# hash", "#!", "// slashes", "$$", "$c$", "$tag$ x $tag$", "$", "a$", "$a",
            "{", "}", "{x}", "{{", "}}", "${x}", "$${x}", "';DROP TABLE x;--", "'); DROP TABLE x; --", "\\'; DROP TABLE x; --",
            "\"; DROP TABLE x; --", "`; DROP TABLE x; --", "]; DROP TABLE x; --", "\\\n", "\\\r\n", "😀 emoji", "日本語", "é",
            "\u{2028}\u{2029}", "N'x'", "E'x'", "q'[x]'", "%_", "\\%\\_", "\\0", "\\Z", "\\x41", "\\u0041", "?", ":x", "@x",
            "x.y", "x y", "x/y", "a;b", "\u{FEFF}bom", " trailing ", "UPPER", "lower", "select", "1abc", "_x",
        ]
        v.append(String(repeating: "a'b\\", count: 600))
        v.append(String(repeating: "é", count: 300))
        v.append("\u{0}nul")
        v.append("")
        return v
    }()

    struct Case {
        let template: String
        let variable: Variable
        let description: String
    }

    /// Templates covering every context a dialect has: bare text, every escapable string kind,
    /// national prefix, dollar quotes, every identifier quote, bare and glued names; for each set
    /// of statement rules (Athena: Hive DDL and Trino DML).
    static func cases(_ id: DialectID, options: DialectOptions = .default) -> [Case] {
        let dialect = Dialect.named(id, options: options)
        var out: [Case] = []
        var ruleSets: [(LexicalRules, String)] = [(dialect.lexical, "SELECT ")]
        if let ddl = dialect.ddlLexical { ruleSets.append((ddl, "ALTER TABLE x SET TBLPROPERTIES ('k' = ")) }
        for (rules, lead) in ruleSets {
            let close = lead.hasPrefix("ALTER") ? ")" : ""
            func add(_ body: String, _ v: Variable, _ what: String) {
                out.append(Case(template: "-- templatec: dialect=\(id.rawValue) update=description level=table\n\(lead)\(body)\(close);",
                                variable: v, description: "\(rules.name): \(what)"))
            }
            add("{description}", .description, "bare text")
            for kind in rules.strings where kind.escapable {
                let q = String(UnicodeScalar(kind.quote))
                let delim = kind.triple ? q + q + q : q
                add(kind.prefix + delim + "{description}" + delim, .description, "inside \(kind.opening)")
                add(kind.prefix + delim + "{table}" + delim, .table, "name inside \(kind.opening)")
            }
            if rules.strings.contains(where: { $0.name == "national" }) {
                add("N{description}", .description, "N-prefixed")
            }
            switch rules.dollarQuoting {
            case .none: break
            case .untaggedOnly: add("$$" + "{description}$$", .description, "$$")
            case .tagged:
                add("$$" + "{description}$$", .description, "$$")
                add("$c${description}$c$", .description, "$c$")
            }
            if lead.hasPrefix("SELECT") {
                for kind in rules.identifierQuotes {
                    let o = String(UnicodeScalar(kind.open)), c = String(UnicodeScalar(kind.close))
                    add("1 FROM " + o + "{table}" + c, .table, "inside \(kind.name) identifier")
                    add("1 FROM " + o + "{description}" + c, .description, "text inside \(kind.name) identifier")
                }
                add("1 FROM {table}", .table, "bare name")
                add("1 FROM {schema}.{table}", .table, "bare qualified name")
                add("1 FROM stg_{table}", .table, "glued name")
                add("1 FROM {table}_stg", .table, "glued name at word start")
            }
        }
        return out
    }

    enum Outcome: Equatable {
        case refused(String)
        case rendered
    }

    /// Renders `value` into the case and checks the property; returns the outcome, or calls
    /// XCTFail with the details.
    @discardableResult
    static func check(_ c: Case, value: String, dialect id: DialectID, options: DialectOptions = .default,
                      file: StaticString = #filePath, line: UInt = #line) -> Outcome? {
        let settings = settingsFor(options)
        let compiled: CompiledTemplate
        switch Compiler.compile(TemplateSource(c.template), flags: settings) {
        case .success(let t): compiled = t
        case .failure(let f):
            XCTFail("\(c.description): does not compile: \(f.diagnostics.filter { $0.severity == .error }.map(\.message))", file: file, line: line)
            return nil
        }
        let marker = Dialect.named(id).identifiers.folding == .upper ? "ZQXMARKER" : "zqxmarker"
        var benign = RenderValues([.database: "db", .schema: "s", .table: "t", .description: "d"])
        benign[c.variable] = marker
        var hostile = benign
        hostile[c.variable] = value
        let rendered: String
        do {
            rendered = try compiled.render(hostile)
        } catch {
            XCTAssertTrue(error.code.hasPrefix("RND"), "\(c.description): \(error)", file: file, line: line)
            XCTAssertEqual(error.variable, c.variable, file: file, line: line)
            return .refused(error.code)
        }
        guard let reference = try? compiled.render(benign) else {
            XCTFail("\(c.description): the marker value is refused", file: file, line: line)
            return nil
        }
        let dialect = Dialect.named(id, options: options)
        let a = lex(reference, dialect), b = lex(rendered, dialect)
        let context = "\(id.rawValue) \(c.description) value \(value.debugDescription) rendered \(rendered.debugDescription)"
        XCTAssertEqual(a.lexed.statements.count, b.lexed.statements.count, "statement count changed: \(context)", file: file, line: line)
        XCTAssertEqual(a.significant.count, b.significant.count, "token count changed: \(context)", file: file, line: line)
        XCTAssertTrue(b.lexed.diagnostics.filter { $0.code.hasPrefix("LEX") }.isEmpty,
                      "lexical errors \(b.lexed.diagnostics.map(\.message)): \(context)", file: file, line: line)
        guard let k = a.significant.firstIndex(where: { a.text($0).contains(marker) }), k < b.significant.count else {
            XCTFail("marker not found: \(context)", file: file, line: line)
            return nil
        }
        let token = b.significant[k]
        let statement = b.lexed.statements.first { $0.tokens.contains(token) }!
        guard let decoded = decode(b.lexed.tokens[token], text: b.bytes, rules: statement.rules, dialect: dialect) else {
            XCTFail("token \(b.text(token).debugDescription) cannot be decoded: \(context)", file: file, line: line)
            return nil
        }
        // Contents holes sit in a token whose other text is the template's: compare the pieces.
        let expectedWhole = a.decodedMarker(k, dialect: dialect).map { $0.replacingOccurrences(of: marker, with: value) }
        XCTAssertEqual(decoded, expectedWhole ?? value, "decoded value differs: \(context)", file: file, line: line)
        return .rendered
    }

    static func settingsFor(_ o: DialectOptions) -> ContextSettings {
        var s = ContextSettings()
        s.standardConformingStrings = o.standardConformingStrings
        s.noBackslashEscapes = o.noBackslashEscapes
        s.guardVariableSubstitution = o.guardVariableSubstitution
        s.identifierQuoting = o.identifierQuoting
        s.normalizeLabels = o.normalizeLabels
        // The cases put text in every context, identifiers included (STM441), and end Oracle's
        // statements with `;` to count them (STM444): both are checked elsewhere.
        s.ruleLevels = [DiagnosticCode.descriptionAsIdentifier.id: .off, DiagnosticCode.trailingSemicolon.id: .off]
        return s
    }

    struct Lexed {
        let bytes: [UInt8]
        let lexed: LexedTemplate
        let significant: [Int]
        let dialect: Dialect
        func text(_ t: Int) -> String {
            let s = lexed.tokens[t].span
            return String(decoding: bytes[s.start..<s.end], as: UTF8.self)
        }
        func decodedMarker(_ k: Int, dialect: Dialect) -> String? {
            let t = significant[k]
            let statement = lexed.statements.first { $0.tokens.contains(t) }!
            return Relex.decode(lexed.tokens[t], text: bytes, rules: statement.rules, dialect: dialect)
        }
    }

    /// Lexes rendered SQL. The lexer reads template syntax, so braces are doubled first: `{{` is
    /// one literal brace in every context, which is what the SQL holds.
    static func lex(_ sql: String, _ dialect: Dialect) -> Lexed {
        var bytes: [UInt8] = []
        for b in sql.utf8 {
            bytes.append(b)
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "}") { bytes.append(b) }
        }
        let lexed = Lexer.lex(bytes, dialect: dialect)
        let significant = lexed.tokens.indices.filter { !lexed.tokens[$0].kind.isTrivia }
        return Lexed(bytes: bytes, lexed: lexed, significant: significant, dialect: dialect)
    }

    /// The text a token stands for, decoded by the dialect's rules; nil when it is not a literal,
    /// name or word, or holds an escape the engine would reject.
    static func decode(_ token: Token, text: [UInt8], rules: LexicalRules, dialect: Dialect) -> String? {
        var raw = Array(text[token.span.start..<token.span.end])
        // Undo the brace doubling of `lex`.
        var undoubled: [UInt8] = []
        var i = 0
        while i < raw.count {
            undoubled.append(raw[i])
            if (raw[i] == UInt8(ascii: "{") || raw[i] == UInt8(ascii: "}")), i + 1 < raw.count, raw[i + 1] == raw[i] { i += 2 } else { i += 1 }
        }
        raw = undoubled
        switch token.kind {
        case .word, .placeholder:
            return String(decoding: raw, as: UTF8.self)
        case .string(let index):
            let kind = rules.strings[index]
            let open = kind.prefix.utf8.count + (kind.triple ? 3 : 1)
            let close = kind.triple ? 3 : 1
            guard raw.count >= open + close else { return nil }
            let body = Array(raw[open..<(raw.count - close)])
            return decodeBody(body, quote: kind.quote, doubling: kind.escapes.doubledQuote && dialect.id != .databricks,
                              backslash: kind.escapes.backslash ? backslashSyntax(dialect, rules) : nil,
                              continuation: kind.backslashNewlineContinuation, oneLine: !kind.newlinesAllowed)
        case .quotedIdentifier(let index):
            let kind = rules.identifierQuotes[index]
            guard raw.count >= 2 else { return nil }
            let body = Array(raw[1..<(raw.count - 1)])
            return decodeBody(body, quote: kind.close, doubling: kind.escapes.doubledQuote,
                              backslash: kind.escapes.backslash ? backslashSyntax(dialect, rules) : nil,
                              continuation: false, oneLine: false)
        case .dollarString:
            guard let second = raw.dropFirst().firstIndex(of: UInt8(ascii: "$")) else { return nil }
            let tagLength = second + 1
            return String(decoding: raw[tagLength..<(raw.count - tagLength)], as: UTF8.self)
        default:
            return nil
        }
    }

    enum BackslashSyntax {
        case mysql, bigquery, snowflake, clickhouse, spark, postgresE, hive
    }

    static func backslashSyntax(_ d: Dialect, _ rules: LexicalRules) -> BackslashSyntax {
        switch d.id {
        case .mysql: return .mysql
        case .bigquery: return .bigquery
        case .snowflake: return .snowflake
        case .clickhouse: return .clickhouse
        case .databricks: return .spark
        case .athena: return .hive
        default: return .postgresE
        }
    }

    static func decodeBody(_ body: [UInt8], quote: UInt8, doubling: Bool, backslash: BackslashSyntax?, continuation: Bool,
                           oneLine: Bool) -> String? {
        var out: [UInt8] = []
        var i = 0
        func hex(_ s: ArraySlice<UInt8>) -> UInt32? { UInt32(String(decoding: s, as: UTF8.self), radix: 16) }
        func scalar(_ v: UInt32) -> Bool {
            guard let u = UnicodeScalar(v) else { return false }
            out += Array(String(u).utf8)
            return true
        }
        while i < body.count {
            let c = body[i]
            if oneLine, c == 0x0A || c == 0x0D { return nil }
            if continuation, c == 0x5C, i + 1 < body.count, body[i + 1] == 0x0A || body[i + 1] == 0x0D {
                // T-SQL deletes the pair: the decoded text loses it.
                i += body[i + 1] == 0x0D && i + 2 < body.count && body[i + 2] == 0x0A ? 3 : 2
                continue
            }
            if c == quote {
                guard doubling, i + 1 < body.count, body[i + 1] == quote else { return nil }
                out.append(quote)
                i += 2
                continue
            }
            guard c == 0x5C, let syntax = backslash else { out.append(c); i += 1; continue }
            guard i + 1 < body.count else { return nil }
            let e = body[i + 1]
            i += 2
            let ch = Character(UnicodeScalar(e))
            switch (syntax, ch) {
            case (_, "\\"), (_, "'"), (_, "\""): out.append(e)
            case (_, "n"): out.append(0x0A)
            case (_, "r"): out.append(0x0D)
            case (_, "t"): out.append(0x09)
            case (.mysql, "0"), (.spark, "0"), (.clickhouse, "0"), (.hive, "0"): out.append(0)
            case (.mysql, "Z"), (.spark, "Z"), (.hive, "Z"): out.append(0x1A)
            case (.mysql, "b"), (.spark, "b"), (.hive, "b"), (.bigquery, "b"), (.snowflake, "b"), (.clickhouse, "b"), (.postgresE, "b"): out.append(0x08)
            case (.bigquery, "f"), (.snowflake, "f"), (.clickhouse, "f"), (.postgresE, "f"): out.append(0x0C)
            case (.bigquery, "a"), (.clickhouse, "a"): out.append(0x07)
            case (.bigquery, "v"), (.clickhouse, "v"): out.append(0x0B)
            case (.bigquery, "?"), (.bigquery, "`"): out.append(e)
            case (.mysql, "%"), (.mysql, "_"), (.spark, "%"), (.spark, "_"), (.hive, "%"), (.hive, "_"): out += [0x5C, e]
            case (.bigquery, "x"), (.bigquery, "X"), (.clickhouse, "x"), (.snowflake, "x"), (.postgresE, "x"):
                guard i + 2 <= body.count, let v = hex(body[i..<(i + 2)]) else { return nil }
                out.append(UInt8(v))
                i += 2
            case (.bigquery, "u"), (.snowflake, "u"), (.spark, "u"), (.postgresE, "u"), (.hive, "u"):
                guard i + 4 <= body.count, let v = hex(body[i..<(i + 4)]), scalar(v) else { return nil }
                i += 4
            case (.bigquery, _):
                return nil          // BigQuery: any other escape is an error
            default:
                out.append(e)       // elsewhere `\c` is `c`
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { return nil }
        return s
    }
}
