import Foundation
import TemplateCompiler

/// An event's changes as the `PipelineOperation`s that `sync` runs. The operations are written as
/// a `ReverseIngestionPipeline` document and read back by `PipelineReader`, so an event is held to
/// exactly the schema checks a pipeline file is (a TagLabel without `source` fails the same way).
enum EventOperations {
    /// Operation ids: `<event id>/<n>`, n from 1 in the order of the event's fields.
    static func operations(_ changes: [EventChange], eventID: String, service: EntityReference) throws(PipelineInputError) -> [PipelineOperation] {
        var operations: [JSONDocument] = []
        for (i, change) in changes.enumerated() {
            let type: String
            var parameters: [String: JSONDocument] = [:]
            switch change.kind {
            case .description(let previous, let new):
                type = OperationType.updateDescription.rawValue
                if let previous { parameters["previousDescription"] = .string(previous) }
                parameters["newDescription"] = .string(new)
            case .owners(let added, let removed):
                type = OperationType.updateOwner.rawValue
                parameters["addedOwners"] = .array(added)
                parameters["removedOwners"] = .array(removed)
            case .tags(let added, let removed):
                type = OperationType.updateTags.rawValue
                parameters["addedTags"] = .array(added)
                parameters["removedTags"] = .array(removed)
            }
            operations.append(.object(["id": .string("\(eventID)/\(i + 1)"), "entityLink": .string(change.entityLink),
                                       "type": .string(type), "parameters": .object(parameters)]))
        }
        var serviceObject: [String: JSONDocument] = ["id": .string(service.id), "type": .string(service.type)]
        if let name = service.name { serviceObject["name"] = .string(name) }
        let document = JSONDocument.object(["type": .string("ReverseIngestion"), "service": .object(serviceObject), "operations": .array(operations)])
        return try PipelineReader.read(Data(document.text.utf8)).operations
    }
}
