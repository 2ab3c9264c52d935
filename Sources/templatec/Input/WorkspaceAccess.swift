import TemplateCompiler
import TemplateWorkspace

/// The workspace layer as the commands use it: a configuration error is a usage error (exit 2).
enum Workspace {
    static func configuration(explicitPath: String?) throws(UsageError) -> ResolvedConfiguration {
        do { return ResolvedConfiguration(try ConfigResolver(explicitPath: explicitPath)) } catch { throw UsageError(error.message) }
    }
}

/// A `ConfigResolver` whose errors are usage errors.
struct ResolvedConfiguration {
    let resolver: ConfigResolver
    init(_ resolver: ConfigResolver) { self.resolver = resolver }

    func settings(for path: String) throws(UsageError) -> ContextSettings {
        do { return try resolver.settings(for: path) } catch { throw UsageError(error.message) }
    }
}
