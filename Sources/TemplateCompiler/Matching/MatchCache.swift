import Synchronization

/// The matcher of a compiled template, built once on first use: most templates are only ever
/// rendered, so compiling and decoding artifacts never pay for it. Shared by the copies of a
/// `CompiledTemplate` (a class held by the struct), and safe to use from several threads.
final class MatchCache: Sendable {
    private let state = Mutex<Result<TemplateMatcher, TemplateMatcher.Unavailable>?>(nil)

    func matcher(for template: CompiledTemplate) throws(TemplateMatcher.Unavailable) -> TemplateMatcher {
        let result = state.withLock { cached in
            if let cached { return cached }
            let built = Result { () throws(TemplateMatcher.Unavailable) -> TemplateMatcher in try TemplateMatcher(template) }
            cached = built
            return built
        }
        return try result.get()
    }
}
