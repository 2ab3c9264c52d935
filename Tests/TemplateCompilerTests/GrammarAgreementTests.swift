import Foundation
import XCTest
@testable import TemplateCompiler

/// Keeps `Grammars/` and the code in agreement: the fenced `lexical`, `ddl-lexical` and `forms`
/// blocks of every `Grammars/dialects/<dialect>.md` are parsed item by item and compared with
/// `Dialect.named(id)`, field by field, so adding or changing a string kind, a comment marker or a
/// statement form on one side only fails here. Regenerate with `scripts/gen-grammars.sh`.
final class GrammarAgreementTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The lines of the fenced block tagged `tag`, or nil when the page has none.
    func block(_ tag: String, in page: String) -> [String]? {
        var lines: [String]? = nil
        var inside = false
        for line in page.split(separator: "\n", omittingEmptySubsequences: false) {
            if !inside, line == "```" + tag { inside = true; lines = []; continue }
            if inside, line == "```" { return lines }
            if inside { lines!.append(String(line)) }
        }
        return inside ? nil : lines
    }

    /// Splits a line into words, keeping `key="quoted value"` and `"quoted"` together (unescaped).
    func words(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for c in line {
            if escaped { current.append(c); escaped = false; continue }
            if quoted && c == "\\" { escaped = true; continue }
            if c == "\"" { quoted.toggle(); continue }
            if c == " " && !quoted {
                if !current.isEmpty { out.append(current) }
                current = ""
                continue
            }
            current.append(c)
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    func fields(_ words: ArraySlice<String>) -> [String: String] {
        var d: [String: String] = [:]
        for w in words {
            if let eq = w.firstIndex(of: "=") { d[String(w[..<eq])] = String(w[w.index(after: eq)...]) }
        }
        return d
    }

    func page(_ id: DialectID) throws -> String {
        let url = Self.root.appendingPathComponent("Grammars/dialects/\(id.rawValue).md")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("\(url.path) is missing: run scripts/gen-grammars.sh")
            throw CocoaError(.fileNoSuchFile)
        }
        return text
    }

    func testEveryDialectHasAGrammarAndNoOtherFileIsThere() throws {
        let dir = Self.root.appendingPathComponent("Grammars/dialects")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".md") })
        XCTAssertEqual(files, Set(DialectID.allCases.map { $0.rawValue + ".md" }))
    }

    func testLexicalRulesAgree() throws {
        for id in DialectID.allCases {
            let d = Dialect.named(id)
            let text = try page(id)
            guard let lexical = block("lexical", in: text) else { XCTFail("\(id): no ```lexical block"); continue }
            compare(lexical, d.lexical, ddlKeywords: nil, where: "\(id) lexical")
            let ddl = block("ddl-lexical", in: text)
            switch (ddl, d.ddlLexical) {
            case (nil, nil): break
            case (let lines?, let rules?): compare(lines, rules, ddlKeywords: d.ddlKeywords, where: "\(id) ddl-lexical")
            case (nil, _?): XCTFail("\(id): the code has DDL lexical rules, the grammar has no ```ddl-lexical block")
            case (_?, nil): XCTFail("\(id): the grammar has a ```ddl-lexical block, the code has no DDL lexical rules")
            }
        }
    }

    func yes(_ s: String?) -> Bool? { s == "yes" ? true : (s == "no" ? false : nil) }

    func escapes(_ s: String?) -> EscapeSyntax? {
        switch s {
        case "doubling": return .doubling
        case "backslash": return .backslashOnly
        case "both": return .both
        case "none": return EscapeSyntax.none
        default: return nil
        }
    }

    /// Compares one block with one set of rules: every item, in order.
    func compare(_ lines: [String], _ r: LexicalRules, ddlKeywords: Set<String>?, where place: String) {
        var strings: [[String]] = [], identifiers: [[String]] = [], lineComments: [[String]] = []
        var singles: [String: [String]] = [:]
        for line in lines where !line.isEmpty {
            let w = words(line)
            switch w[0] {
            case "string": strings.append(w)
            case "identifier": identifiers.append(w)
            case "line-comment": lineComments.append(w)
            default:
                XCTAssertNil(singles[w[0]], "\(place): `\(w[0])` given twice")
                singles[w[0]] = Array(w.dropFirst())
            }
        }
        // String kinds: order matters (the lexer tries them in order).
        XCTAssertEqual(strings.count, r.strings.count, "\(place): string kinds in grammar \(strings.map { $0[1] }) vs code \(r.strings.map(\.name))")
        for (w, s) in zip(strings, r.strings) {
            let f = fields(w.dropFirst(2))
            let label = "\(place) string \(s.name)"
            XCTAssertEqual(w[1], s.name, label)
            XCTAssertEqual(f["prefix"], s.prefix.isEmpty ? "-" : s.prefix, label)
            XCTAssertEqual(f["prefix-case"] == "exact", s.prefixCaseSensitive, label)
            XCTAssertEqual(f["quote"], GrammarDocument.quoteName(s.quote), label)
            XCTAssertEqual(yes(f["triple"]), s.triple, label)
            XCTAssertEqual(escapes(f["escapes"]), s.escapes, label)
            XCTAssertEqual(yes(f["newlines"]), s.newlinesAllowed, label)
            XCTAssertEqual(yes(f["escapable"]), s.escapable, label)
            XCTAssertEqual(yes(f["continuation"]), s.backslashNewlineContinuation, label)
        }
        XCTAssertEqual(identifiers.count, r.identifierQuotes.count, "\(place): identifier quotes")
        for (w, q) in zip(identifiers, r.identifierQuotes) {
            let f = fields(w.dropFirst(2))
            let label = "\(place) identifier \(q.name)"
            XCTAssertEqual(w[1], q.name, label)
            XCTAssertEqual(f["open"], GrammarDocument.quoteName(q.open), label)
            XCTAssertEqual(f["close"], GrammarDocument.quoteName(q.close), label)
            XCTAssertEqual(escapes(f["escapes"]), q.escapes, label)
        }
        XCTAssertEqual(lineComments.map { $0[1] }, r.comments.lineMarkers.map(\.marker), "\(place): line comment markers")
        for (w, m) in zip(lineComments, r.comments.lineMarkers) {
            XCTAssertEqual(fields(w.dropFirst(2))["following-space"] == "required", m.needsFollowingSpace, "\(place) line comment \(m.marker)")
        }
        let block = fields((singles["block-comment"] ?? [])[...])
        XCTAssertEqual(yes(block["nest"]), r.comments.blockCommentsNest, "\(place): block comments nest")
        XCTAssertEqual(yes(block["executable"]), r.comments.executableComments, "\(place): executable comments")
        XCTAssertEqual(singles["dollar-quoting"], [GrammarDocument.dollarQuotingName(r.dollarQuoting)], "\(place): dollar quoting")
        XCTAssertEqual(yes(singles["alternative-quoting"]?.first), r.alternativeQuoting, "\(place): alternative quoting")
        if let b = r.compoundBlock {
            let f = fields((singles["compound-block"] ?? [])[...])
            XCTAssertEqual(f["openers"].map { Set($0.split(separator: ",").map(String.init)) }, b.openers, "\(place): compound block")
            XCTAssertEqual(f["closer"], b.closer, "\(place): compound block")
            XCTAssertEqual(f["not-when-followed-by"].map { Set($0.split(separator: ",").map(String.init)) }, b.notBlockWhenFollowedBy, "\(place): compound block")
        } else {
            XCTAssertEqual(singles["compound-block"], ["none"], "\(place): compound block")
        }
        XCTAssertEqual(singles["value-literal"], [r.valueLiteral.name], "\(place): value literal")
        XCTAssertEqual(singles["identifier-quote"], [r.identifierQuote.name], "\(place): identifier quote")
        XCTAssertEqual(singles["separator"], [GrammarDocument.separator], "\(place): separator")
        if let k = ddlKeywords {
            XCTAssertEqual(singles["ddl-keywords"].map { Set($0[0].split(separator: ",").map(String.init)) }, k, "\(place): DDL keywords")
        } else {
            XCTAssertNil(singles["ddl-keywords"], "\(place): ddl-keywords outside a ddl-lexical block")
        }
        let known: Set<String> = ["block-comment", "dollar-quoting", "alternative-quoting", "compound-block", "value-literal",
                                  "identifier-quote", "separator", "ddl-keywords"]
        XCTAssertEqual(Set(singles.keys).subtracting(known), [], "\(place): unknown items")
    }

    func testStatementFormsAgree() throws {
        for id in DialectID.allCases {
            let forms = Dialect.named(id).statementForms
            guard let lines = block("forms", in: try page(id)) else { XCTFail("\(id): no ```forms block"); continue }
            let items = lines.filter { !$0.isEmpty }.map { words($0) }
            XCTAssertEqual(items.count, forms.count,
                           "\(id): \(items.count) forms in the grammar, \(forms.count) in the code; run scripts/gen-grammars.sh and review")
            for (k, (w, f)) in zip(items, forms).enumerated() {
                let label = "\(id) form \(k + 1) `\(f.pattern)`"
                XCTAssertEqual(w[0], f.kind.rawValue, label)
                XCTAssertEqual(w[1], GrammarDocument.levelName(f.level), label)
                XCTAssertEqual(w.count > 2 ? w[2] : nil, f.pattern, label)
                let extra = fields(w.dropFirst(3))
                XCTAssertEqual(extra["note"], f.note, label)
                XCTAssertEqual(extra["unsupported"], f.unsupportedMessage, label)
            }
        }
    }

    /// The generated page is what is checked in (prose and tables included).
    func testPagesAreUpToDate() throws {
        for id in DialectID.allCases {
            let have = try page(id), want = GrammarDocument.dialectPage(id)
            guard have != want else { continue }
            XCTFail("Grammars/dialects/\(id.rawValue).md differs from the generated page (\(firstDifference(have, want))): run scripts/gen-grammars.sh and review")
        }
    }

    func firstDifference(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false), y = b.split(separator: "\n", omittingEmptySubsequences: false)
        for k in 0..<max(x.count, y.count) where (k < x.count ? x[k] : nil) != (k < y.count ? y[k] : nil) {
            return "line \(k + 1): file has `\(k < x.count ? String(x[k]) : "")`, code gives `\(k < y.count ? String(y[k]) : "")`"
        }
        return "same lines"
    }

    func testTemplateLanguageGrammarNamesEveryTemplateCode() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Grammars/template-language.ebnf"), encoding: .utf8)
        for code in DiagnosticCatalog.templateLanguage {
            XCTAssertTrue(text.contains(code.id) && text.contains(code.name), "template-language.ebnf does not describe \(code.id) \(code.name)")
        }
        for v in Variable.allCases {
            XCTAssertTrue(text.contains(v.rawValue), "template-language.ebnf does not list the variable \(v.rawValue)")
        }
    }
}
