import Foundation

/// Why the catalog could not be read. `description` says what failed, where (never the token) and
/// what to check.
public struct CatalogError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable { case invalidURL, unauthorized, forbidden, notFound, unavailable, badAnswer }
    public var kind: Kind
    public var message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// Where the catalog is: `http[s]://host[:port][/prefix]`. A trailing `/api` (the form the
/// catalog's own ingestion configs use, `http://localhost:8585/api`) is accepted and dropped.
public struct CatalogLocation: Sendable, Equatable {
    public var useTLS: Bool
    public var host: String
    public var port: Int
    /// A path the server is mounted under behind a reverse proxy ("" for none), without a final `/`.
    public var prefix: String

    public var origin: String { "\(useTLS ? "https" : "http")://\(hostPort(host, port))" }
    public var shown: String { origin + prefix }

    public static func parse(_ text: String) throws(CatalogError) -> CatalogLocation {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        let tls: Bool
        if lower.hasPrefix("https://") { tls = true } else if lower.hasPrefix("http://") { tls = false } else {
            throw CatalogError(.invalidURL, "--from-openmetadata '\(trimmed)': give the server's address as http://host:8585 or https://host")
        }
        var rest = Substring(trimmed.dropFirst(tls ? 8 : 7))
        if rest.contains("@") {
            throw CatalogError(.invalidURL, "--from-openmetadata: the URL must not carry credentials; put the bot's token in OPENMETADATA_TOKEN")
        }
        if let q = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<q] }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        var path = String(rest[slash...])
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix("/api") { path.removeLast(4) }
        var host = authority, portText: Substring? = nil
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else { throw CatalogError(.invalidURL, "--from-openmetadata '\(trimmed)' has no host: write http://host:8585") }
        var port = tls ? 443 : 80
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw CatalogError(.invalidURL, "--from-openmetadata '\(trimmed)': port '\(portText)' is not a number from 1 to 65535")
            }
            port = p
        }
        return CatalogLocation(useTLS: tls, host: String(host), port: port, prefix: path)
    }
}

/// Reads OpenMetadata's REST API (`/api/v1/…`): one GET per page, the token as
/// `Authorization: Bearer …`, 429 and 5xx answers (and lost connections) retried with exponential
/// backoff, 401 and 403 turned into messages that say what to check.
///
/// It rides on the project's HTTP transports: plain HTTP through `HTTPClient` (sockets), HTTPS
/// through one kept-alive `openssl s_client` tunnel (`TLSTunnelTransport`), or the system's `curl`
/// where the tunnel cannot serve (a proxy; `makeHTTPSTransport`); the token stays off every command line.
/// List answers are read one page at a time and handed to the caller, so memory holds one page.
public final class CatalogClient {
    public let location: CatalogLocation
    let transport: HTTPTransport
    let token: String?
    /// Attempts per request for answers worth retrying (429, 5xx, no connection).
    public var attempts = 6
    /// The first wait before a retry; each next one doubles (0.25, 0.5, 1, 2, 4 s).
    public var firstDelay = 0.25
    /// Seconds one request may take.
    public var timeout = 60.0
    /// How a retry waits (tests replace it).
    var sleep: (Double) -> Void = { usleep(useconds_t(max(0, $0) * 1_000_000)) }
    /// Requests made, retries included (for the summary and the tests).
    public private(set) var requests = 0

    /// `token` is the bot's JWT (OPENMETADATA_TOKEN); `environment` gives PATH for curl.
    public init(location: CatalogLocation, token: String?, environment: [String: String]) throws(CatalogError) {
        self.location = location
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        if location.useTLS {
            // As the remote executors: one kept-alive TLS tunnel for the whole walk and every
            // patch (a catalog of 50,000 entities is 50,000 patches), curl where it cannot serve.
            do {
                transport = try makeHTTPSTransport(host: location.host, port: location.port, connectTimeout: 10,
                                                   environment: environment, shown: location.shown)
            } catch {
                throw CatalogError(.invalidURL, error.message)
            }
        } else {
            transport = SocketHTTPTransport(host: location.host, port: location.port, connectTimeout: 10)
        }
    }

    /// The id of the database service `name` (the response's `serviceId`). Also the first proof
    /// that the address is an OpenMetadata server and the token is accepted.
    public func serviceID(_ name: String) throws(CatalogError) -> String {
        let body = try get("/api/v1/services/databaseServices/name/" + CatalogClient.encodePath(name), what: "database service `\(name)`")
        struct ServiceEntity: Decodable { var id: String }
        guard let service = try? JSONDecoder().decode(ServiceEntity.self, from: Data(body)) else {
            throw CatalogError(.badAnswer, "\(location.shown): the answer for database service `\(name)` is not a service entity: \(CatalogClient.excerpt(body))")
        }
        return service.id
    }

