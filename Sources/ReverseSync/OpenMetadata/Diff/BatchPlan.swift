import Foundation
import TemplateCompiler

/// A batch sync's plan: the operations that bring the database in line with the catalog, as the
/// `ReverseIngestionPipeline` that `templatec sync FILE` reads, and what the diff saw.
public struct BatchPlan {
    public var pipeline: ReverseIngestionPipeline
    public var summary: CatalogDiff.Summary
    /// Requests made to the catalog, retries included.
    public var catalogRequests: Int

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

    /// The pipeline as a JSON document (keys sorted, so plans of the same state are identical).
    public var document: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // The models encode only strings, arrays and objects: encoding cannot fail.
        let data = (try? encoder.encode(pipeline)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
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
        if s.unknown > 0 { parts.append("\(s.unknown) written without comparing (state or template not readable)") }
        if s.kept > 0 { parts.append("\(s.kept) comment\(s.kept == 1 ? "" : "s") the catalog lacks kept in the database") }
        if s.teamOwners > 0 { parts.append("\(s.teamOwners) team owner\(s.teamOwners == 1 ? "" : "s") not synced") }
        if s.unnameable > 0 { parts.append("\(s.unnameable) entit\(s.unnameable == 1 ? "y" : "ies") whose names no entity link can carry skipped") }
        if s.missing > 0 { parts.append("\(s.missing) not in the database, skipped (\(s.missingExamples.joined(separator: "; "))\(s.missing > s.missingExamples.count ? "; …" : ""))") }
        return parts.joined(separator: "; ")
    }
}
