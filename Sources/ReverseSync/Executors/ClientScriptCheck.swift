/// Checks, before a statement is written into an interactive client's input (psql, mariadb), that the
/// client will see it as one complete piece of SQL: a statement that leaves a literal, a quoted
/// identifier, a comment or (psql) a parenthesis open would swallow the markers and statements that
/// follow it, and a backslash outside literals would be run as a client command: psql's
/// meta-commands, and the mariadb client's `\C` (change character set) and `\d` (delimiter), which
/// it runs even in --binary-mode (others there print "Unknown command"). The mariadb client also
/// takes a line that starts with `delimiter` as its command.
/// The scan follows the clients' own lexers: psql `psqlscan.l`, mariadb `client/mysql.cc` `add_line`.
enum ClientScriptCheck {
    enum Client {
        /// psql, with `standard_conforming_strings` on (backslash escapes only in E'…').
        case psql
        /// mysql/mariadb; `backslashEscapes` false under sql_mode NO_BACKSLASH_ESCAPES.
        case mysql(backslashEscapes: Bool)
    }

    /// Why the client would misread `sql`, or nil when it is safe to send.
    static func problem(in sql: String, client: Client) -> String? {
        let bytes = Array(sql.utf8)
        if bytes.contains(0) { return "the statement contains a NUL character, which no SQL client can send" }
        var i = 0
        var parens = 0
        func at(_ k: Int) -> UInt8? { k < bytes.count ? bytes[k] : nil }
        func isIdentifierByte(_ b: UInt8?) -> Bool {
            guard let b else { return false }
            return b >= 0x80 || b == UInt8(ascii: "_") || b == UInt8(ascii: "$")
                || (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a)
        }
        /// Skips a quoted run that opened at `i` with `quote`; false if it never closes.
        func skipQuoted(_ quote: UInt8, backslash: Bool) -> Bool {
            i += 1
            while i < bytes.count {
                let b = bytes[i]
                if backslash && b == UInt8(ascii: "\\") { i += 2; continue }
                if b == quote {
                    if at(i + 1) == quote { i += 2; continue }
                    i += 1
                    return true
                }
                i += 1
            }
            return false
        }
        while i < bytes.count {
            let b = bytes[i]
            switch client {
            case .psql:
                if b == UInt8(ascii: "'") {
                    let escapes = i > 0 && (bytes[i - 1] | 0x20) == UInt8(ascii: "e") && !isIdentifierByte(i > 1 ? bytes[i - 2] : nil)
                    if !skipQuoted(b, backslash: escapes) { return "a string literal that starts at byte \(i) is not closed" }
                    continue
                }
                if b == UInt8(ascii: "\"") {
                    let start = i
                    if !skipQuoted(b, backslash: false) { return "a quoted identifier that starts at byte \(start) is not closed" }
                    continue
                }
                if b == UInt8(ascii: "$") && !isIdentifierByte(i > 0 ? bytes[i - 1] : nil) {
                    // $tag$ … $tag$ where tag is empty or an identifier without digits first.
                    var j = i + 1
                    while j < bytes.count, isIdentifierByte(bytes[j]), bytes[j] != UInt8(ascii: "$") { j += 1 }
                    if j < bytes.count, bytes[j] == UInt8(ascii: "$"),
                       !(j > i + 1 && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39) {
                        let tag = Array(bytes[i...j])
                        var k = j + 1
                        var closed = false
                        while k + tag.count <= bytes.count {
                            if bytes[k] == UInt8(ascii: "$") && Array(bytes[k..<(k + tag.count)]) == tag { closed = true; break }
                            k += 1
                        }
                        if !closed { return "a dollar-quoted string that starts at byte \(i) is not closed" }
                        i = k + tag.count
                        continue
                    }
                }
                if b == UInt8(ascii: "-") && at(i + 1) == UInt8(ascii: "-") {
                    while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                    continue
                }
                if b == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") {
                    let start = i
                    var depth = 0
                    while i < bytes.count {
                        if bytes[i] == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") { depth += 1; i += 2; continue }
                        if bytes[i] == UInt8(ascii: "*") && at(i + 1) == UInt8(ascii: "/") {
                            depth -= 1; i += 2
                            if depth == 0 { break }
                            continue
                        }
                        i += 1
                    }
                    if depth > 0 { return "a block comment that starts at byte \(start) is not closed" }
                    continue
                }
                if b == UInt8(ascii: "(") { parens += 1 }
                if b == UInt8(ascii: ")") { parens = max(parens - 1, 0) }
                if b == UInt8(ascii: "\\") {
                    return "a backslash at byte \(i) stands outside any literal: psql would run it as a meta-command"
                }
                if b == UInt8(ascii: ":") && i + 1 < bytes.count && (isIdentifierByte(bytes[i + 1]) || bytes[i + 1] == UInt8(ascii: "'") || bytes[i + 1] == UInt8(ascii: "\""))
                    && bytes[i + 1] != UInt8(ascii: "$") && !(i > 0 && bytes[i - 1] == UInt8(ascii: ":")) {
                    // psql substitutes :name, :'name', :"name" outside literals when the variable exists.
                    // Only the variables psql itself defines matter here; casts (::) are left alone.
                    var j = i + 1
                    if bytes[j] == UInt8(ascii: "'") || bytes[j] == UInt8(ascii: "\"") { j += 1 }
                    var name: [UInt8] = []
                    while j < bytes.count, isIdentifierByte(bytes[j]), bytes[j] != UInt8(ascii: "$") { name.append(bytes[j]); j += 1 }
                    if PsqlVariables.defined.contains(String(decoding: name, as: UTF8.self)) {
                        return "':\(String(decoding: name, as: UTF8.self))' at byte \(i) stands outside any literal: psql would replace it with the value of its variable"
                    }
                }
            case .mysql(let backslashEscapes):
                if b == UInt8(ascii: "\\") {
                    return "a backslash at byte \(i) stands outside any literal: the mariadb client would take it as one of its commands (\\C changes the character set)"
                }
                if (b | 0x20) == UInt8(ascii: "d"), MySQLClientCommand.startsDelimiterLine(bytes, at: i) {
                    return "a line that starts with `delimiter` at byte \(i): the mariadb client would take it as its DELIMITER command"
                }
                if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                    let start = i
                    if !skipQuoted(b, backslash: backslashEscapes) { return "a string literal that starts at byte \(start) is not closed" }
                    continue
                }
                if b == UInt8(ascii: "`") {
                    let start = i
                    if !skipQuoted(b, backslash: false) { return "a quoted identifier that starts at byte \(start) is not closed" }
                    continue
                }
                if b == UInt8(ascii: "#") || (b == UInt8(ascii: "-") && at(i + 1) == UInt8(ascii: "-") && (at(i + 2).map { $0 <= 0x20 } ?? true)) {
                    while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                    continue
                }
                if b == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") {
                    let start = i
                    i += 2
                    while i < bytes.count && !(bytes[i] == UInt8(ascii: "*") && at(i + 1) == UInt8(ascii: "/")) { i += 1 }
                    if i >= bytes.count { return "a block comment that starts at byte \(start) is not closed" }
                    i += 2
                    continue
                }
            }
            i += 1
        }
        if parens > 0 { return "\(parens) parenthesis(es) are not closed: psql would wait for the rest of the statement" }
        return nil
    }
}

