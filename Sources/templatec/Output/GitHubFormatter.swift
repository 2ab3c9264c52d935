import TemplateCompiler

/// `check --format github`: GitHub Actions workflow commands, one per finding, which the runner
/// turns into annotations on the pull request:
///
///     ::error file=path,line=2,col=18,endLine=2,endColumn=27,title=TPL009::message
///
/// Escaped as the runner unescapes: `%`, CR and LF everywhere; `:` and `,` too in properties.
enum GitHubFormatter {
    static func format(_ reports: [FileReport], missing: [String]) -> String {
        var out = ""
        for r in reports {
            if let e = r.readError {
                out += "::error " + properties([("file", r.path), ("title", DiagnosticCode.unreadableInput.id)]) + "::" + escapeData(e) + "\n"
            }
            let locators = FileLocators()
            for a in r.analyses {
                let locator = locators.locator(a.template.source)
                for d in a.diagnostics {
                    let start = locator.location(d.span.start)
                    let end = locator.location(d.span.end)
                    let command: String
                    switch d.severity {
                    case .error: command = "error"
                    case .warning: command = "warning"
                    case .info: command = "notice"
                    }
                    var props: [(String, String)] = [("file", r.path), ("line", String(start.line)), ("col", String(start.column))]
                    props.append(("endLine", String(max(end.line, start.line))))
                    // GitHub reads endColumn only on one-line annotations.
                    if end.line == start.line { props.append(("endColumn", String(max(end.column, start.column)))) }
                    props.append(("title", d.code))
                    var message = d.message
                    if let fix = d.fixes.first { message += "\nfix: " + fix.message + (fix.applicability == .unsafe ? " (unsafe)" : "") }
                    out += "::\(command) " + properties(props) + "::" + escapeData(message) + "\n"
                }
            }
        }
        for m in missing {
            let (path, message) = MissingInput.split(m)
            out += "::error " + properties([("file", path), ("title", DiagnosticCode.unreadableInput.id)]) + "::" + escapeData(message) + "\n"
        }
        return out
    }

    static func properties(_ props: [(String, String)]) -> String {
        props.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
    }

    static func escapeData(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func escapeProperty(_ s: String) -> String {
        var out = ""
        for u in escapeData(s).unicodeScalars {
            switch u {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
