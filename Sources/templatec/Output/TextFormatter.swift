import TemplateCompiler

/// Text output for people: `path:line:col: severity[code]: message`, the source line, a caret
/// underline and the fix. Colour only when asked (a terminal without NO_COLOR).
enum TextFormatter {
    static func format(_ reports: [FileReport], color: Bool, quiet: Bool) -> String {
        var out = ""
        for r in reports {
            if let e = r.readError { out += paint("error", .red, color) + ": " + e + "\n" }
            let locators = FileLocators()
            for a in r.analyses {
                guard !a.diagnostics.isEmpty else { continue }
                let locator = locators.locator(a.template.source)
                for d in a.diagnostics where !(quiet && d.severity == .info) {
                    out += render(d, path: r.path, locator: locator, color: color)
                }
            }
        }
        return out
    }

    static func render(_ d: Diagnostic, path: String, locator: SourceLocator, color: Bool) -> String {
        let start = locator.location(d.span.start)
        let end = locator.location(d.span.end)
        let tint: Tint = d.severity == .error ? .red : (d.severity == .warning ? .yellow : .blue)
        var out = "\(path):\(start.line):\(start.column): " + paint("\(d.severity.rawValue)[\(d.code)]", tint, color) + ": " + d.message + "\n"
        // Info findings are one line: they describe, they do not point at a mistake.
        guard d.severity != .info else { return out }
        let fullLine = Array(locator.lineText(start.line).unicodeScalars)
        let spanEnd = end.line == start.line ? max(end.column - 1, start.column) : max(fullLine.count, start.column)
        let (line, caretStart, caretEnd) = window(fullLine, from: start.column - 1, to: spanEnd)
        let gutter = String(start.line)
        let pad = String(repeating: " ", count: gutter.count)
        out += " \(pad) |\n"
        out += " \(gutter) | \(visible(line))\n"
        let underline = String(repeating: " ", count: caretStart) + String(repeating: "^", count: max(1, caretEnd - caretStart))
        out += " \(pad) | " + paint(underline, tint, color) + "\n"
        for fix in d.fixes {
            // The fix's message names its replacement; `--fix` applies the safe ones.
            out += " \(pad) = " + paint("fix", .green, color) + ": \(fix.message)" + (fix.applicability == .unsafe ? " (unsafe)" : "") + "\n"
        }
        return out
    }

    /// At most this many columns of a source line are shown; longer lines are cut around the span
    /// with `…` so a minified or hostile one-line file stays readable.
    static let maximumExcerpt = 120

    /// The part of `line` shown for a span `from..<to` (scalar columns, 0-based) and the caret
    /// positions within it.
    static func window(_ line: [Unicode.Scalar], from: Int, to: Int) -> (String, Int, Int) {
        var text = String.UnicodeScalarView()
        guard line.count > maximumExcerpt else {
            text.append(contentsOf: line)
            return (String(text), from, min(max(to, from + 1), max(line.count, from + 1)))
        }
        let begin = max(0, min(from - 30, line.count - maximumExcerpt))
        let finish = min(line.count, begin + maximumExcerpt)
        var caretStart = from - begin
        if begin > 0 { text.append("…"); caretStart += 1 }
        text.append(contentsOf: line[begin..<finish])
        if finish < line.count { text.append("…") }
        let caretEnd = min(caretStart + max(1, to - from), caretStart + (finish - max(from, begin)) + 1)
        return (String(text), caretStart, max(caretEnd, caretStart + 1))
    }

    /// Control characters in the source line are shown as `\u{…}` so they cannot move the caret.
    static func visible(_ line: String) -> String {
        // Tabs become one space and control characters `?`, so the caret stays aligned.
        var s = ""
        for u in line.unicodeScalars {
            if u == "\t" { s += " " } else if u.value < 0x20 || u.value == 0x7F { s += "?" } else { s.unicodeScalars.append(u) }
        }
        return s
    }

    static func summaryLine(_ s: Summary, color: Bool) -> String {
        let files = s.files == 1 ? "1 file" : "\(s.files) files"
        var text = "\(files) checked: \(s.errors) error\(s.errors == 1 ? "" : "s"), \(s.warnings) warning\(s.warnings == 1 ? "" : "s"), \(s.infos) info"
        // Files that could not be read or parsed were reported above; say so here too, since
        // they make the exit status 2.
        if s.unreadable > 0 { text += ", \(s.unreadable) unreadable" }
        return paint(text, s.errors + s.unreadable > 0 ? .red : (s.warnings > 0 ? .yellow : .green), color) + "\n"
    }

    enum Tint: String {
        case red = "31", yellow = "33", blue = "34", green = "32"
    }

    static func paint(_ s: String, _ t: Tint, _ on: Bool) -> String {
        on ? "\u{1B}[1;\(t.rawValue)m\(s)\u{1B}[0m" : s
    }
}
