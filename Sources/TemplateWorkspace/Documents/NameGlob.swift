/// Shell-style globs for channel filters: `*` any run of characters, `?` one character,
/// `[abc]` one of a set; matching is case-insensitive, as catalog names are.
public struct NameGlob: Sendable, Equatable {
    public let pattern: String
    private let scalars: [Unicode.Scalar]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.scalars = Array(pattern.lowercased().unicodeScalars)
    }

    public func matches(_ text: String) -> Bool {
        let t = Array(text.lowercased().unicodeScalars)
        return NameGlob.match(scalars, 0, t, 0)
    }

    private static func match(_ p: [Unicode.Scalar], _ pi: Int, _ t: [Unicode.Scalar], _ ti: Int) -> Bool {
        var pi = pi, ti = ti
        var starP = -1, starT = -1
        while ti < t.count {
            if pi < p.count {
                let c = p[pi]
                if c == "*" { starP = pi; starT = ti; pi += 1; continue }
                if c == "?" { pi += 1; ti += 1; continue }
                if c == "[", let close = p[(pi + 1)...].firstIndex(of: "]") {
                    let set = p[(pi + 1)..<close]
                    if set.contains(t[ti]) { pi = close + 1; ti += 1; continue }
                } else if c == t[ti] { pi += 1; ti += 1; continue }
            }
            guard starP >= 0 else { return false }
            pi = starP + 1
            starT += 1
            ti = starT
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
