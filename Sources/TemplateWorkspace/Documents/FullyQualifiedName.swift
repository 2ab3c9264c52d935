/// OpenMetadata fully qualified names: parts joined with `.`; a part that contains a `.` is
/// wrapped in double quotes (`svc.db."my.schema".tbl`), and a `"` inside a name is written `\"`
/// (OpenMetadata's quoteName) — `""` inside a quoted part is accepted too.
public enum FullyQualifiedName {
    public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
        public let message: String
        public var description: String { message }
        public init(message: String) { self.message = message }
    }

    /// Splits `fqn` into its unquoted parts.
    public static func split(_ fqn: String) throws(ParseError) -> [String] {
        let s = Array(fqn.unicodeScalars)
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0
        var quoted = false
        var partWasQuoted = false
        var partStart = true
        while i < s.count {
            let c = s[i]
            if quoted {
                if c == "\\", i + 1 < s.count, s[i + 1] == "\"" {
                    // `\"` before a `.` or the end reads two ways: a quote inside the name, or a
                    // name ending in `\` and its closing quote. Refused rather than guessed.
                    if i + 2 == s.count || s[i + 2] == "." {
                        throw ParseError(message: "in `\(fqn)`: `\\\"` at character \(i + 1) is either a quote inside the name or a backslash before the closing quote")
                    }
                    current.append("\"")
                    i += 2
                    continue
                }
                if c == "\"" {
                    if i + 1 < s.count, s[i + 1] == "\"" { current.append("\""); i += 2; continue }
                    quoted = false
                    i += 1
                    if i < s.count, s[i] != "." {
                        throw ParseError(message: "in `\(fqn)`: a quoted name must be followed by `.` or the end, found `\(s[i])`")
                    }
                    continue
                }
                current.append(c)
                i += 1
                continue
            }
            if c == "\"" && partStart {
                quoted = true
                partWasQuoted = true
                partStart = false
                i += 1
                continue
            }
            if c == "." {
                guard !current.isEmpty || partWasQuoted else { throw ParseError(message: "in `\(fqn)`: empty name part at character \(i + 1)") }
                parts.append(String(current))
                current = String.UnicodeScalarView()
                partWasQuoted = false
                partStart = true
                i += 1
                continue
            }
            if c == "\\", i + 1 < s.count, s[i + 1] == "\"" { current.append("\""); i += 2; partStart = false; continue }
            // A quote inside an unquoted name is written `\"`; a bare one could close or open a
            // quoted part in another reader's eyes, so it is refused rather than guessed.
            if c == "\"" {
                throw ParseError(message: "in `\(fqn)`: a `\"` inside a name must be written `\\\"` (character \(i + 1))")
            }
            current.append(c)
            partStart = false
            i += 1
        }
        if quoted { throw ParseError(message: "in `\(fqn)`: unterminated quoted name") }
        guard !current.isEmpty || partWasQuoted else {
            throw ParseError(message: fqn.isEmpty ? "empty fully qualified name" : "in `\(fqn)`: empty name part at the end")
        }
        parts.append(String(current))
        return parts
    }

    /// Joins parts, quoting those that contain a `.` (the inverse of `split`).
    public static func join(_ parts: [String]) -> String {
        parts.map(quote).joined(separator: ".")
    }

    /// Works on Unicode scalars, like `split`. Names are quoted for every operation's result and
    /// record, so the common case (no `.`, no `"`) is one byte scan that returns the name itself.
    public static func quote(_ part: String) -> String {
        var hasDot = false, hasQuote = false
        for byte in part.utf8 {
            if byte == UInt8(ascii: ".") { hasDot = true } else if byte == UInt8(ascii: "\"") { hasQuote = true }
        }
        if !hasDot && !hasQuote { return part }
        var escaped = String.UnicodeScalarView()
        for scalar in part.unicodeScalars {
            if scalar == "\"" { escaped.append("\\") }
            escaped.append(scalar)
        }
        return hasDot ? "\"" + String(escaped) + "\"" : String(escaped)
    }
}
