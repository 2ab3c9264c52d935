import Foundation
import XCTest
@testable import ReverseSync
@testable import TemplateCompiler

/// The session contract without servers: descriptors, URL parameters that would undo a pinned
/// setting, passwords with unencoded delimiters, the mariadb client's commands in the client check,
/// the MySQL session mode, the planner compiling with the session's options, ClickHouse redaction.
final class SessionContractUnitTests: XCTestCase {
    func testEveryKindHasOneDescriptorAndEverySchemeOneKind() {
        XCTAssertEqual(Set(ConnectionDescriptor.all.map(\.kind)), Set(ConnectionSpec.Kind.allCases))
        XCTAssertEqual(ConnectionDescriptor.all.count, ConnectionSpec.Kind.allCases.count)
        let schemes = ConnectionDescriptor.all.flatMap { $0.schemes.map(\.name) }
        XCTAssertEqual(schemes.count, Set(schemes).count, "a scheme names one kind")
        XCTAssertEqual(ConnectionSpec.Kind.postgresql.descriptor.pinnedSettings.prefix(2), ["standard_conforming_strings = on", "client_encoding = UTF8"])
    }

    func testConnectorsAndConnectionsMustFit() throws {
        let pg = try ConnectionURL.parse("postgresql://u:topsecret@h/d")
        let mysql = try ConnectionURL.parse("mysql://u@h/d")
        XCTAssertNil(connectionMismatch(pg, connector: Connector.named("postgres")!))
        XCTAssertNil(connectionMismatch(pg, connector: Connector.named("redshift")!))
        XCTAssertNil(connectionMismatch(mysql, connector: Connector.named("mysql")!))
        XCTAssertNil(connectionMismatch(try ConnectionURL.parse("command:cat"), connector: Connector.named("oracle")!))
        let message = try XCTUnwrap(connectionMismatch(pg, connector: Connector.named("mysql")!))
        XCTAssertTrue(message.contains("mysql://") && message.contains("mariadb://") && message.contains("command:"), message)
        XCTAssertFalse(message.contains("topsecret"), message)
        XCTAssertNotNil(connectionMismatch(mysql, connector: Connector.named("postgres")!))
        XCTAssertNotNil(connectionMismatch(try ConnectionURL.parse("http://h"), connector: Connector.named("trino")!))
    }

    func testURLParametersThatWouldUndoAPinnedSettingAreRefused() {
        for query in ["options=-c%20standard_conforming_strings%3Doff", "client_encoding=SJIS", "service=prod"] {
            do {
                _ = try ConnectionURL.parse("postgresql://u:topsecret@h/d?\(query)")
                XCTFail("\(query) accepted")
            } catch {
                XCTAssertEqual(error.kind, .invalidURL)
                XCTAssertTrue(error.message.contains("is not accepted"), error.message)
                XCTAssertFalse(error.message.contains("topsecret"), error.message)
            }
        }
        XCTAssertNoThrow(try ConnectionURL.parse("postgresql://u@h/d?sslmode=require&application_name=x"))
    }

    func testPasswordsWithUnencodedDelimitersAreTakenAsPasswordsAndNeverShown() throws {
        let slash = try ConnectionURL.parse("postgresql://u:se/cr?et@db.example:5433/mydb")
        XCTAssertEqual(slash.password, "se/cr?et")
        XCTAssertEqual(slash.host, "db.example")
        XCTAssertEqual(slash.port, 5433)
        XCTAssertEqual(slash.database, "mydb")
        XCTAssertFalse(slash.redacted.contains("se/cr"))
        for url in ["postgresql://u:se/cr?et@h:99999/d", "mysql://u:pa/ss@h:notaport/d", "oracle://u:pa?ss@h/d", "u:pa/ss@h/d"] {
            let shown: String
            do { _ = try ConnectionURL.parse(url); shown = "" } catch { shown = error.message }
            for part in ["se/cr", "cr?et", "pa/ss", "pa?ss"] { XCTAssertFalse(shown.contains(part), "\(url): \(shown)") }
            for part in ["se/cr", "cr?et", "pa/ss", "pa?ss"] { XCTAssertFalse(ConnectionURL.redactGuess(url).contains(part), ConnectionURL.redactGuess(url)) }
        }
        // An '@' in a query value is not user information.
        let query = try ConnectionURL.parse("postgresql://u@h:5432/d?application_name=a@b")
        XCTAssertEqual(query.host, "h")
        XCTAssertEqual(query.options["application_name"], "a@b")
    }