/// The variables a psql session started by `PostgresExecutor` has defined.
enum PsqlVariables {
    static let defined: Set<String> = [
        "AUTOCOMMIT", "COMP_KEYWORD_CASE", "DBNAME", "ECHO", "ECHO_HIDDEN", "ENCODING", "ERROR", "FETCH_COUNT",
        "HIDE_TABLEAM", "HIDE_TOAST_COMPRESSION", "HISTCONTROL", "HISTSIZE", "HOST", "IGNOREEOF", "LAST_ERROR_MESSAGE",
        "LAST_ERROR_SQLSTATE", "ON_ERROR_ROLLBACK", "ON_ERROR_STOP", "PORT", "PROMPT1", "PROMPT2", "PROMPT3", "QUIET",
        "ROW_COUNT", "SERVER_VERSION_NAME", "SERVER_VERSION_NUM", "SHOW_ALL_RESULTS", "SHOW_CONTEXT", "SINGLELINE",
        "SINGLESTEP", "SQLSTATE", "USER", "VERBOSITY", "VERSION", "VERSION_NAME", "VERSION_NUM",
    ]
}

/// The mariadb client's line-start command that no SQL statement needs.
enum MySQLClientCommand {
    /// `delimiter` (any case) at the start of a line, after blanks, followed by a blank or the end.
    static func startsDelimiterLine(_ bytes: [UInt8], at i: Int) -> Bool {
        let word = Array("delimiter".utf8)
        guard i + word.count <= bytes.count,
              zip(bytes[i..<(i + word.count)], word).allSatisfy({ ($0 | 0x20) == $1 }) else { return false }
        if i + word.count < bytes.count, bytes[i + word.count] > 0x20 { return false }
        var j = i - 1
        while j >= 0, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") { j -= 1 }
        return j < 0 || bytes[j] == UInt8(ascii: "\n")
    }
}
