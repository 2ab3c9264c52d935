/// Several templates at once: which one is this statement an instance of? For statement histories
/// (ClickHouse `system.query_log`, a PostgreSQL DDL event trigger) and `sync --to-openmetadata`,
/// which see statements of every template in use (issue 14, sections 3 and 4).
///
///     let set = try TemplateMatcherSet([("postgres/description/table/set", compiled), …])
///     if case .success(let hit) = set.match(statement) { hit.key; hit.match.values }
public struct TemplateMatcherSet: Sendable {
    public let keys: [String]
    let matchers: [TemplateMatcher]

    /// The templates, each under a key of the caller's (a connector default's name, a file).
    public init(_ templates: [(key: String, template: CompiledTemplate)]) throws(TemplateMatcher.Unavailable) {
        var matchers: [TemplateMatcher] = []
        for t in templates { matchers.append(try t.template.matcher()) }
        self.keys = templates.map(\.key)
        self.matchers = matchers
    }

    public struct Hit: Sendable {
        public let key: String
        public let match: TemplateMatch
    }

    /// Why no template matched: the failure that got furthest into the SQL, and its template.
    public struct Miss: Error, Sendable {
        public let key: String?
        public let failure: MatchFailure?
    }

    /// The first template (in the order given) the SQL is an instance of.
    public func match(_ sql: String) -> Result<Hit, Miss> {
        var sql = sql
        return sql.withUTF8 { bytes in
            var closest: (String, MatchFailure)? = nil
            for (k, matcher) in matchers.enumerated() {
                switch matcher.match(utf8: bytes) {
                case .success(let m): return .success(Hit(key: keys[k], match: m))
                case .failure(let f):
                    if closest.map({ f.offset > $0.1.offset }) ?? true { closest = (keys[k], f) }
                }
            }
            return .failure(Miss(key: closest?.0, failure: closest?.1))
        }
    }
}
