/// Did-you-mean suggestions, the one way every part of templatec makes them: variables (TPL009),
/// settings and dialects (CTX210), codes (`explain`), command-line options, pipeline keys.

/// The candidate closest to `word`, when it is close enough to be a typo: at most a third of the
/// candidate's length in edits, and at least one. Case is ignored; the candidate is returned as
/// it is spelt.
public func closest(_ word: String, among candidates: [String]) -> String? {
    let w = Array(word.lowercased().utf8)
    var best: (String, Int)? = nil
    for c in candidates {
        let d = editDistance(w, Array(c.lowercased().utf8))
        if d <= max(1, c.utf8.count / 3), d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    return best?.0
}

/// Levenshtein distance with adjacent transpositions (optimal string alignment): `tabel` is one
/// edit from `table`.
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
            cur[j] = v
        }
        (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
}
