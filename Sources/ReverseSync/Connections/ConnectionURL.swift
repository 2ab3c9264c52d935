import Foundation

/// Parses connection URLs:
///
///     postgresql://user[:password]@host[:port]/db[?param=value…]     (also postgres://; port 5432)
///     mysql://user[:password]@host[:port]/db[?sql_mode=…]             (also mariadb://; port 3306)
///     http[s]://[user[:password]@]host[:port][/?database=db&setting=…] (ClickHouse HTTP; port 8123, https 8443)
///     trino[+https]://[user[:password]@]host[:port][/catalog[/schema]]   (port 8080, https 443)
///     databricks[+http]://host[:port]/warehouse_id[?catalog=…&schema=…]  (HTTPS, port 443)
///     snowflake[+http]://account.snowflakecomputing.com[/database[/schema]][?warehouse=…&role=…]
///     command:<shell command>        each statement on the command's standard input
///     dry-run:                       prints the statements, runs nothing
///
/// Schemes, ports and the accepted options come from `ConnectionDescriptor`. User, password and
/// database are percent-decoded. Errors never contain the password.
public enum ConnectionURL {
    static var schemeList: String {
        "postgresql://, mysql:// (or mariadb://), http:// or https:// (ClickHouse), trino://, databricks://, snowflake://, command: or dry-run:"
    }

