/// A template compiled for rendering: literal text and typed holes, each hole with its escaper
/// fixed at compile time. Versioned and deterministic when serialized (`jsonText`, or `Codable`
/// with sorted keys), so a deployment can compile once and a sync engine render with no parsing.
public struct CompiledTemplate: Codable, Sendable, Hashable {
    /// The artifact format this templatec writes and reads.
    public static let formatVersion: Int = 1

    public enum Segment: Hashable, Sendable {
        /// SQL text, written as it is (`{{` and `}}` already turned into single braces).
        case text(String)
        case hole(Hole)
    }

    public let version: Int
    /// `fnv1a64:<16 hex digits>` of the template's source bytes.
    public let sourceHash: String
    public let dialect: DialectID
    public let options: DialectOptions
    public let context: UpdateContext
    /// The dialect's name rules, for the holes that write names.
    public let names: NameRules
    /// The rules of the principals `{owner}` names, where the dialect has its own (Unity Catalog).
    public let principals: NameRules?
    public let segments: [Segment]
    /// Everything rendering needs, prepared once (byte tables, literal bytes).
    let program: RenderProgram
    /// The matcher (`match`), built on first use; not part of the artifact.
    let matchCache = MatchCache()

    public init(sourceHash: String, dialect: DialectID, options: DialectOptions, context: UpdateContext,
                names: NameRules, principals: NameRules? = nil, segments: [Segment]) {
        self.version = CompiledTemplate.formatVersion
        self.sourceHash = sourceHash
        self.dialect = dialect
        self.options = options
        self.context = context
        self.names = names
        self.principals = principals
        self.segments = segments
        self.program = RenderProgram(segments: segments, names: names, principals: principals, dialectName: Dialect.named(dialect).displayName)
    }

    /// The variables the template uses, in order of first use.
    public var variables: [Variable] {
        var seen: [Variable] = []
        for case .hole(let h) in segments where !seen.contains(h.variable) { seen.append(h.variable) }
        return seen
    }

    public var holes: [Hole] {
        segments.compactMap { if case .hole(let h) = $0 { return h } else { return nil } }
    }

    /// Renders the SQL: validates every value, escapes it for its hole, concatenates.
    public func render(_ values: RenderValues) throws(RenderError) -> String {
        try program.render(values)
    }

    /// The rendered SQL as UTF-8 bytes.
    public func renderUTF8(_ values: RenderValues) throws(RenderError) -> [UInt8] {
        try program.renderBytes(values)
    }

    public static func == (a: CompiledTemplate, b: CompiledTemplate) -> Bool {
        a.version == b.version && a.sourceHash == b.sourceHash && a.dialect == b.dialect && a.options == b.options
            && a.context == b.context && a.names == b.names && a.principals == b.principals && a.segments == b.segments
    }

    public func hash(into h: inout Hasher) {
        h.combine(sourceHash)
        h.combine(dialect)
        h.combine(segments)
    }
}

/// FNV-1a, 64 bits: a stable, dependency-free fingerprint of the source (not a security hash).
public enum SourceHash {
    public static func fnv1a64(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        let hex = String(h, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
