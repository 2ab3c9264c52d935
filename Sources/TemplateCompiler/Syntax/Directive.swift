/// A `templatec:` directive in the template's leading comments:
///
///     -- templatec: dialect=snowflake update=description level=table,column
///
/// The directive names the dialect, so it is read before lexing, by a small scan of the leading
/// comment lines (`--`, `#`, `//` or one `/* … */`) that needs no dialect.
public struct Directive: Sendable {
    public struct Setting: Sendable {
        public var key: String
        public var values: [String]
        /// The whole `key=value` text.
        public var span: Span
    }

    public var settings: [Setting] = []
    /// `ignore[CODE,…]` entries found in the leading comments (file-wide suppressions).
    public var ignores: [(codes: [String], span: Span)] = []

    public init() {}

    /// Scans the leading comment lines of `text`.
    public static func scan(_ text: [UInt8]) -> Directive {
        var directive = Directive()
        var i = 0
        let n = text.count
        while i < n {
            // Skip blank space.
            while i < n, isSpace(text[i]) { i += 1 }
            guard i < n else { break }
            var bodyStart = i
            var bodyEnd = i
            if startsWith(text, i, "--") || startsWith(text, i, "//") || text[i] == UInt8(ascii: "#") {
                bodyStart = i + (text[i] == UInt8(ascii: "#") ? 1 : 2)
                bodyEnd = bodyStart
                while bodyEnd < n, text[bodyEnd] != chLF { bodyEnd += 1 }
                i = bodyEnd
            } else if startsWith(text, i, "/*") {
                bodyStart = i + 2
                bodyEnd = bodyStart
                while bodyEnd + 1 < n, !(text[bodyEnd] == chStar && text[bodyEnd + 1] == chSlash) { bodyEnd += 1 }
                if bodyEnd + 1 >= n { bodyEnd = n; i = n } else { i = bodyEnd + 2 }
            } else {
                break
            }
            directive.parseComment(text, bodyStart, bodyEnd)
        }
        return directive
    }

    static func startsWith(_ t: [UInt8], _ i: Int, _ s: String) -> Bool {
        var k = i
        for c in s.utf8 {
            guard k < t.count, t[k] == c else { return false }
            k += 1
        }
        return true
    }

    /// Parses one comment body: `templatec: key=value key=v1,v2 ignore[CODE] reason`.
    mutating func parseComment(_ t: [UInt8], _ start: Int, _ end: Int) {
        var i = start
        while i < end, isSpace(t[i]) { i += 1 }
        guard Directive.startsWith(t, i, "templatec:") else { return }
        i += "templatec:".utf8.count
        while i < end {
            while i < end, isSpace(t[i]) { i += 1 }
            guard i < end else { break }
            let wordStart = i
            while i < end, !isSpace(t[i]) { i += 1 }
            let word = String(decoding: t[wordStart..<i], as: UTF8.self)
            let span = Span(wordStart, i)
            if word.hasPrefix("ignore[") {
                let inner = word.dropFirst("ignore[".count).prefix { $0 != "]" }
                ignores.append((inner.split(separator: ",").map { String($0).uppercased() }, span))
                // The rest of the line is the reason.
                i = end
            } else if let eq = word.firstIndex(of: "=") {
                let key = String(word[..<eq]).lowercased()
                let values = word[word.index(after: eq)...].split(separator: ",").map { String($0) }
                settings.append(Setting(key: key, values: values, span: span))
            } else {
                settings.append(Setting(key: word.lowercased(), values: [], span: span))
            }
        }
    }
}
