import XCTest
@testable import TemplateWorkspace
import TemplateCompiler

final class EntityLinkTests: XCTestCase {
    func testTableLink() throws {
        let l = try EntityLink.parse("<#E::table::svc.db.schema.tbl>")
        XCTAssertEqual(l.entityType, "table")
        XCTAssertEqual(l.fqn, ["svc", "db", "schema", "tbl"])
        XCTAssertEqual(l.level, .table)
        XCTAssertNil(l.column)
    }

    func testColumnLink() throws {
        let l = try EntityLink.parse("<#E::table::svc.db.schema.tbl::columns::col>")
        XCTAssertEqual(l.column, "col")
        XCTAssertEqual(l.level, .column)
        let quoted = try EntityLink.parse("<#E::table::svc.db.s.t::columns::\"a.b\">")
        XCTAssertEqual(quoted.column, "a.b")
        let withField = try EntityLink.parse("<#E::table::svc.db.s.t::columns::c::description>")
        XCTAssertEqual(withField.column, "c")
    }

    func testDatabaseAndSchemaLinks() throws {
        XCTAssertEqual(try EntityLink.parse("<#E::database::svc.db>").level, .database)
        XCTAssertEqual(try EntityLink.parse("<#E::databaseSchema::svc.db.s>").level, .schema)
    }

    func testQuotedPartsAndEscapedQuotes() throws {
        XCTAssertEqual(try FullyQualifiedName.split("svc.db.\"my.schema\".tbl"), ["svc", "db", "my.schema", "tbl"])
        XCTAssertEqual(try FullyQualifiedName.split("svc.\"a\\\"b.c\".t"), ["svc", "a\"b.c", "t"])
        XCTAssertEqual(try FullyQualifiedName.split("svc.\"a\"\"b\".t"), ["svc", "a\"b", "t"])
        XCTAssertEqual(try FullyQualifiedName.split("svc.a\\\"b"), ["svc", "a\"b"])
        XCTAssertEqual(try FullyQualifiedName.split("svc.\"::x\".t"), ["svc", "::x", "t"])
        let l = try EntityLink.parse("<#E::table::svc.db.\"my.schema\".\"t.1\">")
        XCTAssertEqual(l.fqn, ["svc", "db", "my.schema", "t.1"])
    }

    func testFQNRoundTrip() throws {
        for parts in [["a", "b.c", "d"], ["x\"y", "z"], ["plain"]] {
            XCTAssertEqual(try FullyQualifiedName.split(FullyQualifiedName.join(parts)), parts)
        }
    }

    func testMalformedLinksAreErrorsNotCrashes() {
        for bad in ["", "<#E::>", "table::a.b", "<#E::table::>", "<#E::table::a..b>", "<#E::table::\"unterminated>",
                    "<#E::table::a.b.c.d::owner>", "<#E::table::a.b.c.d::columns>", "<#E::table::\"x\"y.b>"] {
            XCTAssertThrowsError(try EntityLink.parse(bad), bad)
        }
    }

    func testNamesNeedTheRightNumberOfParts() throws {
        XCTAssertThrowsError(try EntityNames(EntityLink.parse("<#E::table::svc.db.tbl>")))
        XCTAssertThrowsError(try EntityNames(EntityLink.parse("<#E::dashboard::svc.d>")))
        let n = try EntityNames(EntityLink.parse("<#E::table::svc.db.s.t::columns::c>"))
        XCTAssertEqual(n, EntityNames(service: "svc", database: "db", schema: "s", table: "t", column: "c", level: .column))
    }

    func testNamespaceMappings() throws {
        let n = try EntityNames(EntityLink.parse("<#E::table::svc.default.shop.orders>"))
        XCTAssertEqual(n.variables(.schemaIsDatabase), [.database: "shop", .schema: "shop", .table: "orders"])
        XCTAssertEqual(n.variables(.databaseSchema), [.database: "default", .schema: "shop", .table: "orders"])
        let bq = try EntityNames(EntityLink.parse("<#E::table::bq.my-project.dataset.t>"))
        XCTAssertEqual(bq.variables(.projectDataset)[.database], "my-project")
    }

    // MARK: refused exactly

    func testColumnPartsOnlyOnTables() {
        for link in ["<#E::databaseSchema::svc.db.sch::columns::c>", "<#E::database::svc.db::columns::c>"] {
            XCTAssertThrowsError(try EntityLink.parse(link), link) { e in
                XCTAssertTrue("\(e)".contains("has no columns"), "\(e)")
            }
        }
    }

    func testAnEscapedQuoteEndsNoPart() throws {
        // OpenMetadata writes a table named `a"` as `a\"`.
        let l = try EntityLink.parse(#"<#E::table::svc.db.sch.a\"::columns::c>"#)
        XCTAssertEqual(l.fqn, ["svc", "db", "sch", "a\""])
        XCTAssertEqual(l.column, "c")
        XCTAssertEqual(try EntityNames(l).table, "a\"")
        // A quoted part may hold `::` and escaped quotes.
        let q = try EntityLink.parse(#"<#E::table::svc.db."s::x".t::columns::"c.\"d">"#)
        XCTAssertEqual(q.fqn, ["svc", "db", "s::x", "t"])
        XCTAssertEqual(q.column, "c.\"d")
    }

    func testWhatDoesNotParseExactlyIsRefused() {
        for bad in [#"<#E::table::svc.db.sch.a"::columns::c>"#,   // a bare quote inside a name
                    #"<#E::table::svc.db.sch.a"b>"#,
                    "<#E::table::svc.db.s.t::columns::a.b>",       // a nested field, not a column
                    "<#E::table::svc.db.s.t::columns::c::owner>",
                    "<#E::table::svc.db.s.t::>",
                    "<#E::>"] {
            XCTAssertThrowsError(try EntityLink.parse(bad), bad)
        }
    }

    /// Exactness as a property: for names built from the characters that matter (dots, quotes,
    /// backslashes, colons), the link OpenMetadata would write parses back to the same names or
    /// is refused — never to other names.
    func testLinksParseToTheirNamesOrAreRefused() {
        var rng = SplitMix(seed: 13)
        let alphabet: [String] = ["a", "b", ".", "\"", "\\", ":", " ", "é", ">", "<"]
        var parsed = 0
        for _ in 0..<5000 {
            let parts = (0..<5).map { _ in (0..<Int(rng.next() % 4 + 1)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined() }
            let link = "<#E::table::" + FullyQualifiedName.join(Array(parts[0..<4])) + "::columns::" + FullyQualifiedName.quote(parts[4]) + ">"
            guard let l = try? EntityLink.parse(link), let names = try? EntityNames(l) else { continue }
            parsed += 1
            XCTAssertEqual([names.service, names.database, names.schema, names.table, names.column], parts.map(Optional.some), link)
        }
        XCTAssertGreaterThan(parsed, 1000, "most links parse")
    }
}

/// A small deterministic generator (SplitMix64), so a failure reproduces.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
