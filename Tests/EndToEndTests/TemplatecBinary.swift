import Foundation

/// The `templatec` binary the end-to-end tests run: `TEMPLATEC_BINARY` when set (scripts/test.sh
/// points it at the release build, the product people run), else the debug build.
enum TemplatecBinary {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var url: URL {
        if let p = ProcessInfo.processInfo.environment["TEMPLATEC_BINARY"], !p.isEmpty {
            return URL(fileURLWithPath: p, relativeTo: repository).standardizedFileURL
        }
        return repository.appendingPathComponent(".build/debug/templatec")
    }

    static var path: String { url.path }
}
