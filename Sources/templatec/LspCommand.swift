#if canImport(Glibc)
import Glibc
#endif
import TemplateCompiler

/// `templatec lsp`: the language server on standard input and output (LSP 3.17, JSON-RPC 2.0).
/// The protocol is `LanguageServer`; this reads frames from fd 0, writes answers to fd 1 and
/// logs to stderr.
enum LspCommand: Command {
    static let name = "lsp"
    static let summary = "run the language server (LSP over stdio) for editors"
    static let help = """
    Usage: templatec lsp

    Runs templatec's language server on standard input and output (Language Server Protocol
    3.17): diagnostics as you type (with `.templatec.json` found from each document's path, as
    `check` does), quick fixes and "Fix all safe", hover on placeholders and completion of the
    variables inside `{`. `.sql` templates and JSON pipeline or channel files are checked.
    Set-up for Neovim, Helix, Zed and VS Code: docs/editors.md.

    Options:
      --stdio              accepted for clients that pass it (stdio is the only transport)
      -h, --help           show this help

    Exit status: 0 after `shutdown` then `exit`; 1 when the input ends or `exit` comes first.

    """

    static func run(_ argv: [String]) throws -> Int32 {
        _ = try Arguments(argv, valueOptions: [], flagOptions: ["stdio"])
        return serve()
    }

    static func serve() -> Int32 {
        let server = LanguageServer()
        server.log = { line in Output.stderr("templatec lsp: \(line)\n"); Output.flush() }
        var framer = MessageFramer()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            framer.append(chunk[0..<n])
            while let event = framer.next() {
                switch event {
                case .dropped(let why):
                    server.log(why)
                case .message(let body):
                    for reply in server.handle(JSONRPC.parse(body)) { send(reply) }
                    if let status = server.exitStatus { return status }
                }
            }
        }
        if framer.pendingBytes > 0 { server.log("the input ended inside a message (\(framer.pendingBytes) bytes): dropped") }
        return server.phase == .shuttingDown ? 0 : 1
    }

    static func send(_ message: JSONDocument) {
        var body: [UInt8] = []
        message.write(into: &body)
        let framed = MessageFramer.frame(body)
        framed.withUnsafeBufferPointer { p in
            var off = 0
            while off < p.count {
                let n = write(1, p.baseAddress! + off, p.count - off)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                off += n
            }
        }
    }
}
