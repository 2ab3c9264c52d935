import Foundation
import XCTest
@testable import ReverseSync

/// Connection URLs, the command and dry-run executors, and the client script check: no servers needed.
final class ConnectionURLTests: XCTestCase {
    func testPostgresURL() throws {
        let spec = try ConnectionURL.parse("postgres://al%40ice:p%3Ass@db.example:6543/my%20db?sslmode=require&timeout=30")
        XCTAssertEqual(spec.kind, .postgresql)
        XCTAssertEqual(spec.user, "al@ice")
        XCTAssertEqual(spec.password, "p:ss")
        XCTAssertEqual(spec.host, "db.example")
        XCTAssertEqual(spec.port, 6543)
        XCTAssertEqual(spec.database, "my db")
        XCTAssertEqual(spec.options["sslmode"], "require")
        XCTAssertEqual(spec.statementTimeout, 30)
        XCTAssertFalse(spec.redacted.contains("p:ss"))
        XCTAssertTrue(spec.redacted.contains(":***@"))
    }

    func testDefaultsAndOtherSchemes() throws {
        XCTAssertEqual(try ConnectionURL.parse("postgresql://u@h/d").port, 5432)
        let mysql = try ConnectionURL.parse("mariadb://u@[::1]/d?sql_mode=NO_BACKSLASH_ESCAPES")
        XCTAssertEqual(mysql.kind, .mysql)
        XCTAssertEqual(mysql.host, "::1")
        XCTAssertEqual(mysql.port, 3306)
        XCTAssertEqual(mysql.endpoint, "[::1]:3306")
        let clickhouse = try ConnectionURL.parse("http://127.0.0.1:58123/?database=templatec")
        XCTAssertEqual(clickhouse.kind, .clickhouse)
        XCTAssertEqual(clickhouse.database, "templatec")
        XCTAssertEqual(clickhouse.options, [:])
        XCTAssertEqual(try ConnectionURL.parse("http://h").port, 8123)
        XCTAssertEqual(try ConnectionURL.parse("command: cat >/dev/null").command, "cat >/dev/null")
        XCTAssertEqual(try ConnectionURL.parse("dry-run:").kind, .dryRun)
    }

    func testErrorsSayWhatToDoAndHideThePassword() {
        func message(_ url: String) -> String {
            do { _ = try ConnectionURL.parse(url); return "" } catch { return error.message }
        }
        XCTAssertTrue(message("oracle://u:pw@h/d").contains("not supported"))
        XCTAssertTrue(message("postgresql://u:topsecret@h:99999/d").contains("port '99999'"))
        XCTAssertFalse(message("postgresql://u:topsecret@h:99999/d").contains("topsecret"))
        XCTAssertTrue(message("mysql://u:topsecret@h:3306").contains("names no database"))
        XCTAssertFalse(message("mysql://u:topsecret@h:3306").contains("topsecret"))
        // PostgreSQL without a database serves each database the pipeline names.
        XCTAssertNil(try ConnectionURL.parse("postgresql://u:topsecret@h:5432/").database)
        XCTAssertTrue(message("command:").contains("has no command"))
        XCTAssertTrue(message("localhost:5432").contains("scheme 'localhost' is not supported"))
        XCTAssertEqual(ConnectionURL.redactGuess("mysql://u:p@ss@h/d"), "mysql://u:***@h/d")
    }

    func testCommandExecutorOneProcessPerStatement() throws {
        let executor = try makeExecutor(try ConnectionURL.parse(#"command:read -r line; case "$line" in *fail*) echo "bad: $line" >&2; exit 3;; esac; echo "n=$TEMPLATEC_STATEMENT_NUMBER""#),
                                        environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(executor.execute("SELECT 1;"), ExecutionOutcome(success: true, message: "n=1"))
        XCTAssertEqual(executor.execute("SELECT fail;"), .failed("bad: SELECT fail;"))
        XCTAssertEqual(executor.execute("SELECT 3;"), ExecutionOutcome(success: true, message: "n=3"))
        let silent = try makeExecutor(try ConnectionURL.parse("command:cat >/dev/null; exit 5"), environment: [:])
        XCTAssertEqual(silent.execute("x").message, "statement 1: command `cat >/dev/null; exit 5` exited with status 5")
    }

    func testDryRunRecords() {
        var printed: [String] = []
        let executor = DryRunExecutor { printed.append($0) }
        XCTAssertEqual(executor.executeAll(["A;", "B;"]), [.ok, .ok])
        XCTAssertEqual(executor.statements, ["A;", "B;"])
        XCTAssertEqual(printed, ["A;", "B;"])
    }

    func testClientScriptCheck() {
        let psql = ClientScriptCheck.Client.psql
        XCTAssertNil(ClientScriptCheck.problem(in: "COMMENT ON TABLE t IS 'a''b\\c; \\q'", client: psql))
        XCTAssertNil(ClientScriptCheck.problem(in: "SELECT $x$ ' $x$, $$\\$$, E'\\'', \"a\"\"b\", 1::int -- \\q", client: psql))
        XCTAssertNil(ClientScriptCheck.problem(in: "SELECT /* /* nested */ ' */ 1", client: psql))
        XCTAssertNotNil(ClientScriptCheck.problem(in: "SELECT 'a", client: psql))
        XCTAssertNotNil(ClientScriptCheck.problem(in: "SELECT E'a\\'", client: psql))
        XCTAssertNotNil(ClientScriptCheck.problem(in: "SELECT (1", client: psql))
        XCTAssertNotNil(ClientScriptCheck.problem(in: "SELECT 1 \\g", client: psql))
        XCTAssertNotNil(ClientScriptCheck.problem(in: "SELECT :ON_ERROR_STOP", client: psql))
        XCTAssertNil(ClientScriptCheck.problem(in: "SELECT :not_a_psql_variable", client: psql))
        XCTAssertNotNil(ClientScriptCheck.problem(in: "SELECT $a$ x", client: psql))
        let mysql = ClientScriptCheck.Client.mysql(backslashEscapes: true)
        XCTAssertNil(ClientScriptCheck.problem(in: "SELECT 'a\\'b', \"c\", `d``e` # ' x\n-- ' y", client: mysql))
        XCTAssertNotNil(ClientScriptCheck.problem(in: "SELECT 'a\\'", client: mysql))
        XCTAssertNil(ClientScriptCheck.problem(in: "SELECT 'a\\'", client: .mysql(backslashEscapes: false)))
        XCTAssertNotNil(ClientScriptCheck.problem(in: "SELECT 1 /* open", client: mysql))
        // "--" starts a comment only before whitespace: here the quote opens a literal.
        XCTAssertNotNil(ClientScriptCheck.problem(in: "SELECT 1--'", client: mysql))
    }
}