    public static func parse(_ text: String) throws(ConnectionError) -> ConnectionSpec {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw ConnectionError(.invalidURL, "connection URL '\(redactGuess(trimmed))' has no scheme: use \(schemeList)")
        }
        let scheme = trimmed[..<colon].lowercased()
        let rest = String(trimmed[trimmed.index(after: colon)...])
        guard let (descriptor, tls) = ConnectionDescriptor.named(scheme) else {
            throw ConnectionError(.unsupportedScheme, "connection URL scheme '\(redactGuess(scheme))' is not supported: use \(schemeList)")
        }
        var spec: ConnectionSpec
        switch descriptor.address {
        case .none:
            return ConnectionSpec(kind: descriptor.kind)
        case .command:
            let command = rest.trimmingCharacters(in: .whitespaces)
            guard !command.isEmpty else {
                throw ConnectionError(.invalidURL, "connection URL 'command:' has no command: write command:<shell command>, which gets each statement on its standard input")
            }
            spec = ConnectionSpec(kind: descriptor.kind)
            spec.command = command
            return spec
        case .databasePath, .databaseQuery, .servicePath:
            spec = try parseNetwork(rest, descriptor, tls: tls, original: trimmed)
        }
        let shown = redactGuess(trimmed)
        switch descriptor.address {
        case .databasePath:
            // Some kinds serve each database the pipeline names when the URL names none (SessionRouter).
            if (spec.database ?? "").isEmpty, !spec.kind.opensASessionPerDatabase {
                throw ConnectionError(.invalidURL, "connection URL '\(shown)' names no database: add it as the path, as in \(descriptor.scheme(tls: tls))://user@\(spec.endpoint)/mydb")
            }
        case .databaseQuery:
            spec.database = spec.options.removeValue(forKey: "database")
        case .servicePath(let form):
            try checkService(&spec, descriptor, form, shown: shown)
        case .none, .command: break
        }
        if let (key, reason) = descriptor.refusedParameters.sorted(by: { $0.key < $1.key }).first(where: { spec.options[$0.key] != nil }) {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)': the parameter '\(key)' is not accepted: \(reason). Remove it from the URL (docs/sync.md, \"The session contract\").")
        }
        return spec
    }

    /// Trino, Databricks, Snowflake: only known options, a bounded path, and no password where the
    /// service takes a token.
    private static func checkService(_ spec: inout ConnectionSpec, _ descriptor: ConnectionDescriptor,
                                     _ form: ConnectionDescriptor.ServicePath, shown: String) throws(ConnectionError) {
        spec.database = nil
        if let unknown = spec.options.keys.sorted().first(where: { !form.options.contains($0) }) {
            throw ConnectionError(.invalidURL, "connection URL '\(descriptor.scheme(tls: spec.useTLS))://\(spec.endpoint)…': unknown option '\(unknown)'; \(spec.kind.rawValue) URLs take \(form.options.joined(separator: ", ")) (credentials come from the environment, see docs/sync.md)")
        }
        if spec.path.count > form.maximumSegments || spec.path.contains(where: \.isEmpty) {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)': the path must be \(form.form)\(form.required == nil ? " (each part optional)" : "")")
        }
        if let required = form.required, spec.path.isEmpty {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)' \(required)")
        }
        if let token = form.tokenVariable, spec.password != nil {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)': \(spec.kind.rawValue) takes no password in the URL; set the token in \(token)")
        }
    }

    private static func parseNetwork(_ rest: String, _ descriptor: ConnectionDescriptor, tls: Bool, original: String) throws(ConnectionError) -> ConnectionSpec {
        let shown = redactGuess(original)
        let kind = descriptor.kind
        let example = descriptor.address.isServicePath || kind == .clickhouse
            ? "\(descriptor.scheme(tls: tls))://127.0.0.1:\(tls ? descriptor.defaultPort.tls : descriptor.defaultPort.plain)"
            : "\(descriptor.scheme(tls: tls))://user@127.0.0.1:port/db"
        guard rest.hasPrefix("//") else {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)' must have '//' after the scheme, as in \(example)")
        }
        var body = Substring(rest.dropFirst(2))
        var spec = ConnectionSpec(kind: kind)
        spec.useTLS = tls
        // The user information ends at the last '@' before the host: a password may hold an
        // unencoded '/', '?' or '@', and must then still be taken as the password (never as a path).
        var authorityStart = body.startIndex
        if let at = userInfoEnd(body) {
            let userInfo = body[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                spec.user = try decode(userInfo[..<colon], what: "user name", in: shown)
                spec.password = try decode(userInfo[userInfo.index(after: colon)...], what: "password", in: shown)
            } else {
                spec.user = try decode(userInfo, what: "user name", in: shown)
            }
            if spec.user?.isEmpty == true { spec.user = nil }
            authorityStart = body.index(after: at)
        }
        body = body[authorityStart...]
        if let question = body.firstIndex(of: "?") {
            for pair in body[body.index(after: question)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = try decode(parts[0], what: "query parameter", in: shown)
                spec.options[key] = parts.count > 1 ? try decode(parts[1], what: "query parameter \(key)", in: shown) : ""
            }
            body = body[..<question]
        }
        var authority = body
        if let slash = body.firstIndex(of: "/") {
            authority = body[..<slash]
            let path = body[body.index(after: slash)...]
            if !path.isEmpty {
                spec.database = try decode(path, what: "database name", in: shown)
                var segments: [String] = []
                for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
                    segments.append(try decode(segment, what: "path", in: shown))
                }
                if segments.last == "" { segments.removeLast() }
                spec.path = segments
            }
        }
        var host = authority, portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw ConnectionError(.invalidURL, "connection URL '\(shown)': IPv6 address has no closing ']'")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)' has no host: write \(example)")
        }
        spec.host = String(host)
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw ConnectionError(.invalidURL, "connection URL '\(shown)': port '\(portText)' is not a number from 1 to 65535")
            }
            spec.port = port
        } else {
            spec.port = tls ? descriptor.defaultPort.tls : descriptor.defaultPort.plain
        }
        for key in ["connect_timeout", "timeout"] {
            if let value = spec.options[key], Double(value).map({ $0.isFinite && $0 > 0 }) != true {
                throw ConnectionError(.invalidURL, "connection URL '\(shown)': \(key)=\(value) is not a positive number of seconds")
            }
        }
        return spec
    }

    /// The '@' that ends the user information. Normally the last '@' before the first '/' or '?'.
    /// When there is none there, but a ':' comes before a later '@' that is followed by something
    /// shaped like a host (`user:pa/ss@host/db`), the password holds an unencoded '/' or '?': that
    /// '@' ends it, so the password is never taken for a path or query (and never printed).
    static func userInfoEnd(_ body: Substring) -> Substring.Index? {
        let firstDelimiter = body.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? body.endIndex
        if let at = body[..<firstDelimiter].lastIndex(of: "@") { return at }
        guard let last = body.lastIndex(of: "@"), body[..<last].contains(":") else { return nil }
        let host = body[body.index(after: last)...].prefix(while: { $0 != "/" && $0 != "?" })
        let hostShaped = !host.isEmpty && host.allSatisfy { $0.isLetter || $0.isNumber || ".-_:[]%".contains($0) }
        return hostShaped ? last : nil
    }

    private static func decode(_ text: Substring, what: String, in shown: String) throws(ConnectionError) -> String {
        guard let value = String(text).removingPercentEncoding else {
            throw ConnectionError(.invalidURL, "connection URL '\(shown)': the \(what) has an invalid percent-encoding (write a literal % as %25)")
        }
        return value
    }

    /// Replaces a password in a URL that may not parse: everything between the first ':' after
    /// `//` and the '@' that ends the user information (`userInfoEnd`). When in doubt, more is
    /// hidden, never less.
    public static func redactGuess(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else {
            // `scheme:…` without `//` has no authority, but `user:password@host` typed without a
            // scheme does: hide up to the last '@'.
            if let at = text.lastIndex(of: "@"), let colon = text[..<at].firstIndex(of: ":") {
                return String(text[...colon]) + "***" + String(text[at...])
            }
            return text
        }
        let body = text[schemeEnd.upperBound...]
        guard let at = userInfoEnd(body) ?? body.lastIndex(of: "@"), let colon = body[..<at].firstIndex(of: ":") else { return text }
        return String(text[..<body.index(after: colon)]) + "***" + String(text[at...])
    }
}
