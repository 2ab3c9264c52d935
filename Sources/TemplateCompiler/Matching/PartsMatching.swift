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
        let (texts, holes) = normalized(parts)
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

    /// As `split`, but only splits in which no hole takes a value holding one of its `forbidden`
    /// texts (a name the dialect cannot have: BigQuery's `{database}.{schema}.{table}` inside one
    /// pair of backticks reads `x.y.s.t` only as project `x.y`, since dataset and table names cannot
    /// hold a dot). The earliest such split is the answer; it is ambiguous when there are two.
    /// Texts longer than `constrainedLimit` bytes are split as by `split` (the search is quadratic).
    static func split(_ subject: [UInt8], _ parts: [MatchPattern.Part], forbidden: (Int) -> [[UInt8]]) -> Result<Split, Failure> {
        let plain = split(subject, parts)
        guard case .success(let s) = plain, subject.count <= constrainedLimit else { return plain }
        let n = subject.count
        // For each forbidden text, the first start at or after each position (n when none).
        var nextStart: [[UInt8]: [Int]] = [:]
        func next(_ f: [UInt8]) -> [Int] {
            if let known = nextStart[f] { return known }
            var out = [Int](repeating: n, count: n + 1)
            if !f.isEmpty { for i in stride(from: n - 1, through: 0, by: -1) { out[i] = starts(subject, with: f, at: i) ? i : out[i + 1] } }
            nextStart[f] = out
            return out
        }
        // The end past which a value of hole h that starts at p would hold a forbidden text.
        func limit(_ h: Int, _ p: Int) -> Int {
            var end = Int.max
            for f in forbidden(h) where !f.isEmpty {
                let at = next(f)[p]
                if at < n { end = min(end, at + f.count - 1) }
            }
            return end
        }
        guard s.ambiguous || s.holes.contains(where: { $0.range.upperBound > limit($0.hole, $0.range.lowerBound) }) else { return plain }
        let (texts, holes) = normalized(parts)
        let start = texts[0].count, end = n - texts[texts.count - 1].count
        // For hole i starting at p: the valid ways (counted up to 2) to fill holes i…, and where
        // the first of them ends hole i.
        var memo: [Int: (ways: Int, firstEnd: Int)] = [:]
        func ways(_ i: Int, _ p: Int) -> (ways: Int, firstEnd: Int) {
            if let known = memo[i * (n + 1) + p] { return known }
            var answer = (ways: 0, firstEnd: -1)
            let last = limit(holes[i], p)
            if i == holes.count - 1 {
                if p <= end, end <= last { answer = (1, end) }
            } else {
                let separator = texts[i + 1]
                var q = p
                // A longer value holds what a shorter one held: stop at the first one refused.
                while answer.ways < 2, let at = find(separator, in: subject, from: q, to: end), at <= last {
                    q = at + 1
                    let rest = ways(i + 1, at + separator.count).ways
                    if rest > 0 {
                        if answer.ways == 0 { answer.firstEnd = at }
                        answer.ways = min(2, answer.ways + rest)
                    }
                }
            }
            memo[i * (n + 1) + p] = answer
            return answer
        }
        let total = ways(0, start)
        guard total.ways > 0 else {
            return .failure(Failure(offset: start, reason: "no split of the text gives each part a name the dialect can have"))
        }
        var out: [(hole: Int, range: Range<Int>)] = []
        var p = start
        for i in 0..<holes.count {
            let e = ways(i, p).firstEnd
            out.append((holes[i], p..<e))
            if i + 1 < holes.count { p = e + texts[i + 1].count }
        }
        return .success(Split(holes: out, ambiguous: total.ways > 1))
    }

    static let constrainedLimit = 4096

    /// The parts as text, hole, text, …, hole, text (texts may be empty): the holes, and the
    /// texts around them.
    static func normalized(_ parts: [MatchPattern.Part]) -> (texts: [[UInt8]], holes: [Int]) {
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
        return (texts, holes)
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
