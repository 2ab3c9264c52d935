import Foundation

/// An answer to one request.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var extraHeaders: [(String, String)] = []

    public init(status: Int, contentType: String = "application/json", body: [UInt8], extraHeaders: [(String, String)] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.extraHeaders = extraHeaders
    }

    /// `{"status": N, "message": "…"}`: every refusal says what and what to do.
    public static func message(_ status: Int, _ text: String) -> HTTPResponse {
        var out: [UInt8] = []
        AnswerJSON.object(["status": .int(status), "message": .text(text)], into: &out)
        out.append(0x0A)
        return HTTPResponse(status: status, body: out)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 413: return "Content Too Large"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status"
        }
    }

    /// The answer on the wire; for a HEAD request, without the body (its length still announced).
    func bytes(keepAlive: Bool, head: Bool = false) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(HTTPResponse.reason(status))\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        for (k, v) in extraHeaders { text += "\(k): \(v)\r\n" }
        text += keepAlive ? "\r\n" : "Connection: close\r\n\r\n"
        return head ? Array(text.utf8) : Array(text.utf8) + body
    }
}

/// The JSON of answers, keys in the order given (`status` first, for people reading them).
enum AnswerJSON {
    enum Value { case int(Int), text(String) }
    static func object(_ fields: KeyValuePairs<String, Value>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, (k, v)) in fields.enumerated() {
            if i > 0 { out += Array(", ".utf8) }
            string(k, into: &out)
            out += Array(": ".utf8)
            switch v {
            case .int(let n): out += Array(String(n).utf8)
            case .text(let s): string(s, into: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0..<0x20: out += Array(String(format: "\\u%04x", Int(b)).utf8)
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}
