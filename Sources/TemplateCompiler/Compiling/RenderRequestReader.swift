/// Reads the usual `render --serve` request — `{"id"?, "template", "dialect"?, "update"?,
/// "level"?, "vars"?}` — in one pass over the line, without building a `JSONDocument` tree: the
/// settings stay byte ranges of the line (the compile cache compares them as bytes), the values go
/// straight into one buffer, a slot per variable.
///
/// It only accepts what it can answer exactly as the general path (`JSONDocument.parse` and
/// `RenderValues(json:)`) would: anything unusual — `compiled`, escaped keys, a setting that is
/// not a plain string, a value that is not a valid string, any syntax error — makes `read` return
/// false, and the caller answers with the general path, so answers and error messages are the same
/// byte for byte. The strings it cannot judge alone (escapes) are checked by the general parser.
struct RenderRequestReader {
    /// The id as it appears in the line, when writing the parsed value would give the same bytes
    /// (a short integer, a plain ASCII string); otherwise `idValue` holds the parsed value.
    var idRaw: Range<Int>? = nil
    var idValue: JSONDocument? = nil
    /// The contents (between the quotes, escapes not decoded) of the template and its settings.
    var template: Range<Int>? = nil
    var dialect: Range<Int>? = nil
    var update: Range<Int>? = nil
    var level: Range<Int>? = nil
    /// The decoded UTF-8 value of each variable (by `Variable.slot`) in `valueBytes`.
    var ranges = [Range<Int>?](repeating: nil, count: Variable.allCases.count)
    var valueBytes: [UInt8] = []
    var tags: [(key: String, value: String)] = []
    private var sawVars = false

    init() { valueBytes.reserveCapacity(1024) }

    /// Reads one request line; false when the general path must answer it.
    mutating func read(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        idRaw = nil; idValue = nil
        template = nil; dialect = nil; update = nil; level = nil
        sawVars = false
        clearValues()
        var p = JSONScanner(b)
        p.skipSpace()
        guard p.i < b.count, b[p.i] == UInt8(ascii: "{") else { return false }
        p.i += 1
        p.skipSpace()
        guard p.i < b.count, b[p.i] != UInt8(ascii: "}") else { return false }
        while true {
            p.skipSpace()
            guard let key = plainKey(&p) else { return false }
            p.skipSpace()
            guard p.i < b.count, b[p.i] == UInt8(ascii: ":") else { return false }
            p.i += 1
            p.skipSpace()
            guard p.i < b.count else { return false }
            switch RequestKey(b, key) {
            // A repeated key is refused by the general path (the scanner): it answers.
            case .id:
                guard idRaw == nil, idValue == nil, readID(&p) else { return false }
            case .template:
                guard template == nil, let r = settingString(&p) else { return false }
                template = r
            case .dialect:
                guard dialect == nil, let r = settingString(&p) else { return false }
                dialect = r
            case .update:
                guard update == nil, let r = settingString(&p) else { return false }
                update = r
            case .level:
                guard level == nil, let r = settingString(&p) else { return false }
                level = r
            case .vars:
                guard !sawVars, readVars(&p) else { return false }
                sawVars = true
            case .compiled, .other:
                return false
            }
            p.skipSpace()
            guard p.i < b.count else { return false }
            if b[p.i] == UInt8(ascii: ",") { p.i += 1; continue }
            guard b[p.i] == UInt8(ascii: "}") else { return false }
            p.i += 1
            break
        }
        p.skipSpace()
        return p.i == b.count && template != nil
    }

    private mutating func clearValues() {
        for k in ranges.indices { ranges[k] = nil }
        valueBytes.removeAll(keepingCapacity: true)
        if !tags.isEmpty { tags.removeAll() }
    }

    enum RequestKey {
        case id, template, dialect, update, level, vars, compiled, other

        init(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
            func eq(_ s: StaticString) -> Bool {
                guard s.utf8CodeUnitCount == r.count else { return false }
                let p = s.utf8Start
                for k in 0..<r.count where b[r.lowerBound + k] != p[k] { return false }
                return true
            }
            switch r.count {
            case 2 where eq("id"): self = .id
            case 8 where eq("template"): self = .template
            case 7 where eq("dialect"): self = .dialect
            case 6 where eq("update"): self = .update
            case 5 where eq("level"): self = .level
            case 4 where eq("vars"): self = .vars
            case 8 where eq("compiled"): self = .compiled
            default: self = .other
            }
        }
    }

