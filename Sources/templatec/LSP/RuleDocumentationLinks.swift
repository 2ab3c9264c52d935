#if canImport(Glibc)
import Glibc
#endif
import TemplateCompiler
import TemplateWorkspace

/// Where a diagnostic's `codeDescription` points: the code's page in `docs/rules/`. The base is
/// the client's `initializationOptions.rulesDocumentation` (a URI ending in `/`), else
/// `TEMPLATEC_RULES_DOCS`, else the `docs/rules` folder of the checkout the binary was built in
/// (found by walking up from the executable), as a `file://` URI. With none, no link is sent.
struct RuleDocumentationLinks {
    let base: String?

    init(option: String?) {
        if let o = option, !o.isEmpty {
            base = o.hasSuffix("/") ? o : o + "/"
        } else if let e = getenv("TEMPLATEC_RULES_DOCS"), let s = String(validatingCString: e), !s.isEmpty {
            base = s.hasSuffix("/") ? s : s + "/"
        } else {
            base = RuleDocumentationLinks.besideExecutable().map { "file://" + RuleDocumentationLinks.percentEncoded($0) + "/" }
        }
    }

    func link(_ code: String) -> String? {
        guard let base, DiagnosticCatalog.code(code) != nil else { return nil }
        return base + code + ".md"
    }

    static func besideExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        var dir = Paths.directory(of: String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        for _ in 0..<6 {
            let candidate = dir + "/docs/rules"
            if FileSystem.exists(candidate + "/README.md") { return candidate }
            if dir == "/" || dir.isEmpty { break }
            dir = Paths.directory(of: dir)
        }
        return nil
    }

    /// A path as URI text: unreserved bytes and `/` as they are, the rest `%XX`.
    static func percentEncoded(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in path.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(b)
            default:
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