    /// Every entity of a list endpoint (`databases`, `databaseSchemas`, `tables`) under `filter`
    /// (`service=…`, `database=…`, `databaseSchema=…`), page by page: `each` gets one page at a time.
    /// Deleted entities are not listed (`include=non-deleted`).
    public func list(_ resource: String, filter: (String, String), fields: String, pageSize: Int,
                     each: ([CatalogEntity]) throws -> Void) throws {
        var after: String? = nil
        var seen = Set<String>()
        repeat {
            var query = "\(filter.0)=\(HTTPClient.percentEncode(filter.1))&fields=\(HTTPClient.percentEncode(fields))&limit=\(pageSize)&include=non-deleted"
            if let after { query += "&after=" + HTTPClient.percentEncode(after) }
            let what = "\(resource) of \(filter.0) `\(filter.1)`"
            let body = try get("/api/v1/\(resource)?\(query)", what: what)
            let page: CatalogPage
            do {
                page = try JSONDecoder().decode(CatalogPage.self, from: Data(body))
            } catch {
                throw CatalogError(.badAnswer, "\(location.shown): the list of \(what) is not an OpenMetadata list answer (\(CatalogClient.decodingProblem(error))): \(CatalogClient.excerpt(body))")
            }
            try each(page.data.filter { !$0.deleted })
            after = page.paging?.after.flatMap { $0.isEmpty ? nil : $0 }
            // A server that hands back a cursor it gave before would page forever.
            if let a = after, !seen.insert(a).inserted {
                throw CatalogError(.badAnswer, "\(location.shown): the list of \(what) repeats the paging cursor `\(a)`; stopped instead of reading forever")
            }
        } while after != nil
    }

    /// The user named `name` (`GET /api/v1/users/name/{name}`) as a reference, or nil when the
    /// catalog has no such user (404).
    public func user(named name: String) throws(CatalogError) -> CatalogReference? {
        let body: [UInt8]
        do { body = try get("/api/v1/users/name/" + CatalogClient.encodePath(name), what: "user `\(name)`") } catch {
            if error.kind == .notFound { return nil }
            throw error
        }
        struct User: Decodable { var id: String; var name: String; var fullyQualifiedName: String? }
        guard let user = try? JSONDecoder().decode(User.self, from: Data(body)) else {
            throw CatalogError(.badAnswer, "\(location.shown): the answer for user `\(name)` is not a user entity: \(CatalogClient.excerpt(body))")
        }
        return CatalogReference(id: user.id, type: "user", name: user.name, fullyQualifiedName: user.fullyQualifiedName)
    }

    /// Sends one JSON Patch (RFC 6902) to an entity (`/api/v1/tables/{id}`, …) and answers the
    /// patched entity. Retried as a GET is: the patches templatec sends (`add`/`replace` of object
    /// members) give the same entity when applied twice, so a retry after a lost answer is safe.
    @discardableResult
    public func patch(_ target: String, jsonPatch: String, what: String) throws(CatalogError) -> [UInt8] {
        try request("PATCH", target, body: Array(jsonPatch.utf8), contentType: "application/json-patch+json", what: what)
    }

    /// One GET with retries. `what` names the thing asked for, in messages.
    func get(_ target: String, what: String) throws(CatalogError) -> [UInt8] {
        try request("GET", target, body: [], contentType: nil, what: what)
    }