    func testTheMariaDBClientsCommandsOutsideLiteralsAreRefused() {
        let check = { (sql: String, nbe: Bool) in ClientScriptCheck.problem(in: sql, client: .mysql(backslashEscapes: !nbe)) }
        XCTAssertNotNil(check("ALTER TABLE t COMMENT = 'a' \\C latin1", false))
        XCTAssertNotNil(check("ALTER TABLE t COMMENT = 'a'\ndelimiter //", false))
        XCTAssertNil(check("ALTER TABLE t COMMENT = 'a \\\\ \\C delimiter'", false))
        XCTAssertNil(check("ALTER TABLE t COMMENT = 'a \\ \\C'", true))
        XCTAssertNil(check("ALTER TABLE t COMMENT = 'x' # \\C in a comment", false))
        XCTAssertNil(check("ALTER TABLE delimiters COMMENT = 'x'", false))
        // With NO_BACKSLASH_ESCAPES, `\'` ends the literal: the rest is outside, and leaves one open.
        XCTAssertNotNil(check("ALTER TABLE t COMMENT = 'x\\' ; DROP TABLE canary ; SELECT '", true))
        XCTAssertNil(check("ALTER TABLE t COMMENT = 'x\\' ; DROP TABLE canary ; SELECT '", false))
    }

    func testTheMySQLSessionModeIsStrictAndHasNoANSIQuotes() {
        XCTAssertEqual(MySQLExecutor.sessionMode(server: "ANSI_QUOTES,NO_BACKSLASH_ESCAPES", url: nil), ["NO_BACKSLASH_ESCAPES", "STRICT_ALL_TABLES"])
        XCTAssertEqual(MySQLExecutor.sessionMode(server: "STRICT_TRANS_TABLES", url: "+NO_BACKSLASH_ESCAPES"), ["STRICT_TRANS_TABLES", "NO_BACKSLASH_ESCAPES", "STRICT_ALL_TABLES"])
        XCTAssertEqual(MySQLExecutor.sessionMode(server: "STRICT_TRANS_TABLES", url: "ansi_quotes"), ["STRICT_ALL_TABLES"])
        XCTAssertEqual(MySQLExecutor.sessionMode(server: "", url: nil), ["STRICT_ALL_TABLES"])
    }

    func testPsqlQuotedWords() {
        XCTAssertEqual(PostgresExecutor.quotedWords("'on' 'UTF8' 'it''s' ''"), ["on", "UTF8", "it's", ""])
    }

    /// The planner renders for the session: a MySQL session with NO_BACKSLASH_ESCAPES gets `\`
    /// as is, the default session `\\`; the quote is doubled in both.
    func testThePlannerCompilesWithTheSessionsOptions() throws {
        let planner = Planner(connector: Connector.named("mysql")!)
        let operation = try PipelineReader.read(Data("""
            {"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-0000000000ff", "type": "databaseService", "name": "my"},
             "operations": [{"id": "00000000-0000-4000-8000-000000000001", "entityLink": "<#E::table::my.default.db.t>", "type": "UPDATE_DESCRIPTION",
                             "parameters": {"newDescription": "a\\\\'b"}}]}
            """.utf8))
        func sql() -> String? {
            guard case .steps(let steps, _) = planner.plan(operation)[0].outcomes[0].1 else { return nil }
            return steps.first?.sql
        }
        XCTAssertEqual(sql()?.contains("'a\\\\''b'"), true, sql() ?? "")
        planner.useSession(DialectOptions(noBackslashEscapes: true))
        XCTAssertEqual(sql()?.contains("'a\\''b'"), true, sql() ?? "")
        XCTAssertEqual(planner.sessionOptions.noBackslashEscapes, true)
    }

