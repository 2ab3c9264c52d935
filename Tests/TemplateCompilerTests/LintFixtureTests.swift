import Foundation
import XCTest
@testable import TemplateCompiler

/// Golden tests: every `Fixtures/lint/<dialect>/*.sql` is analysed and its diagnostics compared
/// with the `*.expected` file next to it (one `line:col CODE` per line, in order).
/// `UPDATE_LINT_FIXTURES=1 swift test --filter LintFixtureTests` rewrites the expected files;
/// review the diff before committing.
final class LintFixtureTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/lint")

    static func fixtures() throws -> [URL] {
        let fm = FileManager.default
        var out: [URL] = []
        for dialect in try fm.contentsOfDirectory(atPath: root.path).sorted() {
            let dir = root.appendingPathComponent(dialect)
            for name in try fm.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".sql") {
                out.append(dir.appendingPathComponent(name))
            }
        }
        return out
    }

    static func actual(_ url: URL) throws -> String {
        let bytes = Array(try Data(contentsOf: url))
        let source = TemplateSource(path: url.lastPathComponent, text: bytes)
        let analysis = Analyzer.analyze(source)
        let locator = SourceLocator(source)
        return analysis.diagnostics.map { d in
            let l = locator.location(d.span.start)
            return "\(l.line):\(l.column) \(d.code)"
        }.joined(separator: "\n")
    }

    func testFixturesMatchExpectedDiagnostics() throws {
        let fixtures = try Self.fixtures()
        XCTAssertGreaterThan(fixtures.count, 40)
        let update = ProcessInfo.processInfo.environment["UPDATE_LINT_FIXTURES"] != nil
        for url in fixtures {
            let expectedURL = url.deletingPathExtension().appendingPathExtension("expected")
            let actual = try Self.actual(url)
            if update {
                try (actual.isEmpty ? "" : actual + "\n").write(to: expectedURL, atomically: true, encoding: .utf8)
                continue
            }
            guard let expected = try? String(contentsOf: expectedURL, encoding: .utf8) else {
                XCTFail("\(url.path): no .expected file next to it")
                continue
            }
            XCTAssertEqual(actual, expected.trimmingCharacters(in: .whitespacesAndNewlines),
                           "\(url.lastPathComponent) (\(url.deletingLastPathComponent().lastPathComponent))")
        }
    }

    /// Every dialect has fixtures, and every STM code is exercised by at least one of them.
    func testFixturesCoverEveryDialectAndCode() throws {
        let fixtures = try Self.fixtures()
        let dialects = Set(fixtures.map { $0.deletingLastPathComponent().lastPathComponent })
        XCTAssertEqual(dialects, Set(DialectID.allCases.map(\.rawValue)))
        var seen = Set<String>()
        for url in fixtures {
            for line in try Self.actual(url).split(separator: "\n") {
                if let code = line.split(separator: " ").last { seen.insert(String(code)) }
            }
        }
        for code in StatementRules.codes {
            XCTAssertTrue(seen.contains(code.id), "no fixture triggers \(code.id)")
        }
    }
}

/// Tests generated from the statement codes' own examples: each triggering example reports its
/// code, each non-triggering one does not.
final class StatementRuleExampleTests: XCTestCase {
    func testExamples() {
        for code in StatementRules.codes {
            XCTAssertFalse(code.triggering.isEmpty, code.id)
            XCTAssertFalse(code.nonTriggering.isEmpty, code.id)
            for example in code.triggering {
                let codes = Analyzer.analyze(TemplateSource(example)).diagnostics.map(\.code)
                XCTAssertTrue(codes.contains(code.id), "\(code.id) not reported for:\n\(example)\n(got \(codes))")
            }
            for example in code.nonTriggering {
                let codes = Analyzer.analyze(TemplateSource(example)).diagnostics.map(\.code)
                XCTAssertFalse(codes.contains(code.id), "\(code.id) reported for:\n\(example)")
            }
        }
    }

    func testCodesAreUniqueAndInTheCatalog() {
        let ids = DiagnosticCatalog.all.map(\.id)
        XCTAssertEqual(ids.count, Set(ids).count)
        for code in StatementRules.codes {
            XCTAssertTrue(code.id.hasPrefix("STM4"))
            XCTAssertNotNil(DiagnosticCatalog.code(code.id))
        }
    }

    func testRuleLevelsDropAndRegrade() {
        var config = ContextSettings()
        config.ruleLevels = ["CTX205": .error, "STM409": .off]
        let source = TemplateSource("-- templatec: dialect=postgres update=description level=table\nCOMMENT ON TABLE stg_{table} IS 'x';")
        let diagnostics = Analyzer.analyze(source, config: config).diagnostics
        XCTAssertEqual(diagnostics.first { $0.code == "CTX205" }?.severity, .error)
        XCTAssertFalse(diagnostics.contains { $0.code == "STM409" })
    }

    func testClassificationOfTheMSSQLBlockTakesTheLevelFromTheArguments() {
        let text = """
        IF NOT EXISTS (SELECT 1 FROM sys.extended_properties WHERE name = N'MS_Description')
        BEGIN
            EXEC sys.sp_addextendedproperty @name = N'MS_Description', @value = N{description},
                 @level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = N'{table}'
        END
        ELSE
        BEGIN
            EXEC sys.sp_updateextendedproperty @name = N'MS_Description', @value = N{description},
                 @level0type = N'SCHEMA', @level0name = N'{schema}', @level1type = N'TABLE', @level1name = N'{table}'
        END;
        """
        let template = Parser.parse(TemplateSource(text), dialect: .named(.mssql))
        let classified = template.statements.compactMap(\.classification)
        XCTAssertEqual(classified.count, 1)
        XCTAssertEqual(classified.first?.level, .table)
        XCTAssertEqual(classified.first?.kind, .setDescription)
    }

    /// The unverified-statement note comes once per template however many statements are unknown.
    func testUnverifiedIsReportedOnce() {
        let source = TemplateSource("-- templatec: dialect=postgres update=description level=table\nSELECT 1; SELECT 2; SELECT {description};")
        XCTAssertEqual(Analyzer.analyze(source).diagnostics.filter { $0.code == "STM401" }.count, 1)
    }
}
