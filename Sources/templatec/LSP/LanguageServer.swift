import TemplateCompiler

/// The protocol's state machine, without I/O: a message in, the messages to send out. The stdio
/// loop (`LspCommand`) frames them.
///
/// Lifecycle: before `initialize`, requests get `ServerNotInitialized` and notifications are
/// dropped (only `exit` counts), so nothing is sent before the `initialize` reply. After
/// `shutdown`, requests get `InvalidRequest`. `exit` ends the server: status 0 after `shutdown`,
/// 1 otherwise.
final class LanguageServer {
    enum Phase { case starting, running, shuttingDown }

    private(set) var phase = Phase.starting
    private(set) var encoding = PositionEncoding.utf16
    private(set) var exitStatus: Int32? = nil
    private var documents: [String: CheckedDocument] = [:]
    private var docs = RuleDocumentationLinks(option: nil)
    /// Lines for stderr.
    var log: (String) -> Void = { _ in }

    func handle(_ message: JSONRPC.Incoming) -> [JSONDocument] {
        switch message {
        case .invalid(let id, let code, let text):
            log("refused a message: \(text)")
            return [JSONRPC.error(id, code, text)]
        case .response:
            return []
        case .notification(let method, let params):
            return notification(method, params)
        case .request(let id, let method, let params):
            return [request(id, method, params)]
        }
    }

    private func request(_ id: JSONDocument, _ method: String, _ params: JSONDocument) -> JSONDocument {
        switch (phase, method) {
        case (.starting, "initialize"):
            return JSONRPC.result(id, initialize(params))
        case (.starting, _):
            return JSONRPC.error(id, .serverNotInitialized, "the server is not initialized: send `initialize` first")
        case (.running, "initialize"):
            return JSONRPC.error(id, .invalidRequest, "`initialize` was already sent")
        case (.shuttingDown, _):
            return JSONRPC.error(id, .invalidRequest, "the server is shutting down: only `exit` is accepted")
        case (.running, "shutdown"):
            phase = .shuttingDown
            documents.removeAll()
            return JSONRPC.result(id, .null)
        case (.running, "textDocument/codeAction"):
            return withDocument(id, params) { doc in
                guard let r = self.range(params["range"], in: doc) else { return nil }
                let only = params["context"]?["only"]?.arrayValue?.compactMap(\.stringValue)
                return CodeActions.actions(doc, range: r, only: only, docs: self.docs)
            }
        case (.running, "textDocument/hover"):
            return withDocument(id, params) { doc in
                guard let p = self.position(params["position"]) else { return nil }
                return HoverProvider.hover(doc, offset: doc.converter.byteOffset(of: p))
            }
        case (.running, "textDocument/completion"):
            return withDocument(id, params) { doc in
                guard let p = self.position(params["position"]) else { return nil }
                return CompletionProvider.complete(doc, offset: doc.converter.byteOffset(of: p))
            }
        default:
            return JSONRPC.error(id, .methodNotFound, "`\(method)` is not supported by templatec lsp")
        }
    }

    private func notification(_ method: String, _ params: JSONDocument) -> [JSONDocument] {
        if method == "exit" {
            exitStatus = phase == .shuttingDown ? 0 : 1
            return []
        }
        guard phase == .running else { return [] }
        switch method {
        case "textDocument/didOpen":
            guard let item = params["textDocument"], let uri = item["uri"]?.stringValue,
                  let text = item["text"]?.stringValue else { return invalidParams(method) }
            let doc = OpenDocument(uri: uri, path: TextDocuments.path(ofURI: uri), version: item["version"]?.intValue ?? 0,
                                   text: Array(text.utf8))
            return [update(doc)]
        case "textDocument/didChange":
            guard let uri = params["textDocument"]?["uri"]?.stringValue,
                  let changes = params["contentChanges"]?.arrayValue else { return invalidParams(method) }
            guard var doc = documents[uri]?.document else {
                log("didChange of \(uri), which is not open: ignored")
                return []
            }
            var parsed: [ContentChange] = []
            for c in changes {
                guard let text = c["text"]?.stringValue else { return invalidParams(method) }
                if let r = c["range"] {
                    guard let s = position(r["start"]), let e = position(r["end"]) else { return invalidParams(method) }
                    parsed.append(ContentChange(range: (s, e), text: text))
                } else {
                    parsed.append(ContentChange(range: nil, text: text))
                }
            }
            TextDocuments.apply(parsed, to: &doc.text, encoding: encoding)
            doc.version = params["textDocument"]?["version"]?.intValue ?? doc.version + 1
            return [update(doc)]
        case "textDocument/didClose":
            guard let uri = params["textDocument"]?["uri"]?.stringValue else { return invalidParams(method) }
            documents[uri] = nil
            return [DiagnosticPublisher.clear(uri: uri)]
        default:
            // `initialized`, `$/cancelRequest`, `workspace/didChangeConfiguration`, … need nothing.
            return []
        }
    }

    private func initialize(_ params: JSONDocument) -> JSONDocument {
        let offered = params["capabilities"]?["general"]?["positionEncodings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        encoding = PositionEncoding.negotiate(offered)
        docs = RuleDocumentationLinks(option: params["initializationOptions"]?["rulesDocumentation"]?.stringValue)
        phase = .running
        return .obj([
            "capabilities": .obj([
                "positionEncoding": .string(encoding.rawValue),
                // 2: incremental changes.
                "textDocumentSync": .obj(["openClose": .bool(true), "change": .int(2)]),
                "hoverProvider": .bool(true),
                "completionProvider": .obj(["triggerCharacters": .array([.string("{")]), "resolveProvider": .bool(false)]),
                "codeActionProvider": .obj(["codeActionKinds": .array([.string("quickfix"), .string(CodeActions.fixAllKind)])]),
            ]),
            "serverInfo": .obj(["name": .string("templatec"), "version": .string(Version.string)]),
        ])
    }

    private func update(_ doc: OpenDocument) -> JSONDocument {
        let checked = CheckedDocument(doc, encoding: encoding)
        documents[doc.uri] = checked
        return DiagnosticPublisher.publish(checked, docs: docs)
    }

    private func withDocument(_ id: JSONDocument, _ params: JSONDocument, _ body: (CheckedDocument) -> JSONDocument?) -> JSONDocument {
        guard let uri = params["textDocument"]?["uri"]?.stringValue else {
            return JSONRPC.error(id, .invalidParams, "`textDocument.uri` is missing")
        }
        guard let doc = documents[uri] else { return JSONRPC.error(id, .invalidParams, "\(uri) is not open") }
        guard let result = body(doc) else { return JSONRPC.error(id, .invalidParams, "a position or range is missing or malformed") }
        return JSONRPC.result(id, result)
    }

    private func invalidParams(_ method: String) -> [JSONDocument] {
        log("\(method) with malformed params: ignored")
        return []
    }

    private func position(_ p: JSONDocument?) -> LSPPosition? {
        guard let line = p?["line"]?.intValue, let character = p?["character"]?.intValue, line >= 0, character >= 0 else { return nil }
        return LSPPosition(line: line, character: character)
    }

    private func range(_ r: JSONDocument?, in doc: CheckedDocument) -> (start: Int, end: Int)? {
        guard let s = position(r?["start"]), let e = position(r?["end"]) else { return nil }
        return (doc.converter.byteOffset(of: s), doc.converter.byteOffset(of: e))
    }
}