    /// A server (or proxy) that reflects the request's headers and the password in its error
    /// message: the result holds neither.
    func testClickHouseRedactsReflectedCredentials() throws {
        let server = try StandInHTTPServer { request, n in
            if n == 0 { return .init(200, "1\n", contentType: "text/plain") }
            let reflected = request.headers.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "\n")
            return .init(500, "Code: 62. DB::Exception: Syntax error. Request was:\n\(reflected)\npassword=s3cr3t-pw", contentType: "text/plain")
        }
        defer { server.stop() }
        let executor = try makeExecutor(try ConnectionURL.parse("http://someone:s3cr3t-pw@127.0.0.1:\(server.port)/?database=x&timeout=5"), environment: [:])
        let outcome = executor.execute("SELECT x")
        XCTAssertFalse(outcome.success)
        let message = outcome.message ?? ""
        XCTAssertTrue(message.contains("Syntax error"), message)
        XCTAssertFalse(message.contains("s3cr3t-pw"), message)
        XCTAssertFalse(message.contains(Data("someone:s3cr3t-pw".utf8).base64EncodedString()), message)
        XCTAssertTrue(message.lowercased().contains("authorization: ***"), message)
        XCTAssertEqual(executor.session.values.first { $0.name == "max_execution_time" }?.value, "5")
    }

    /// `https://` goes through the shared transport (curl): a closed port is a connection error
    /// that names the address, not a refusal of TLS.
    func testClickHouseOverHTTPSUsesTheSharedTransport() throws {
        let port = StandInHTTPServer.unusedPort()
        let spec = try ConnectionURL.parse("https://u:s3cr3t-pw@127.0.0.1:\(port)/?database=x&connect_timeout=2")
        XCTAssertTrue(spec.useTLS)
        do {
            _ = try makeExecutor(spec, environment: ProcessInfo.processInfo.environment)
            XCTFail("connected to a closed port")
        } catch {
            XCTAssertNotEqual(error.kind, .unsupportedScheme, error.message)
            XCTAssertTrue(error.message.contains("127.0.0.1:\(port)"), error.message)
            XCTAssertFalse(error.message.contains("s3cr3t-pw"), error.message)
        }
    }

    /// A custom template that would change a pinned setting mid-session is refused before anything
    /// runs (STM412, as in `check`); the same words in a value are only text.
    func testTemplatesThatChangeAPinnedSettingAreRefused() throws {
        func outcome(_ connector: String, _ template: String, value: String = "x") throws -> ChannelOutcome {
            let planner = Planner(connector: Connector.named(connector)!)
            let pipeline = try PipelineReader.read(Data("""
                {"type": "ReverseIngestion", "service": {"id": "7f1e2c3a-0000-4000-8000-0000000000ff", "type": "databaseService", "name": "s"},
                 "operations": [{"id": "00000000-0000-4000-8000-000000000001", "entityLink": "<#E::table::s.db.sch.t>", "type": "UPDATE_DESCRIPTION",
                                 "SQLTemplate": \(RealEnginesJSON.string(template)), "parameters": {"newDescription": \(RealEnginesJSON.string(value))}}]}
                """.utf8))
            return planner.plan(pipeline)[0].outcomes[0].1
        }
        for (connector, template) in [
            ("postgres", "SET standard_conforming_strings = off;\nCOMMENT ON TABLE {schema}.{table} IS {description};"),
            ("postgres", "SELECT set_config('client_encoding', 'SJIS', false);\nCOMMENT ON TABLE {schema}.{table} IS {description};"),
            ("mysql", "SET SESSION sql_mode = 'ANSI_QUOTES';\nALTER TABLE {schema}.{table} COMMENT = {description};"),
            ("mysql", "SET   NAMES latin1;\nALTER TABLE {schema}.{table} COMMENT = {description};"),
        ] {
            guard case .failed(let message) = try outcome(connector, template) else { XCTFail("\(template) was planned"); continue }
            XCTAssertTrue(message.contains("STM412"), message)
        }
        guard case .steps = try outcome("postgres", "COMMENT ON TABLE {schema}.{table} IS {description};", value: "SET standard_conforming_strings = off") else {
            return XCTFail("a value naming a setting is only text")
        }
    }
}

/// JSON string literals for the pipelines written in these tests.
enum RealEnginesJSON {
    static func string(_ s: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [s]), as: UTF8.self).dropFirst().dropLast().description
    }
}
