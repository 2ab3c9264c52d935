/// Checks run on a value before it is escaped. Each refusal names the variable, the rule and the
/// limit, and carries a stable code from `RenderingCodes`.
enum ValueValidation {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// `{description}` for messages.
    static func label(_ v: Variable) -> String { "{\(v.rawValue)}" }

    /// The number of Unicode scalars in `b[..<end]`.
    static func characters(_ b: Bytes, upTo end: Int? = nil) -> Int {
        var n = 0
        for i in 0..<(end ?? b.count) where b[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    static func length(_ b: Bytes, _ unit: TextLimit.Unit) -> Int {
        switch unit {
        case .bytes: return b.count
        case .characters: return characters(b)
        case .utf16Bytes:
            var units = 0
            for x in b where x & 0xC0 != 0x80 { units += x >= 0xF0 ? 2 : 1 }
            return units * 2
        }
    }

    /// No value may hold U+0000.
    @inline(__always) static func checkNoNUL(_ b: Bytes, _ v: Variable) throws(RenderError) {
        guard let i = b.firstIndex(of: 0) else { return }
        throw RenderError(.nulInValue, v, "\(label(v)) contains the NUL character (U+0000) at character \(characters(b, upTo: i) + 1): no database stores it in text or names; remove it from the value")
    }

    static func checkLimit(_ b: Bytes, _ v: Variable, _ limit: TextLimit) throws(RenderError) {
        if limit.basicMultilingualPlaneOnly, let i = b.firstIndex(where: { $0 >= 0xF0 }) {
            throw RenderError(.characterNotStorable, v, "\(label(v)) holds a character beyond U+FFFF (such as an emoji) at character \(characters(b, upTo: i) + 1), but \(limit.what) stores only characters up to U+FFFF (utf8mb3) and would silently replace it with `?`: remove the character from the value")
        }
        // Cheap bound first: characters and UTF-16 units never exceed the byte count.
        let bound = limit.unit == .utf16Bytes ? b.count * 2 : b.count
        guard bound > limit.maximum else { return }
        let n = length(b, limit.unit)
        guard n > limit.maximum else { return }
        throw RenderError(.valueTooLong, v, "\(label(v)) is \(n) \(unitName(limit.unit)) long, but \(limit.what) holds at most \(limit.maximum): the database would truncate or reject it; shorten the text")
    }

    /// Values that together fill one stored text (`{schema}_{table}`) and are too long together.
    static func groupTooLong(_ variables: [Variable], _ used: Int, _ limit: TextLimit) -> RenderError {
        let names = variables.map(label).joined(separator: " and ")
        return RenderError(.valueTooLong, variables.last, "\(names) together are \(used) \(unitName(limit.unit)) long, but \(limit.what) holds at most \(limit.maximum) of them: the database would truncate or reject the text; shorten the values")
    }

    static func unitName(_ u: TextLimit.Unit) -> String {
        switch u {
        case .bytes: return "bytes (UTF-8)"
        case .characters: return "characters"
        case .utf16Bytes: return "bytes (UTF-16)"
        }
    }

    /// A name: not empty, not too long, no character the dialect cannot store even quoted.
    static func checkName(_ b: Bytes, _ v: Variable, _ rules: NameRules, dialect: String) throws(RenderError) {
        guard !b.isEmpty else {
            throw RenderError(.emptyName, v, "\(label(v)) is empty: a name needs at least one character")
        }
        try checkNoNUL(b, v)
        let n = rules.lengthUnit == .bytes ? b.count : characters(b)
        if n > rules.maxLength {
            let unit = rules.lengthUnit == .bytes ? "bytes" : "characters"
            throw RenderError(.nameTooLong, v, "\(label(v)) is \(n) \(unit) long, but \(dialect) names hold at most \(rules.maxLength) \(unit)\(rules.lengthUnit == .bytes && rules.maxLength == 63 ? " (longer names are silently truncated)" : ""): shorten the name")
        }
        if let pattern = rules.strictPattern, !rules.isGluable(b, atWordStart: true) {
            throw RenderError(.nameOutsidePattern, v, "\(label(v)) `\(String(decoding: b, as: UTF8.self))` does not match \(pattern), the only names \(dialect) accepts in both DDL and DML: rename the object or map the name")
        }
        for (i, x) in b.enumerated() {
            if !rules.allowsControlCharacters, x < 0x20 || x == 0x7F {
                throw RenderError(.forbiddenInName, v, "\(label(v)) contains the control character U+\(hex(UInt32(x))) at character \(characters(b, upTo: i) + 1): \(dialect) names cannot hold control characters, even quoted")
            }
            if !rules.allowsSupplementaryCharacters, x >= 0xF0 {
                throw RenderError(.forbiddenInName, v, "\(label(v)) contains a character outside the Basic Multilingual Plane (such as an emoji) at character \(characters(b, upTo: i) + 1): \(dialect) names can hold only U+0001–U+FFFF")
            }
        }
        if !rules.allowsTrailingSpace, b.last == 0x20 {
            throw RenderError(.forbiddenInName, v, "\(label(v)) ends with a space: \(dialect) names cannot end with a space")
        }
        for f in rules.forbidden where f.applies(to: v) && contains(b, f.text) {
            throw RenderError(.forbiddenInName, v, "\(label(v)) contains `\(f.text)`: \(f.reason)")
        }
    }

    /// Sequences a literal or name form cannot represent.
    static func checkContents(_ b: Bytes, _ v: Variable, _ form: QuotedForm) throws(RenderError) {
        guard form.refusesBackslashNewline, b.count > 1 else { return }
        for i in 0..<(b.count - 1) where b[i] == 0x5C && (b[i + 1] == 0x0A || b[i + 1] == 0x0D) {
            throw RenderError(.unescapableSequence, v, "\(label(v)) has a backslash followed by a line break at character \(characters(b, upTo: i) + 1): SQL Server deletes that pair inside a string constant and has no escape for it; change the text (a space after the backslash keeps it)")
        }
    }

    /// Dollar quotes escape nothing: refuse a value that contains the tag, or that starts with the
    /// end of the tag or ends with its beginning (it could complete a tag with the text around it).
    static func checkDollar(_ b: Bytes, _ v: Variable, tag: String) throws(RenderError) {
        let whole = Array("$\(tag)$".utf8)
        var problem: String? = nil
        if contains(b, whole) {
            problem = "contains `$\(tag)$`, which would end the dollar-quoted string"
        } else {
            for k in 1..<whole.count {
                if b.count >= k, b.suffix(k).elementsEqual(whole.prefix(k)) {
                    problem = "ends with `\(String(decoding: whole.prefix(k), as: UTF8.self))`, which could join the closing `$\(tag)$`"
                    break
                }
                if b.count >= k, b.prefix(k).elementsEqual(whole.suffix(k)) {
                    problem = "starts with `\(String(decoding: whole.suffix(k), as: UTF8.self))`, which could join the opening `$\(tag)$`"
                    break
                }
            }
        }
        if let p = problem {
            throw RenderError(.dollarTagInValue, v, "\(label(v)) \(p): nothing is escaped inside a dollar quote; use the bare placeholder, which renders an escaped literal")
        }
    }

    static func contains(_ b: Bytes, _ needle: String) -> Bool { contains(b, Array(needle.utf8)) }

    static func contains(_ b: Bytes, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, b.count >= needle.count else { return false }
        var i = 0
        while i <= b.count - needle.count {
            if b[i] == first {
                var k = 1
                while k < needle.count, b[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    static func hex(_ x: UInt32) -> String {
        let h = String(x, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }
}
