/// A compiled template run backwards: given SQL, decide whether it is an instance of the template
/// and read the values of its holes (docs/match.md).
///
///     let matcher = try TemplateMatcher(compiled)
///     switch matcher.match("COMMENT ON TABLE s.t IS 'it''s';") {
///     case .success(let m): m.values[.description]      // "it's"
///     case .failure(let f): f.reason, f.line, f.column   // the first token that differs
///     }
///
/// The contract: for every value set the renderer accepts, `match(render(values))` answers
/// exactly those values, except where an unquoted name was folded by the dialect (the answer
/// lists it in `foldedNames`) or several holes share one token and the text splits more than one
/// way (`ambiguous`). Whitespace, comments between tokens and the case of keywords do not matter;
/// anything after the template's statements, a different statement, a literal of another kind, or
/// an escape whose meaning differs between engines never matches.
public struct TemplateMatcher: Sendable {
    let pattern: MatchPattern

    /// Why a template cannot be matched against (an artifact whose text does not lex back into
    /// its holes).
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { "this template cannot be read back: \(reason)" }
    }

    /// Whether SQL exactly as rendered is read without lexing (CanonicalFastPath); off only in
    /// the tests that compare the two paths.
    let usesFastPath: Bool

    public init(_ template: CompiledTemplate) throws(Unavailable) {
        try self.init(template, fastPath: true)
    }

    init(_ template: CompiledTemplate, fastPath: Bool) throws(Unavailable) {
        do {
            pattern = try MatchPattern(template)
        } catch {
            throw Unavailable(reason: error.reason)
        }
        usesFastPath = fastPath
    }

    /// Matches one piece of SQL (one or several statements, as many as the template has).
    public func match(_ sql: String) -> Result<TemplateMatch, MatchFailure> {
        var sql = sql
        return sql.withUTF8 { match(utf8: $0, valid: true) }
    }

    /// Matches SQL given as UTF-8 bytes (invalid sequences are read as U+FFFD in values).
    public func match(utf8 sql: UnsafeBufferPointer<UInt8>) -> Result<TemplateMatch, MatchFailure> {
        match(utf8: sql, valid: false)
    }

    func match(utf8 sql: UnsafeBufferPointer<UInt8>, valid: Bool) -> Result<TemplateMatch, MatchFailure> {
        if usesFastPath, let fast = pattern.fastPath {
            var slots = [String?](repeating: nil, count: pattern.slotVariables.count)
            if fast.match(sql, slotOfHole: pattern.slotOfHole, slots: &slots, sqlIsValidUTF8: valid) {
                return .success(pattern.answer(slots, tags: [], folded: [], ambiguous: []))
            }
        }
        return generalMatch(sql)
    }

    /// The fast path's values, one place per slot (`variables` order), when the SQL is exactly as
    /// rendered; false when the general path must answer. The JSON-lines service writes them
    /// without building strings or a dictionary.
    func matchCanonical(utf8 sql: UnsafeBufferPointer<UInt8>, into values: inout CanonicalFastPath.SlotValues) -> Bool {
        guard usesFastPath, let fast = pattern.fastPath else { return false }
        return fast.match(sql, slotOfHole: pattern.slotOfHole, values: &values)
    }

    func generalMatch(_ sql: UnsafeBufferPointer<UInt8>) -> Result<TemplateMatch, MatchFailure> {
        var alignment = Alignment(pattern: pattern, sql: sql)
        if let failure = alignment.run() {
            let (line, column) = TemplateMatcher.location(of: failure.offset, in: sql)
            return .failure(MatchFailure(reason: failure.reason, offset: failure.offset, line: line, column: column))
        }
        return .success(alignment.answer())
    }

    /// 1-based line and column (Unicode scalars, as LineIndex counts them) of a byte offset.
    static func location(of offset: Int, in sql: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var line = 1, column = 1
        for i in 0..<min(offset, sql.count) {
            let b = sql[i]
            if b == chLF { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    /// The variables the template's holes read, in order of first use.
    public var variables: [Variable] { pattern.slotVariables }
}

/// What SQL matched: the values of the holes, in the form `render` takes them.
public struct TemplateMatch: Sendable, Equatable {
    public var values: RenderValues
    /// Names written unquoted with letters the dialect folds (`MyTable` in PostgreSQL is
    /// `mytable`): the value is the folded name, the one the engine uses; how the author wrote it
    /// is kept here, since the catalog's spelling cannot be known from the SQL.
    public var foldedNames: [FoldedName]
    /// Variables whose holes share one token with other holes when the text splits more than one
    /// way: the values are the earliest split.
    public var ambiguous: [Variable]

    public struct FoldedName: Sendable, Hashable {
        public var variable: Variable
        public var written: String
    }

    /// True when every value is exactly what rendering needs to write this SQL again.
    public var isExact: Bool { foldedNames.isEmpty && ambiguous.isEmpty }

    public static func == (a: TemplateMatch, b: TemplateMatch) -> Bool {
        a.values.values == b.values.values && a.values.tags.elementsEqual(b.values.tags, by: { $0 == $1 })
            && a.foldedNames == b.foldedNames && a.ambiguous == b.ambiguous
    }
}

/// Why SQL is not an instance of the template: the first token that differs.
public struct MatchFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String
    /// Byte offset into the SQL.
    public let offset: Int
    /// 1-based line and column (Unicode scalars) of `offset`.
    public let line: Int
    public let column: Int

    public var description: String { "\(line):\(column): \(reason)" }
}

extension CompiledTemplate {
    /// The matcher of this template, built on first use and kept with the template.
    public func matcher() throws(TemplateMatcher.Unavailable) -> TemplateMatcher {
        try matchCache.matcher(for: self)
    }

    /// Matches SQL against this template (see `TemplateMatcher`). A template that cannot be read
    /// back answers a failure at 1:1 saying why.
    public func match(_ sql: String) -> Result<TemplateMatch, MatchFailure> {
        do {
            return try matcher().match(sql)
        } catch {
            return .failure(MatchFailure(reason: error.description, offset: 0, line: 1, column: 1))
        }
    }
}
