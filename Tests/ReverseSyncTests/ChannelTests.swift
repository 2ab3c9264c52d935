import XCTest
@testable import ReverseSync
@testable import TemplateWorkspace
import TemplateCompiler

final class ChannelTests: XCTestCase {
    let orders = EntityNames(service: "pg", database: "db", schema: "sales_eu", table: "Orders", level: .table)

    func testGlobs() {
        XCTAssertTrue(NameGlob("sales*").matches("sales_eu"))
        XCTAssertTrue(NameGlob("*").matches(""))
        XCTAssertTrue(NameGlob("ord?rs").matches("ORDERS"))
        XCTAssertTrue(NameGlob("[ab]*").matches("beta"))
        XCTAssertFalse(NameGlob("sales").matches("sales_eu"))
        XCTAssertTrue(NameGlob("*_eu").matches("sales_eu"))
        XCTAssertFalse(NameGlob("a*b*c").matches("aXbY"))
    }

    func testFilterFields() {
        var f = ChannelFilter()
        XCTAssertTrue(f.matches(orders, ownerNames: [], tagFQNs: [], isOwnerUpdate: false, isTagUpdate: false))
        f.schema = "sales*"
        f.table = "orders"
        XCTAssertTrue(f.matches(orders, ownerNames: [], tagFQNs: [], isOwnerUpdate: false, isTagUpdate: false))
        f.column = "*"
        XCTAssertFalse(f.matches(orders, ownerNames: [], tagFQNs: [], isOwnerUpdate: false, isTagUpdate: false), "a table has no column")
        f.column = nil
        f.level = [.column]
        XCTAssertFalse(f.matches(orders, ownerNames: [], tagFQNs: [], isOwnerUpdate: false, isTagUpdate: false))
    }

    func testOwnerAndTagFiltersOnlyMatchTheirUpdates() {
        var f = ChannelFilter()
        f.owner = "ali*"
        XCTAssertTrue(f.matches(orders, ownerNames: ["alice"], tagFQNs: [], isOwnerUpdate: true, isTagUpdate: false))
        XCTAssertFalse(f.matches(orders, ownerNames: [], tagFQNs: [], isOwnerUpdate: false, isTagUpdate: false))
        f.owner = nil
        f.tags = ["PII.*"]
        XCTAssertTrue(f.matches(orders, ownerNames: [], tagFQNs: ["PII.Sensitive"], isOwnerUpdate: false, isTagUpdate: true))
        XCTAssertFalse(f.matches(orders, ownerNames: [], tagFQNs: ["Tier.Tier1"], isOwnerUpdate: false, isTagUpdate: true))
    }

    func testChannelFileIsStrict() throws {
        let good = try ChannelFile.read(Data(contentsOf: fixture("channels/pii-and-sales.json")))
        XCTAssertEqual(good.channels.map(\.name), ["sales", "everything-descriptions", "pii"])
        XCTAssertEqual(good.channels[0].filter.level, [.table, .column])
        let bad = Data(#"{"channels": [{"name": "a", "filter": {"tabel": "x"}}]}"#.utf8)
        XCTAssertThrowsError(try ChannelFile.read(bad)) { e in
            XCTAssertEqual((e as? PipelineInputError)?.path, "channels[0].filter.tabel")
        }
        let dup = Data(#"{"channels": [{"name": "a"}, {"name": "a"}]}"#.utf8)
        XCTAssertThrowsError(try ChannelFile.read(dup))
        let level = Data(#"{"channels": [{"name": "a", "filter": {"level": "tables"}}]}"#.utf8)
        XCTAssertThrowsError(try ChannelFile.read(level))
    }
}

func fixture(_ path: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(path)
}
