/// CTX206 and CTX207: placeholders where escaping is impossible (raw, byte, hex literals) or
/// conditional (dollar quotes: a value holding the tag is refused).
public struct UnescapableContextRule: Rule {
    public static let codes: [DiagnosticCode] = [.unescapableContext, .dollarQuotedPlaceholder]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        for p in input.template.placeholders {
            switch p.context {
            case .string(let kind) where !kind.escapable:
                diagnostics.append(Diagnostic(
                    .unescapableContext,
                    "`{\(p.name)}` stands in \(p.context.phrase), where nothing can be escaped: use an ordinary string literal, or the bare placeholder, which renders a complete escaped literal",
                    at: p.span))
            case .alternativeQuoted:
                diagnostics.append(Diagnostic(
                    .unescapableContext,
                    "`{\(p.name)}` stands in Oracle's q'…' quoting, where nothing can be escaped: use the bare placeholder, which renders a complete escaped literal",
                    at: p.span))
            case .dollarQuoted(let tag):
                diagnostics.append(Diagnostic(
                    .dollarQuotedPlaceholder,
                    "`{\(p.name)}` stands in a dollar-quoted string: a value containing `$\(tag)$` will be refused; the bare placeholder accepts every value",
                    at: p.span))
            default:
                break
            }
        }
    }
}

extension DiagnosticCode {
    public static let unescapableContext = DiagnosticCode(
        "CTX206", "unescapable-context", .error,
        "A placeholder where no value can be escaped: a raw string, a byte, hex, bit or Unicode-escape literal, Oracle's `q'…'`.",
        "Nothing inside a raw string can be escaped, so a quote in the value would end it. Use the dialect's ordinary string literal, or a bare placeholder, which renders a complete, escaped literal.",
        triggering: ["-- templatec: dialect=bigquery update=description level=table\nALTER TABLE {table} SET OPTIONS (description = r'⟦{description}⟧');"],
        nonTriggering: ["-- templatec: dialect=bigquery update=description level=table\nALTER TABLE {table} SET OPTIONS (description = {description});"])

    public static let dollarQuotedPlaceholder = DiagnosticCode(
        "CTX207", "dollar-quoted-placeholder", .warning,
        "A placeholder inside a dollar-quoted string.",
        "Nothing in a dollar-quoted string is escaped: a value containing the closing tag is refused at render time. A bare placeholder renders a literal that accepts every value.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS $c$⟦{description}⟧$c$;"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};"])
}