    /// One request with retries: 429, 5xx and lost connections are tried again with backoff.
    private func request(_ method: String, _ target: String, body: [UInt8], contentType: String?, what: String) throws(CatalogError) -> [UInt8] {
        let writes = method != "GET"
        var headers = [("Accept", "application/json")]
        if let contentType { headers.append(("Content-Type", contentType)) }
        if let token { headers.append(("Authorization", "Bearer " + token)) }
        let path = location.prefix + target
        var delay = firstDelay
        var attempt = 0
        while true {
            attempt += 1
            requests += 1
            let problem: String
            do {
                let response = try transport.send(method: method, target: path, headers: headers, body: body, timeout: timeout)
                switch response.status {
                case 200:
                    return response.body
                case 401:
                    throw CatalogError(.unauthorized, unauthorizedMessage(response.body))
                case 403 where writes:
                    throw CatalogError(.forbidden, "\(location.shown) refused to change \(what) (HTTP 403: \(CatalogClient.serverMessage(response.body))): the token in OPENMETADATA_TOKEN is accepted, but its bot or user may not edit it. Give it a role with the EditDescription and EditOwners permissions on databases, schemas and tables.")
                case 400 where writes:
                    throw CatalogError(.badAnswer, "\(location.shown) refused the change of \(what) (HTTP 400: \(CatalogClient.serverMessage(response.body))): the catalog did not accept the patched entity; nothing of this patch was applied")
                case 404 where writes:
                    throw CatalogError(.notFound, "\(location.shown) has no \(what) any more (HTTP 404: \(CatalogClient.serverMessage(response.body))): it was deleted since it was read; run again")
                case 403:
                    throw CatalogError(.forbidden, "\(location.shown) refused to show \(what) (HTTP 403: \(CatalogClient.serverMessage(response.body))): the token in OPENMETADATA_TOKEN is accepted, but its bot or user may not view it. Give it a role with the ViewAll (or ViewBasic) permission on databases, schemas and tables, as the ingestion-bot has.")
                case 404:
                    throw CatalogError(.notFound, "\(location.shown) has no \(what) (HTTP 404: \(CatalogClient.serverMessage(response.body))): check the name (--service is the database service's name in the catalog) and that the URL is the server's base address, as in http://host:8585")
                case 429, 500...599:
                    problem = "HTTP \(response.status)\(response.status == 429 ? " (too many requests)" : ""): \(CatalogClient.serverMessage(response.body))"
                default:
                    throw CatalogError(.badAnswer, "\(location.shown) answered HTTP \(response.status) \(writes ? "to the change of" : "for") \(what): \(CatalogClient.serverMessage(response.body))")
                }
            } catch let error as CatalogError {
                throw error
            } catch let failure as HTTPClient.Failure {
                switch failure {
                case .untrustedCertificate(let why):
                    // A certificate that does not verify will not verify on the next attempt:
                    // said at once, without the retries' "is it overloaded?" advice.
                    throw CatalogError(.invalidURL, "\(location.shown): \(why)")
                case .cannotConnect(let why): problem = "cannot connect (\(why))"
                case .timedOut: problem = "no answer within \(Int(timeout)) s"
                case .protocolError(let why): problem = why
                }
            } catch {
                problem = "\(error)"
            }
            guard attempt < attempts else {
                throw CatalogError(.unavailable, "\(location.shown) did not \(writes ? "take the change of" : "give") \(what) after \(attempts) attempts; the last: \(problem). Check that the server runs at this address and is not overloaded.")
            }
            sleep(delay)
            delay *= 2
        }
    }

    private func unauthorizedMessage(_ body: [UInt8]) -> String {
        let said = CatalogClient.serverMessage(body)
        if token == nil {
            return "\(location.shown) asks for a token (HTTP 401: \(said)): set OPENMETADATA_TOKEN to the JWT token of a bot (Settings → Bots → ingestion-bot → token in the catalog)"
        }
        return "\(location.shown) refused the token in OPENMETADATA_TOKEN (HTTP 401: \(said)): check that it is a current token of a bot of this server (not expired or revoked, copied whole, without the `Bearer ` prefix)"
    }

    /// The `message` of the catalog's error document, else an excerpt of the body.
    static func serverMessage(_ body: [UInt8]) -> String {
        struct ErrorDocument: Decodable { var message: String? }
        if let doc = try? JSONDecoder().decode(ErrorDocument.self, from: Data(body)), let m = doc.message, !m.isEmpty { return m }
        let text = excerpt(body)
        return text.isEmpty ? "no message" : text
    }

    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return body.count > 300 ? text + "…" : text
    }

    static func decodingProblem(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func at(_ path: [CodingKey]) -> String {
            path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch e {
        case .keyNotFound(let key, let ctx): return "missing property `\(key.stringValue)`\(at(ctx.codingPath))"
        case .typeMismatch(let type, let ctx): return "unexpected type (expected \(type))\(at(ctx.codingPath))"
        case .valueNotFound(let type, let ctx): return "null where \(type) is expected\(at(ctx.codingPath))"
        case .dataCorrupted(let ctx): return "not valid JSON\(at(ctx.codingPath))"
        @unknown default: return "\(e)"
        }
    }

    /// A path segment: everything but unreserved characters percent-encoded.
    static func encodePath(_ segment: String) -> String { HTTPClient.percentEncode(segment) }
}
