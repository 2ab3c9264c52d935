import XCTest
@testable import TemplateCompiler

/// CTX212: the directive against the settings a caller imposes (the sync's connector and operation).
final class DirectiveConflictTests: XCTestCase {
    func conflicts(_ text: String, _ imposed: ContextSettings) -> [Diagnostic] {
        let analysis = Analyzer.analyze(TemplateSource(text), flags: imposed)
        return DirectiveConflict.diagnostics(analysis.directive, against: imposed, imposedBy: "the postgres connector")
    }

    func testAMySQLDirectiveUsedByAPostgresConnectorIsAnError() throws {
        let text = "-- templatec: dialect=mysql update=description level=table\nALTER TABLE {table} COMMENT = {description};"
        let found = conflicts(text, ContextSettings(dialect: .postgres, updates: [.description], levels: [.table]))
        XCTAssertEqual(found.map(\.code), ["CTX212"])
        let d = try XCTUnwrap(found.first)
        XCTAssertEqual(d.severity, .error)
        XCTAssertEqual(String(decoding: Array(text.utf8)[d.span.start..<d.span.end], as: UTF8.self), "dialect=mysql")
        XCTAssertTrue(d.message.hasPrefix("the directive says `dialect=mysql`, but the postgres connector renders it as PostgreSQL"), d.message)
    }

    func testUpdateAndLevelConflictsAreReported() {
        let text = "-- templatec: dialect=postgres update=owner level=schema\nALTER SCHEMA {schema} OWNER TO {owner};"
        let found = conflicts(text, ContextSettings(dialect: .postgres, updates: [.description], levels: [.table]))
        XCTAssertEqual(found.count, 2)
        XCTAssertTrue(found[0].message.contains("uses it for description updates"), found[0].message)
        XCTAssertTrue(found[1].message.contains("uses it at table level"), found[1].message)
    }

    func testAgreeingOrMissingDirectivesAreClean() {
        let imposed = ContextSettings(dialect: .postgres, updates: [.description], levels: [.table])
        XCTAssertTrue(conflicts("-- templatec: dialect=postgres update=description level=table,column\nCOMMENT ON TABLE {table} IS {description};", imposed).isEmpty)
        XCTAssertTrue(conflicts("COMMENT ON TABLE {table} IS {description};", imposed).isEmpty)
    }
}