    /// A key without escapes or control characters (its bytes are its text for comparison: an
    /// invalid UTF-8 key matches no known key either way).
    private func plainKey(_ p: inout JSONScanner) -> Range<Int>? {
        let b = p.b
        guard p.i < b.count, b[p.i] == 0x22 else { return nil }
        let start = p.i + 1
        var i = start
        while i < b.count, b[i] != 0x22, b[i] != 0x5C, b[i] >= 0x20 { i += 1 }
        guard i < b.count, b[i] == 0x22 else { return nil }
        p.i = i + 1
        return start..<i
    }

    /// The raw contents of a string value. Escaped strings are validated by the general parser;
    /// the UTF-8 of the settings is checked when a setting is first compiled (the cache only holds
    /// valid ones).
    private func settingString(_ p: inout JSONScanner) -> Range<Int>? {
        let b = p.b
        guard b[p.i] == 0x22 else { return nil }
        let start = p.i + 1
        var i = start
        while i < b.count, b[i] != 0x22, b[i] != 0x5C, b[i] >= 0x20 { i += 1 }
        guard i < b.count else { return nil }
        if b[i] == 0x22 { p.i = i + 1; return start..<i }
        guard b[i] == 0x5C, let (_, valid) = try? p.string(), valid else { return nil }
        return start..<(p.i - 1)
    }

    /// The id: echoed as it is when the writer would write the same bytes.
    private mutating func readID(_ p: inout JSONScanner) -> Bool {
        let b = p.b
        let start = p.i
        var i = start
        let c = b[i]
        if c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) {
            // An integer of at most 15 digits, no leading zero, not -0: `String(Int)` of its value.
            let negative = c == UInt8(ascii: "-")
            if negative { i += 1 }
            let digits = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            let n = i - digits
            let ends = i == b.count || !(b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")
                                         || b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"))
            if ends, n >= 1, n <= 15, n == 1 || b[digits] != 0x30, !(negative && b[digits] == 0x30) {
                p.i = i
                idRaw = start..<i
                idValue = nil
                return true
            }
        } else if c == 0x22 {
            i += 1
            while i < b.count, b[i] >= 0x20, b[i] <= 0x7E, b[i] != 0x22, b[i] != 0x5C { i += 1 }
            if i < b.count, b[i] == 0x22 {
                p.i = i + 1
                idRaw = start..<p.i
                idValue = nil
                return true
            }
        }
        p.i = start
        guard let v = try? p.document(depth: 1) else { return false }
        if RenderRequestReader.isASCII(p.b, start..<p.i) {
            idRaw = start..<p.i
            idValue = nil
        } else {
            idRaw = nil
            idValue = v
        }
        return true
    }

    /// An id is echoed byte for byte (`1e400`, `9007199254740993`, `{"a": 1}`) when its text is
    /// ASCII: a number's value would not survive a Double. Other text is written from the parsed
    /// value, which is the same string.
    static func isASCII(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        r.allSatisfy { b[$0] < 0x80 }
    }

    /// The bytes of the top-level `"id"` value of a request line, for the general path (which
    /// refuses a repeated key before the id is used); nil when the line is not an object
    /// of valid members, or the id's text is not ASCII.
    static func rawID(_ b: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var p = JSONScanner(b)
        p.skipSpace()
        guard p.i < b.count, b[p.i] == UInt8(ascii: "{") else { return nil }
        p.i += 1
        var found: Range<Int>? = nil
        while true {
            p.skipSpace()
            guard p.i < b.count else { return nil }
            if b[p.i] == UInt8(ascii: "}") { break }
            guard let (key, _) = try? p.string() else { return nil }
            p.skipSpace()
            guard p.i < b.count, b[p.i] == UInt8(ascii: ":") else { return nil }
            p.i += 1
            p.skipSpace()
            let start = p.i
            guard (try? p.document(depth: 1)) != nil else { return nil }
            if key == "id" { found = start..<p.i }
            p.skipSpace()
            guard p.i < b.count else { return nil }
            if b[p.i] == UInt8(ascii: ",") { p.i += 1; continue }
            guard b[p.i] == UInt8(ascii: "}") else { return nil }
            break
        }
        guard let r = found, isASCII(b, r) else { return nil }
        return r
    }

