import Foundation
import TemplateCompiler

/// A batch sync's plan: the operations that bring the database in line with the catalog, as the
/// `ReverseIngestionPipeline` that `templatec sync FILE` reads, and what the diff saw.
public struct BatchPlan {
    public var pipeline: ReverseIngestionPipeline
    public var summary: CatalogDiff.Summary
    /// Requests made to the catalog, retries included.
    public var catalogRequests: Int
    /// Operations left out because they would write back what `--to-openmetadata` carried from
    /// the database (`dropDatabaseEchoes`).
    public var databaseEchoes = 0

    /// Reads the service from the catalog page by page and diffs it against `state` (nil: the
    /// current state cannot be read, everything is written).
    public static func make(client: CatalogClient, service: String, pageSize: Int, connector: Connector,
                            channels: [Channel]?, state: CurrentState?) throws -> BatchPlan {
        let serviceID = try client.serviceID(service)
        let diff = CatalogDiff(connector: connector, channels: channels, state: state, service: service)
        try CatalogWalk(client: client, service: service, pageSize: pageSize).run(.init(
            database: { diff.database($0) },
            schema: { diff.schema($0, $1) },
            tables: { database, schema, page in for table in page { diff.table(database, schema, table) } }))
        let reference = EntityReference(id: serviceID, type: "databaseService", name: service)
        return BatchPlan(pipeline: ReverseIngestionPipeline(service: reference, operations: diff.operations),
                         summary: diff.summary, catalogRequests: client.requests)
    }

    /// The pipeline as a JSON document, keys in the schema's order, two-space indented. Written
    /// byte by byte (with the core's string encoder): 110,000 operations take a fraction of what
    /// Foundation's encoder needs. The generated operations use only the fields written here.
    public var document: String {
        var out: [UInt8] = []
        out.reserveCapacity(256 + pipeline.operations.count * 256)
        var w = PlanWriter(out: out)
        w.open("{")
        w.key("type", 1); w.string(pipeline.type); w.comma()
        w.key("service", 1); w.reference(pipeline.service, 1); w.comma()
        w.key("operations", 1)
        if pipeline.operations.isEmpty { w.raw("[]") } else {
            w.open("[")
            for (i, op) in pipeline.operations.enumerated() {
                if i > 0 { w.comma() }
                w.newline(2); w.operation(op, 2)
            }
            w.close("]", 1)
        }
        w.close("}", 0)
        return String(decoding: w.out, as: UTF8.self)
    }

    /// One line for people: what was compared and what will be written.
    public var summaryLine: String {
        let s = summary
        var counts: [OperationType: Int] = [:]
        for op in pipeline.operations { counts[op.type, default: 0] += 1 }
        let written = pipeline.operations.isEmpty ? "nothing to write" : OperationType.allCases.compactMap { t in
            counts[t].map { "\($0) \(["UPDATE_DESCRIPTION": "description", "UPDATE_OWNER": "owner", "UPDATE_TAGS": "tags"][t.rawValue]!)" }
        }.joined(separator: ", ") + " operation\(pipeline.operations.count == 1 ? "" : "s")"
        var parts = ["\(s.entities) catalog entit\(s.entities == 1 ? "y" : "ies") read (\(catalogRequests) request\(catalogRequests == 1 ? "" : "s"))",
                     "\(s.unchanged) field\(s.unchanged == 1 ? "" : "s") already in line", written]
        if databaseEchoes > 0 { parts.append("\(databaseEchoes) not written back: the catalog holds what sync --to-openmetadata carried from the database, which has changed since") }
        if s.unknown > 0 { parts.append("\(s.unknown) written without comparing (state or template not readable)") }
        if s.kept > 0 { parts.append("\(s.kept) comment\(s.kept == 1 ? "" : "s") the catalog lacks kept in the database") }
        if s.teamOwners > 0 { parts.append("\(s.teamOwners) team owner\(s.teamOwners == 1 ? "" : "s") not synced") }
        if s.unnameable > 0 { parts.append("\(s.unnameable) entit\(s.unnameable == 1 ? "y" : "ies") whose names no entity link can carry skipped") }
        if s.missing > 0 { parts.append("\(s.missing) not in the database, skipped (\(s.missingExamples.joined(separator: "; "))\(s.missing > s.missingExamples.count ? "; …" : ""))") }
        return parts.joined(separator: "; ")
    }
}

/// The small pretty-printing JSON writer of `BatchPlan.document`.
private struct PlanWriter {
    var out: [UInt8]

    mutating func raw(_ text: String) { out.append(contentsOf: text.utf8) }
    mutating func string(_ text: String) { JSONDocument.writeString(text, into: &out) }
    mutating func newline(_ level: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: 2 * level))
    }
    mutating func open(_ bracket: String) { raw(bracket) }
    mutating func close(_ bracket: String, _ level: Int) { newline(level); raw(bracket) }
    mutating func comma() { out.append(0x2C) }
    mutating func key(_ name: String, _ level: Int) {
        newline(level)
        string(name)
        raw(": ")
    }

    /// `{"k": "v", …}` of string fields, nil ones left out.
    mutating func fields(_ pairs: [(String, String?)], _ level: Int) {
        raw("{")
        var first = true
        for (k, v) in pairs {
            guard let v else { continue }
            if !first { comma() }
            first = false
            key(k, level + 1)
            string(v)
        }
        close("}", level)
    }

    mutating func reference(_ r: EntityReference, _ level: Int) {
        fields([("id", r.id), ("type", r.type), ("name", r.name), ("fullyQualifiedName", r.fullyQualifiedName)], level)
    }

    mutating func list<T>(_ name: String, _ items: [T]?, _ level: Int, first: inout Bool, _ each: (inout PlanWriter, T) -> Void) {
        guard let items else { return }
        if !first { comma() }
        first = false
        key(name, level + 1)
        if items.isEmpty { raw("[]"); return }
        raw("[")
        for (i, item) in items.enumerated() {
            if i > 0 { comma() }
            newline(level + 2)
            each(&self, item)
        }
        close("]", level + 1)
    }

    mutating func operation(_ op: PipelineOperation, _ level: Int) {
        raw("{")
        key("id", level + 1); string(op.id); comma()
        key("entityLink", level + 1); string(op.entityLink); comma()
        key("type", level + 1); string(op.type.rawValue); comma()
        if let t = op.sqlTemplate { key("SQLTemplate", level + 1); string(t); comma() }
        key("parameters", level + 1)
        let p = level + 1
        switch op.parameters {
        case .description(let d):
            fields([("previousDescription", d.previousDescription), ("newDescription", d.newDescription)], p)
        case .owner(let o):
            raw("{")
            var first = true
            list("removedOwners", o.removedOwners, p, first: &first) { w, r in w.reference(r, p + 2) }
            list("addedOwners", o.addedOwners, p, first: &first) { w, r in w.reference(r, p + 2) }
            close("}", p)
        case .tags(let t):
            raw("{")
            var first = true
            let tag = { (w: inout PlanWriter, l: TagLabel) in
                w.fields([("tagFQN", l.tagFQN), ("source", l.source.rawValue), ("labelType", l.labelType), ("state", l.state)], p + 2)
            }
            list("removedTags", t.removedTags, p, first: &first, tag)
            list("addedTags", t.addedTags, p, first: &first, tag)
            close("}", p)
        }
        close("}", level)
    }
}
