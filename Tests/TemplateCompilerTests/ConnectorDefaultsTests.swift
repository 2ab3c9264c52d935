import XCTest
@testable import TemplateCompiler

/// Every built-in default template checks clean: no error, no warning, and no info either,
/// because each declares its dialect, update and level in its directive.
final class ConnectorDefaultsTests: XCTestCase {
    func testEveryDefaultTemplateChecksClean() {
        var count = 0
        for connector in Connectors.all {
            for t in connector.defaults {
                count += 1
                let analysis = Analyzer.analyze(TemplateSource(path: "\(connector.id.rawValue)/\(t.update)/\(t.level)/\(t.action)", t.text))
                let found = analysis.diagnostics.map { "\($0.code) \($0.severity): \($0.message)" }
                XCTAssertEqual(found, [], "\(connector.id.rawValue) \(t.update) \(t.level) \(t.action):\n\(t.text)")
                XCTAssertEqual(analysis.dialect.id, connector.dialect)
                XCTAssertEqual(analysis.context.updates, [t.update])
                XCTAssertEqual(analysis.context.levels, [t.level])
                XCTAssertFalse(analysis.context.inferred)
            }
        }
        XCTAssertGreaterThan(count, 80)
    }

    /// Every supported (update, level) has a set form, and a remove form, unless the catalog
    /// explains why not.
    func testEverySupportedCombinationHasADefaultOrAReason() {
        for connector in Connectors.all {
            for (update, levels) in connector.support {
                for level in levels {
                    for action in TemplateAction.allCases {
                        let has = connector.defaultTemplate(update, level, action) != nil
                        let reason = connector.missingReason(update, level, action)
                        XCTAssertTrue(has != (reason != nil),
                                      "\(connector.id.rawValue) \(update) \(level) \(action): needs exactly one of a default or a reason")
                    }
                }
            }
            for t in connector.defaults {
                XCTAssertTrue(connector.supports(t.update, at: t.level), "\(connector.id.rawValue): default outside the matrix")
            }
        }
    }

    func testConnectorNames() {
        XCTAssertEqual(ConnectorID(name: "PostgreSQL"), .postgres)
        XCTAssertEqual(ConnectorID(name: "MariaDB"), .mysql)
        XCTAssertEqual(ConnectorID(name: "UnityCatalog"), .unitycatalog)
        XCTAssertNil(ConnectorID(name: "excel"))
        XCTAssertEqual(Connectors.connector(.timescaledb).dialect, .postgres)
        XCTAssertEqual(Connectors.connector(.mysql).namespace, .schemaIsDatabase)
    }
}
