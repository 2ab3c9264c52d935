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
