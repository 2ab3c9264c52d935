import XCTest
@testable import TemplateCompiler

/// `{owner}` names a principal of the target, quoted and validated by that kind's rules: Unity
/// Catalog users, groups and service principals (emails, dots, spaces) in backticks; PostgreSQL
/// and Redshift roles and MSSQL users as the identifiers they are.
final class OwnerPrincipalTests: XCTestCase {
    func render(_ template: String, _ values: [Variable: String]) throws -> String {
        guard case .success(let t) = Compiler.compile(TemplateSource(template)) else { XCTFail("does not compile"); return "" }
        return String(try t.render(RenderValues(values)).split(separator: "\n").last!)
    }

    func refusal(_ template: String, _ values: [Variable: String]) -> RenderError? {
        do { _ = try render(template, values); return nil } catch { return error as? RenderError }
    }

    static let databricks = "-- templatec: dialect=databricks update=owner level=table\nALTER TABLE {database}.{schema}.{table} OWNER TO {owner};"
    let names: [Variable: String] = [.database: "main", .schema: "sales", .table: "orders"]

    func testUnityCatalogPrincipalsAreBacktickQuoted() throws {
        for (owner, written) in [("john.doe", "`john.doe`"), ("alice@corp.com", "`alice@corp.com`"), ("data-eng team", "`data-eng team`"),
                                 ("we`ird", "`we``ird`"), ("alice", "`alice`"),
                                 ("6f2c1a4e-8b3d-4f7a-9e21-0c5d7b8a9f10", "`6f2c1a4e-8b3d-4f7a-9e21-0c5d7b8a9f10`")] {
            var v = names
            v[.owner] = owner
            XCTAssertEqual(try render(Self.databricks, v), "ALTER TABLE main.sales.orders OWNER TO \(written);", owner)
        }
        // The catalog's own example: the value inside the template's backticks.
        let example = "-- templatec: dialect=databricks update=owner level=table\nALTER TABLE `{database}`.`{schema}`.`{table}` OWNER TO `{owner}@gmail.com`;"
        var v = names
        v[.owner] = "john.doe"
        XCTAssertEqual(try render(example, v), "ALTER TABLE `main`.`sales`.`orders` OWNER TO `john.doe@gmail.com`;")
    }

    func testObjectNamesKeepTheirOwnRules() {
        // The principal rules are the owner's only: a table name still cannot hold a dot.
        var v = names
        v[.owner] = "john.doe"
        v[.table] = "a.b"
        XCTAssertEqual(refusal(Self.databricks, v)?.code, "RND305")
    }

    func testWhatNoPrincipalCanHoldIsRefused() {
        for bad in ["a${x}", "tab\there", ""] {
            var v = names
            v[.owner] = bad
            XCTAssertNotNil(refusal(Self.databricks, v), bad)
        }
    }

    func testRolesAndUsersAreIdentifiers() throws {
        let pg = "-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {schema}.{table} OWNER TO {owner};"
        XCTAssertEqual(try render(pg, [.schema: "s", .table: "t", .owner: "john.doe"]), #"ALTER TABLE s.t OWNER TO "john.doe";"#)
        XCTAssertEqual(try render(pg, [.schema: "s", .table: "t", .owner: "alice"]), "ALTER TABLE s.t OWNER TO alice;")
        // A role name is an identifier: 63 bytes at most.
        XCTAssertEqual(refusal(pg, [.schema: "s", .table: "t", .owner: String(repeating: "r", count: 64)])?.code, "RND303")
        let mssql = "-- templatec: dialect=mssql update=owner level=schema\nALTER AUTHORIZATION ON SCHEMA::{schema} TO {owner};"
        XCTAssertEqual(try render(mssql, [.database: "d", .schema: "s", .owner: "alice@corp.com"]), "ALTER AUTHORIZATION ON SCHEMA::s TO [alice@corp.com];")
    }

    func testTheArtifactKeepsThePrincipalRules() throws {
        guard case .success(let t) = Compiler.compile(TemplateSource(Self.databricks)) else { return XCTFail("does not compile") }
        XCTAssertNotNil(t.principals)
        let again = try CompiledTemplate(jsonText: t.jsonText)
        XCTAssertEqual(again, t)
        var v = names
        v[.owner] = "john.doe"
        XCTAssertEqual(try again.render(RenderValues(v)), try t.render(RenderValues(v)))
        // Dialects without principal rules write no `principals`: their artifacts are unchanged.
        guard case .success(let pg) = Compiler.compile(TemplateSource("-- templatec: dialect=postgres update=owner level=table\nALTER TABLE {table} OWNER TO {owner};")) else { return XCTFail() }
        XCTAssertFalse(pg.jsonText.contains("principals"))
    }
}
