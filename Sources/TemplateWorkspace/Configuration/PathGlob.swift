/// Glob patterns for configuration overrides, matched against `/`-separated paths relative to
/// the configuration file's folder: `*` any run of characters except `/`, `**` any run of whole
/// folders (`**/x.sql`, `a/**/b`, `a/**`), `?` one character except `/`. A pattern without a `/`
/// matches the file name in any folder (as `.gitignore` does).
public enum PathGlob {
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        let p = Array(pattern.utf8)
        let s = Array(path.utf8)
        if !p.contains(UInt8(ascii: "/")) {
            let name = s.lastIndex(of: UInt8(ascii: "/")).map { Array(s[($0 + 1)...]) } ?? s
            return match(p[...], name[...])
        }
        let trimmed = p.first == UInt8(ascii: "/") ? p.dropFirst() : p[...]
        return match(trimmed, s[...])
    }

    /// Iterative matching with one backtrack point per star kind: linear in practice, never
    /// exponential.
    static func match(_ p: ArraySlice<UInt8>, _ s: ArraySlice<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*"), question = UInt8(ascii: "?")
        var pi = p.startIndex, si = s.startIndex
        var starP = -1, starS = -1          // last `*` (does not cross `/`)
        var globP = -1, globS = -1          // last `**` (crosses `/`)
        while si < s.endIndex {
            if pi < p.endIndex {
                let c = p[pi]
                if c == star, pi + 1 < p.endIndex, p[pi + 1] == star {
                    // `**/` also matches no folder at all.
                    var next = pi + 2
                    if next < p.endIndex, p[next] == slash { next += 1 }
                    globP = next
                    globS = si
                    starP = -1
                    pi = next
                    continue
                }
                if c == star {
                    starP = pi + 1
                    starS = si
                    pi += 1
                    continue
                }
                if c == question ? s[si] != slash : c == s[si] {
                    pi += 1
                    si += 1
                    continue
                }
            }
            if starP >= 0, s[starS] != slash {
                starS += 1
                si = starS
                pi = starP
                continue
            }
            if globP >= 0 {
                globS += 1
                si = globS
                pi = globP
                starP = -1
                continue
            }
            return false
        }
        while pi < p.endIndex, p[pi] == star { pi += 1 }
        return pi == p.endIndex
    }
}
