/// LEX106: NUL bytes and invalid UTF-8 in the template itself.
public struct TextValidityRule: Rule {
    public static let codes: [DiagnosticCode] = [.invalidText]
    public init() {}

    public func check(_ input: RuleInput, into diagnostics: inout [Diagnostic]) {
        let text = input.template.text
        var i = 0
        var reported = 0
        while i < text.count, reported < 5 {
            let b = text[i]
            if b == 0 {
                diagnostics.append(Diagnostic(.invalidText, "the template contains a NUL byte: remove it", at: Span(i, i + 1)))
                reported += 1
                i += 1
                continue
            }
            if b < 0x80 { i += 1; continue }
            let length = utf8SequenceLength(text, i)
            if length == 0 {
                diagnostics.append(Diagnostic(.invalidText, "the template is not valid UTF-8 here (byte 0x\(String(b, radix: 16, uppercase: true))): save the file as UTF-8", at: Span(i, i + 1)))
                reported += 1
                i += 1
            } else {
                i += length
            }
        }
    }
}

/// The length of the valid UTF-8 sequence at `i`, or 0 when it is invalid (overlong forms,
/// surrogates and values above U+10FFFF included).
func utf8SequenceLength(_ t: [UInt8], _ i: Int) -> Int {
    let b = t[i]
    let n = t.count
    func cont(_ k: Int) -> Bool { k < n && t[k] & 0xC0 == 0x80 }
    switch b {
    case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
    case 0xE0: return i + 1 < n && t[i + 1] >= 0xA0 && t[i + 1] <= 0xBF && cont(i + 2) ? 3 : 0
    case 0xED: return i + 1 < n && t[i + 1] >= 0x80 && t[i + 1] <= 0x9F && cont(i + 2) ? 3 : 0
    case 0xE1...0xEC, 0xEE...0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
    case 0xF0: return i + 1 < n && t[i + 1] >= 0x90 && t[i + 1] <= 0xBF && cont(i + 2) && cont(i + 3) ? 4 : 0
    case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
    case 0xF4: return i + 1 < n && t[i + 1] >= 0x80 && t[i + 1] <= 0x8F && cont(i + 2) && cont(i + 3) ? 4 : 0
    default: return 0
    }
}

extension DiagnosticCode {
    public static let invalidText = DiagnosticCode(
        "LEX106", "invalid-text", .error,
        "The template holds a NUL byte or bytes that are not UTF-8.",
        "Templates are UTF-8 text. A NUL byte cannot be sent to most engines and invalid UTF-8 cannot be shown or escaped reliably. Save the file as UTF-8 without control bytes.",
        triggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description};⟦\u{0}⟧"],
        nonTriggering: ["-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE {table} IS {description}; -- déjà vu"])
}
