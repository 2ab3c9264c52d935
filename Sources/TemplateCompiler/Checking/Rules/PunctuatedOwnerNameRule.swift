/// STM443: `OWNER TO {owner}@company.com`. Unquoted, a name ends at `@`, `-` or `.`: the engine
/// reads an operator or a qualified name, and refuses the statement. The whole name must be one
/// quoted identifier (in Databricks, backticks: `` `{owner}@company.com` ``).
public struct PunctuatedOwnerNameRule: Rule {
    public static let codes: [DiagnosticCode] = [.punctuatedOwnerName]
    public init() {}

    static let breaking: Set<UInt8> = Set("@-.".utf8)

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        let template = input.template
        for s in input.sqlStatements {
            guard let c = input.supportedClassification(s), c.kind == .setOwner else { continue }
            for k in s.tokens {
                guard case .placeholder(let p) = template.tokens[k].kind, template.placeholders[p].variable == .owner else { continue }
                // The run of touching tokens the owner placeholder stands in.
                var first = k, last = k
                while first - 1 >= s.tokens.lowerBound, touches(template.tokens[first - 1], template.tokens[first]) { first -= 1 }
                while last + 1 < s.tokens.upperBound, touches(template.tokens[last], template.tokens[last + 1]) { last += 1 }
                let run = first...last
                guard let breaker = run.first(where: { isBreaking(template.tokens[$0], template) }) else { continue }
                let span = Span(template.tokens[first].span.start, template.tokens[last].span.end)
                let name = template.string(span)
                let q = input.dialect.identifierQuote
                let quoted = "\(String(UnicodeScalar(q.open)))\(name)\(String(UnicodeScalar(q.close)))"
                let mark = template.string(template.tokens[breaker].span)
                // Markdown code: a name in backticks is shown between double backticks.
                let shown = quoted.contains("`") ? "`` \(quoted) ``" : "`\(quoted)`"
                diagnostics.append(Diagnostic(
                    .punctuatedOwnerName,
                    "unquoted, `\(name)` is not one name in \(input.dialect.displayName): the `\(mark)` ends it; quote the whole name: \(shown)",
                    at: span, fixes: [Fix("quote the name: \(shown)", [TextEdit(span, quoted)], .unsafe)]))
            }
        }
    }

    func touches(_ a: Token, _ b: Token) -> Bool {
        guard a.span.end == b.span.start else { return false }
        return [a, b].allSatisfy {
            switch $0.kind {
            case .word, .number, .placeholder, .punctuation: return true
            default: return false
            }
        }
    }

    func isBreaking(_ t: Token, _ template: Template) -> Bool {
        t.kind == .punctuation && Self.breaking.contains(template.text[t.span.start])
    }
}

extension DiagnosticCode {
    public static let punctuatedOwnerName = DiagnosticCode(
        "STM443", "punctuated-owner-name", .error,
        "An owner name with `@`, `-` or `.` outside quotes: `OWNER TO {owner}@company.com`.",
        "An unquoted name ends at the first character that cannot be in one: `{owner}@company.com` is read as a name followed by an operator, and the statement fails (Databricks principals are e-mail addresses, so this is common there). Quote the whole name with the dialect's identifier quotes (backticks in Databricks): templatec escapes the value inside them.",
        triggering: ["-- templatec: dialect=databricks update=owner level=table\nALTER TABLE {database}.{schema}.{table} OWNER TO ⟦{owner}@company.com⟧;"],
        nonTriggering: ["-- templatec: dialect=databricks update=owner level=table\nALTER TABLE {database}.{schema}.{table} OWNER TO `{owner}@company.com`;"])
}
