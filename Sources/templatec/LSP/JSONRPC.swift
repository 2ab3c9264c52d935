import TemplateCompiler

/// JSON-RPC 2.0 as LSP uses it: requests (with an id), notifications (without), responses.
/// Messages are read and written with the core's JSON reader and writer.
enum JSONRPC {
    /// The standard error codes, and LSP's.
    enum ErrorCode: Int {
        case parseError = -32700
        case invalidRequest = -32600
        case methodNotFound = -32601
        case invalidParams = -32602
        case internalError = -32603
        case serverNotInitialized = -32002
        case requestFailed = -32803
    }

    /// One message from the client, or why it is not one.
    enum Incoming: Equatable {
        case request(id: JSONDocument, method: String, params: JSONDocument)
        case notification(method: String, params: JSONDocument)
        /// A response to a request of ours (we send none that need an answer): ignored.
        case response(id: JSONDocument)
        /// Not a message: the error to answer with, and the id when one could be read.
        case invalid(id: JSONDocument, code: ErrorCode, message: String)
    }

    static func parse(_ body: [UInt8]) -> Incoming {
        let doc: JSONDocument
        do { doc = try JSONDocument.parse(body) } catch {
            return .invalid(id: .null, code: .parseError, message: error.description)
        }
        guard case .object(let o) = doc else {
            return .invalid(id: .null, code: .invalidRequest, message: "a message is a JSON object (batches are not part of LSP)")
        }
        let id = o["id"] ?? .null
        switch id {
        case .null, .string, .number: break
        default: return .invalid(id: .null, code: .invalidRequest, message: "`id` is a number or a string")
        }
        guard o["jsonrpc"]?.stringValue == "2.0" else {
            return .invalid(id: id, code: .invalidRequest, message: "`jsonrpc` must be \"2.0\"")
        }
        guard let methodValue = o["method"] else {
            if o["result"] != nil || o["error"] != nil { return .response(id: id) }
            return .invalid(id: id, code: .invalidRequest, message: "a request has a `method`")
        }
        guard let method = methodValue.stringValue else {
            return .invalid(id: id, code: .invalidRequest, message: "`method` is a string")
        }
        let params = o["params"] ?? .null
        if o["id"] == nil { return .notification(method: method, params: params) }
        if case .null = id { return .invalid(id: .null, code: .invalidRequest, message: "a request's `id` is a number or a string") }
        return .request(id: id, method: method, params: params)
    }

    static func result(_ id: JSONDocument, _ result: JSONDocument) -> JSONDocument {
        .object(["jsonrpc": .string("2.0"), "id": id, "result": result])
    }

    static func error(_ id: JSONDocument, _ code: ErrorCode, _ message: String) -> JSONDocument {
        .object(["jsonrpc": .string("2.0"), "id": id,
                 "error": .object(["code": .number(Double(code.rawValue)), "message": .string(message)])])
    }

    static func notification(_ method: String, _ params: JSONDocument) -> JSONDocument {
        .object(["jsonrpc": .string("2.0"), "method": .string(method), "params": params])
    }
}

/// Short constructors for the JSON the server writes.
extension JSONDocument {
    static func int(_ i: Int) -> JSONDocument { .number(Double(i)) }
    static func obj(_ pairs: KeyValuePairs<String, JSONDocument>) -> JSONDocument {
        var o: [String: JSONDocument] = [:]
        for (k, v) in pairs { o[k] = v }
        return .object(o)
    }
}
