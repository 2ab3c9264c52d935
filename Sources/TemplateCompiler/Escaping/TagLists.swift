/// `{tags}`: validates a list of (key, value) pairs against the dialect's tag rules and writes the
/// dialect's list form: BigQuery `[("k", "v"), …]`, Databricks `('k' = 'v', …)` (or `('k', …)` in
/// an UNSET statement).
enum TagLists {
    static func render(_ tags: [(key: String, value: String)], _ form: TagListForm, _ literal: CompiledForm) throws(RenderError) -> [UInt8] {
        let rules = form.rules
        if tags.isEmpty, !rules.allowsEmpty {
            throw RenderError(.invalidTagList, .tags, "{tags} is empty, but \(rules.what) need at least one tag in this statement: `()` is a syntax error; skip the statement when there is nothing to set")
        }
        if tags.count > rules.maxCount {
            throw RenderError(.invalidTagList, .tags, "{tags} has \(tags.count) tags, but \(rules.what) allow at most \(rules.maxCount) per object")
        }
        var pairs: [(key: String, value: String)] = []
        pairs.reserveCapacity(tags.count)
        var seen = Set<String>()
        for (index, tag) in tags.enumerated() {
            var key = tag.key, value = tag.value
            if form.normalize && rules.charset == .bigQueryLabel {
                key = key.lowercased()
                value = value.lowercased()
            }
            try check(key, isKey: true, index: index, rules)
            if !form.keysOnly { try check(value, isKey: false, index: index, rules) }
            guard seen.insert(key).inserted else {
                throw RenderError(.invalidTagList, .tags, "{tags} has the key `\(key)` twice (tag \(index + 1)): keys are unique per object; keep one value per key")
            }
            pairs.append((key, value))
        }
        var out: [UInt8] = []
        out.reserveCapacity(8 + tags.count * 16)
        func literalBytes(_ s: String) {
            var s = s
            s.withUTF8 { b in
                out += literal.open
                let start = out.count
                out += repeatElement(0, count: literal.escapedCount(b))
                out.withUnsafeMutableBufferPointer { o in _ = literal.write(b, to: o, at: start) }
                out += literal.close
            }
        }
        switch form.style {
        case .bigQueryLabels:
            out += Array("[".utf8)
            for (i, p) in pairs.enumerated() {
                if i > 0 { out += Array(", ".utf8) }
                out.append(UInt8(ascii: "("))
                literalBytes(p.key)
                out += Array(", ".utf8)
                literalBytes(p.value)
                out.append(UInt8(ascii: ")"))
            }
            out.append(UInt8(ascii: "]"))
        case .databricksTags:
            out.append(UInt8(ascii: "("))
            for (i, p) in pairs.enumerated() {
                if i > 0 { out += Array(", ".utf8) }
                literalBytes(p.key)
                if !form.keysOnly {
                    out += Array(" = ".utf8)
                    literalBytes(p.value)
                }
            }
            out.append(UInt8(ascii: ")"))
        }
        return out
    }

    static func check(_ text: String, isKey: Bool, index: Int, _ rules: TagRules) throws(RenderError) {
        let what = isKey ? "key" : "value"
        let shown = "{tags} \(what) `\(text)` (tag \(index + 1))"
        var scalars = 0
        for s in text.unicodeScalars {
            scalars += 1
            if s.value == 0 {
                throw RenderError(.nulInValue, .tags, "\(shown) contains the NUL character (U+0000): no database stores it; remove it")
            }
            if isKey, rules.forbiddenKeyCharacters.unicodeScalars.contains(s) {
                throw RenderError(.invalidTag, .tags, "\(shown) contains `\(s)`: \(rules.what) keys cannot contain any of \(rules.forbiddenKeyCharacters.map { "`\($0)`" }.joined(separator: " "))")
            }
            if rules.charset == .bigQueryLabel, !isLabelCharacter(s) {
                let hint = (s.value >= 0x41 && s.value <= 0x5A) ? " (set normalize_labels=on to lowercase labels)" : ""
                throw RenderError(.invalidTag, .tags, "\(shown) contains `\(s.escaped(asASCII: false))`: \(rules.what) hold only lowercase letters, digits, `_`, `-` and international characters\(hint)")
            }
        }
        if isKey, rules.keyStartsWithLetter, let first = text.unicodeScalars.first,
           !((first.value >= 0x61 && first.value <= 0x7A) || first.value >= 0x80) {
            throw RenderError(.invalidTag, .tags, "\(shown) must start with a lowercase letter or an international character in \(rules.what)")
        }
        let minimum = isKey ? rules.keyMinLength : 0
        let maximum = isKey ? rules.keyMaxLength : rules.valueMaxLength
        if scalars < minimum {
            throw RenderError(.invalidTag, .tags, "\(shown) is empty: \(rules.what) keys need \(minimum) to \(maximum) characters")
        }
        if scalars > maximum {
            throw RenderError(.invalidTag, .tags, "\(shown) is \(scalars) characters long: \(rules.what) \(what)s hold at most \(maximum)")
        }
    }

    /// BigQuery label characters: lowercase letters, digits, `_`, `-`, and international characters
    /// (anything beyond ASCII that is not a control or space).
    static func isLabelCharacter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v >= 0x61 && v <= 0x7A { return true }
        if v >= 0x30 && v <= 0x39 { return true }
        if v == 0x5F || v == 0x2D { return true }
        if v < 0x80 { return false }
        return !s.properties.isWhitespace && s.properties.generalCategory != .control
            && !(s.properties.isUppercase)
    }
}