    /// `"vars": {…}`: each value decoded into `valueBytes`; a repeated name goes to the general
    /// path, which refuses it.
    private mutating func readVars(_ p: inout JSONScanner) -> Bool {
        let b = p.b
        guard b[p.i] == UInt8(ascii: "{") else { return false }
        clearValues()
        var sawTags = false
        p.i += 1
        p.skipSpace()
        if p.i < b.count, b[p.i] == UInt8(ascii: "}") { p.i += 1; return true }
        while true {
            p.skipSpace()
            guard let key = plainKey(&p), let v = Variable(utf8: b, key) else { return false }
            p.skipSpace()
            guard p.i < b.count, b[p.i] == UInt8(ascii: ":") else { return false }
            p.i += 1
            p.skipSpace()
            guard p.i < b.count else { return false }
            if v == .tags {
                guard !sawTags, readTags(&p) else { return false }
                sawTags = true
            } else {
                guard ranges[v.slot] == nil, let r = valueString(&p) else { return false }
                ranges[v.slot] = r
            }
            p.skipSpace()
            guard p.i < b.count else { return false }
            if b[p.i] == UInt8(ascii: ",") { p.i += 1; continue }
            guard b[p.i] == UInt8(ascii: "}") else { return false }
            p.i += 1
            return true
        }
    }

    /// A string value, decoded into `valueBytes`; nil unless it is valid text.
    private mutating func valueString(_ p: inout JSONScanner) -> Range<Int>? {
        let b = p.b
        guard b[p.i] == 0x22 else { return nil }
        let start = p.i + 1
        var i = start
        var ascii = true
        while i < b.count, b[i] != 0x22, b[i] != 0x5C, b[i] >= 0x20 {
            if b[i] >= 0x80 { ascii = false }
            i += 1
        }
        guard i < b.count else { return nil }
        let at = valueBytes.count
        if b[i] == 0x22 {
            let raw = UnsafeBufferPointer(rebasing: b[start..<i])
            if !ascii {
                var k = 0
                while k < raw.count {
                    if raw[k] < 0x80 { k += 1; continue }
                    let n = p.utf8Length(raw, k)
                    if n == 0 { return nil }
                    k += n
                }
            }
            valueBytes.append(contentsOf: raw)
            p.i = i + 1
            return at..<valueBytes.count
        }
        guard b[i] == 0x5C, let (s, valid) = try? p.string(), valid else { return nil }
        valueBytes.append(contentsOf: s.utf8)
        return at..<valueBytes.count
    }

    /// `"tags": [[key, value], …]`, read by the general parser and checked as `RenderValues(json:)`
    /// checks it.
    private mutating func readTags(_ p: inout JSONScanner) -> Bool {
        tags.removeAll()
        guard let list = (try? p.document(depth: 2))?.arrayValue else { return false }
        for pair in list {
            guard let kv = pair.arrayValue, kv.count == 2, let k = kv[0].stringValue, let v = kv[1].stringValue else { return false }
            tags.append((k, v))
        }
        return true
    }
}

/// The values `RenderRequestReader` read, for the renderer.
struct ReadValues: RenderValueSource {
    let bytes: UnsafeBufferPointer<UInt8>
    let ranges: [Range<Int>?]
    let tagList: [(key: String, value: String)]

    @inline(__always) func withValue<R>(_ v: Variable, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard let r = ranges[v.slot] else { return nil }
        return body(UnsafeBufferPointer(rebasing: bytes[r]))
    }
}

extension Variable {
    /// A dense index, for tables of one entry per variable.
    var slot: Int {
        switch self {
        case .database: 0
        case .schema: 1
        case .table: 2
        case .column: 3
        case .description: 4
        case .owner: 5
        case .tagKey: 6
        case .tagValue: 7
        case .tags: 8
        }
    }

    static let namesUTF8: [[UInt8]] = Variable.allCases.map { Array($0.rawValue.utf8) }

    /// The variable named by these bytes, as `Variable(name:)` would find it.
    init?(utf8 b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
        let names = Variable.namesUTF8
        for (k, name) in names.enumerated() where name.count == r.count {
            var same = true
            for j in 0..<name.count where b[r.lowerBound + j] != name[j] { same = false; break }
            if same { self = Variable.allCases[k]; return }
        }
        return nil
    }
}
