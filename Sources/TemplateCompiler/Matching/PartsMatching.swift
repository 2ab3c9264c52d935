/// Splits text by the template's text around the holes of one token: a literal's decoded
/// contents (`'Synced from the catalog: {description}'`) or a glued word (`stg_{table}`).
///
/// The text must start with the first text part and end with the last; in between, each hole
/// takes the text up to the next occurrence of the part that follows it. The earliest choice
/// finds a split whenever one exists; comparing it with the latest choice tells whether the split
/// is the only one (`{schema}.{table}` inside one literal splits `a.b.c` two ways).
enum PartsMatching {
    struct Split {
        /// For each hole part, in order: the hole and the byte range of its value.
        var holes: [(hole: Int, range: Range<Int>)]
        /// Another split exists: the values are one reading of several.
        var ambiguous: Bool
    }

    struct Failure: Error {
        /// Where in the subject the text stopped fitting.
        let offset: Int
        let reason: String
    }

    static func split(_ subject: [UInt8], _ parts: [MatchPattern.Part]) -> Result<Split, Failure> {
        // Normalise to text, hole, text, …, hole, text (texts may be empty).
        var texts: [[UInt8]] = [[]]
        var holes: [Int] = []
        for p in parts {
            switch p {
            case .text(let t): texts[texts.count - 1] += t
            case .hole(let h):
                holes.append(h)
                texts.append([])
            }
        }
        let first = texts[0], last = texts[texts.count - 1]
        let n = subject.count
        guard starts(subject, with: first, at: 0) else {
            return .failure(Failure(offset: mismatch(subject, first, at: 0), reason: "the text does not begin with the template's `\(text(first))`"))
        }
        if holes.isEmpty {
            guard n == first.count else { return .failure(Failure(offset: first.count, reason: "the text continues after the template's `\(text(first))`")) }
            return .success(Split(holes: [], ambiguous: false))
        }
        let end = n - last.count
        guard end >= first.count, starts(subject, with: last, at: end) else {
            return .failure(Failure(offset: max(end, 0), reason: "the text does not end with the template's `\(text(last))`"))
        }
        // Earliest split.
        var earliest: [Range<Int>] = []
        var pos = first.count
        for k in 1..<holes.count {
            guard let at = find(texts[k], in: subject, from: pos, to: end) else {
                return .failure(Failure(offset: pos, reason: "the template's `\(text(texts[k]))` does not follow"))
            }
            earliest.append(pos..<at)
            pos = at + texts[k].count
        }
        earliest.append(pos..<end)
        // Latest split: when it is the same, no other exists.
        var ambiguous = false
        if holes.count > 1 {
            var latest: [Range<Int>] = []
            var back = end
            for k in stride(from: holes.count - 1, through: 1, by: -1) {
                guard let at = findLast(texts[k], in: subject, from: first.count, to: back) else { break }
                latest.append((at + texts[k].count)..<back)
                back = at
            }
            latest.append(first.count..<back)
            ambiguous = latest.reversed() != earliest
        }
        return .success(Split(holes: Array(zip(holes, earliest)).map { ($0.0, $0.1) }, ambiguous: ambiguous))
    }

    static func starts(_ s: [UInt8], with p: [UInt8], at i: Int) -> Bool {
        guard i >= 0, i + p.count <= s.count else { return false }
        for k in 0..<p.count where s[i + k] != p[k] { return false }
        return true
    }

    static func mismatch(_ s: [UInt8], _ p: [UInt8], at i: Int) -> Int {
        var k = 0
        while k < p.count, i + k < s.count, s[i + k] == p[k] { k += 1 }
        return i + k
    }

    /// The first start of `p` in `s[from..<to]` (the whole of `p` inside), or nil.
    static func find(_ p: [UInt8], in s: [UInt8], from: Int, to: Int) -> Int? {
        guard !p.isEmpty else { return from }
        var i = from
        while i + p.count <= to {
            if s[i] == p[0], starts(s, with: p, at: i) { return i }
            i += 1
        }
        return nil
    }

    static func findLast(_ p: [UInt8], in s: [UInt8], from: Int, to: Int) -> Int? {
        guard !p.isEmpty else { return to }
        var i = to - p.count
        while i >= from {
            if s[i] == p[0], starts(s, with: p, at: i) { return i }
            i -= 1
        }
        return nil
    }

    static func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }
}
