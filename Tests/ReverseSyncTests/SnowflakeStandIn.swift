import Foundation
@testable import ReverseSync

/// Snowflake's SQL API statement endpoint as documented for single and multi-statement requests
/// (https://docs.snowflake.com/en/developer-guide/sql-api/submitting-multiple-statements,
/// …/handling-errors), over `StandInHTTPServer`:
/// - `POST /api/v2/statements`: the `statement` field holds statements separated by `;` (split
///   here outside quoted literals); `parameters.MULTI_STATEMENT_COUNT` must equal their number
///   (absent means 1, "0" any number), else 422 "Actual statement count N did not match the
///   desired statement count M." and nothing runs;
/// - statements run in order; `COMMENT ON … IS '…'` is applied to `comments` (object → text);
///   one that `fails` answers 422 with a QueryFailureStatus (`code`, `sqlState`, `message`,
///   `statementHandle`) and — the stand-in's reading of a failed request — the statements after
///   it do not run;
/// - success answers 200 with `statementHandle`, and for several statements `statementHandles`.
final class SnowflakeStandIn: @unchecked Sendable {
    private let lock = NSLock()
    private var applied: [(object: String, text: String)] = []
    private var counts: [Int] = []
    private(set) var server: StandInHTTPServer!

    /// `fails`: the message of a statement that fails, or nil.
    init(fails: @escaping @Sendable (String) -> String? = { _ in nil }) throws {
        server = try StandInHTTPServer(keepsAlive: true) { [unowned self] request, number in
            self.answer(request, number, fails: fails)
        }
    }

    var port: Int { server.port }

    /// Every applied COMMENT in the order applied: the object and the text.
    var comments: [(object: String, text: String)] { lock.lock(); defer { lock.unlock() }; return applied }
    /// The number of statements of each statement request, in order.
    var statementsPerRequest: [Int] { lock.lock(); defer { lock.unlock() }; return counts }

    private func answer(_ request: StandInHTTPServer.Request, _ number: Int, fails: (String) -> String?) -> StandInHTTPServer.Response {
        guard request.method == "POST", request.target == "/api/v2/statements" else {
            return .json(404, ["message": "unexpected \(request.method) \(request.target)"])
        }
        let body = request.json
        let statements = SnowflakeStandIn.split(body["statement"] as? String ?? "")
        let parameters = body["parameters"] as? [String: Any] ?? [:]
        let desired = Int(parameters["MULTI_STATEMENT_COUNT"] as? String ?? "1") ?? -1
        lock.lock(); counts.append(statements.count); lock.unlock()
        let handle = "01b0-\(number)"
        guard desired == 0 || desired == statements.count else {
            return .json(422, ["code": "000008", "sqlState": "0A000", "statementHandle": handle,
                               "message": "Actual statement count \(statements.count) did not match the desired statement count \(desired)."])
        }
        for statement in statements {
            if let message = fails(statement) {
                return .json(422, ["code": "002003", "sqlState": "42S02", "statementHandle": handle, "message": message])
            }
            if let applied = SnowflakeStandIn.comment(statement) {
                lock.lock(); self.applied.append(applied); lock.unlock()
            }
        }
        var answer: [String: Any] = ["code": "090001", "message": "Statement executed successfully.", "statementHandle": handle]
        if statements.count > 1 { answer["statementHandles"] = statements.indices.map { "\(handle)-\($0)" } }
        return .json(200, answer)
    }

    /// Statements separated by `;` outside '…' literals (a doubled '' stays in the literal) and
    /// outside `--` comments (to the end of the line).
    static func split(_ text: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quoted = false
        var commented = false
        var previous: Character = " "
        for c in text {
            defer { previous = c }
            if commented {
                if c == "\n" { commented = false }
                current.append(c)
                continue
            }
            if c == "'" { quoted.toggle() }
            if !quoted && c == "-" && previous == "-" { commented = true }
            if c == ";" && !quoted {
                statements.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// `COMMENT ON <kind> <object> IS '<text>'`, after any `--` lines, → (object, text with '' undoubled).
    static func comment(_ sql: String) -> (object: String, text: String)? {
        // Without the leading comment lines (templatec's `-- templatec: …` header).
        let statement = sql.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("--") }.joined(separator: "\n")
        let words = statement.split(separator: " ", maxSplits: 4)
        guard words.count == 5, words[0] == "COMMENT", let open = statement.range(of: " IS '"),
              let close = statement.range(of: "'", options: .backwards), close.lowerBound >= open.upperBound else { return nil }
        let text = statement[open.upperBound..<close.lowerBound].replacingOccurrences(of: "''", with: "'")
        return (String(words[3]), text)
    }
}
