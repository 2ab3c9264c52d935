/// `{tags}` read back: the dialect's list form (TagLists.render), token by token, each key and
/// value decoded from its string literal.
///
/// - BigQuery labels: `[("k", "v"), …]`, `[]` for none;
/// - Databricks: `('k' = 'v', …)`, or `('k', …)` in an UNSET statement.
extension Alignment {
    mutating func matchTagList(_ hole: Int, _ form: TagListForm, _ ref: MatchPattern.StringKindRef, from t: Int) -> Failure? {
        let element = MatchPattern.Element.tagList(hole: hole, form, ref)
        var pairs: [(key: String, value: String)] = []
        func punctuation(_ c: UInt8) -> Bool {
            guard let t = significant(), lexed.tokens[t].kind == .punctuation, sql[lexed.tokens[t].span.start] == c else { return false }
            cursor = t + 1
            return true
        }
        func fail() -> Failure {
            guard let k = significant() else {
                return Failure(offset: sql.count, reason: "the SQL ends inside \(describe(element))")
            }
            return Failure(offset: lexed.tokens[k].span.start, reason: "`\(snippet(k))` does not continue \(describe(element))")
        }
        func literal() -> Result<String, Failure> {
            guard let k = significant(), case .string(let index) = lexed.tokens[k].kind, index == ref.index, rulesName == ref.rules else {
                return .failure(fail())
            }
            let kind = stringKind(index)
            let span = lexed.tokens[k].span
            let result = decodeString(bodyRange(span, open: kind.prefix.utf8.count + (kind.triple ? 3 : 1), close: kind.triple ? 3 : 1), ref.decoder)
            if case .success = result { cursor = k + 1 }
            return result
        }
        switch form.style {
        case .bigQueryLabels:
            guard punctuation(UInt8(ascii: "[")) else { return differs(t, element) }
            if !punctuation(UInt8(ascii: "]")) {
                repeat {
                    guard punctuation(UInt8(ascii: "(")) else { return fail() }
                    let key: String, value: String
                    switch literal() { case .success(let s): key = s; case .failure(let f): return f }
                    guard punctuation(UInt8(ascii: ",")) else { return fail() }
                    switch literal() { case .success(let s): value = s; case .failure(let f): return f }
                    guard punctuation(UInt8(ascii: ")")) else { return fail() }
                    pairs.append((key, value))
                } while punctuation(UInt8(ascii: ","))
                guard punctuation(UInt8(ascii: "]")) else { return fail() }
            }
        case .databricksTags:
            guard punctuation(UInt8(ascii: "(")) else { return differs(t, element) }
            repeat {
                let key: String
                switch literal() { case .success(let s): key = s; case .failure(let f): return f }
                var value = ""
                if !form.keysOnly {
                    guard punctuation(UInt8(ascii: "=")) else { return fail() }
                    switch literal() { case .success(let s): value = s; case .failure(let f): return f }
                }
                pairs.append((key, value))
            } while punctuation(UInt8(ascii: ","))
            guard punctuation(UInt8(ascii: ")")) else { return fail() }
        }
        if slots[pattern.slotOfHole[hole]] != nil {
            let same = tags.count == pairs.count && zip(tags, pairs).allSatisfy { $0 == $1 }
            guard same else { return Failure(offset: lexed.tokens[t].span.start, reason: "{tags} is used twice in the template, but the SQL gives it two lists") }
        }
        tags = pairs
        slots[pattern.slotOfHole[hole]] = ""
        return nil
    }
}
