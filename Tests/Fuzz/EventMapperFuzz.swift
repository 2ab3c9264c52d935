// libFuzzer entry for the listen event reader and mapper (bodies a catalog, or anyone who can reach
// the receiver with the secret, sends).
// fuzz-sources: Sources/ReverseSync/OpenMetadata/Events/ChangeEvent.swift Sources/ReverseSync/OpenMetadata/Events/ChangeEventMapper.swift Sources/TemplateWorkspace/Documents/FullyQualifiedName.swift
// Mode by the first byte: the rest is a whole body; or it is a field name, or a field value
// (owners/tags JSON text or a description), inside a well-formed event. Invariants: nothing traps;
// each change's entity link is `<#E::type::fqn…>`; a column name is quoted so that it reads back
// as one name; an event with changes names its service.

private func eventBody(fieldName: String, value: JSONDocument) -> [UInt8] {
    var out: [UInt8] = []
    let event = JSONDocument.object([
        "id": .string("e"), "eventType": .string("entityUpdated"), "entityType": .string("table"),
        "entityId": .string("0b7a1c1e-4f5e-4c3b-9a47-3f2a1c1e4f5e"), "timestamp": .number(1),
        "entityFullyQualifiedName": .string("svc.db.sch.\"t.x\""),
        "incrementalChangeDescription": .object(["fieldsUpdated": .array([.object(["name": .string(fieldName), "oldValue": value, "newValue": value])])]),
    ])
    event.write(into: &out)
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventMapper(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let mode = bytes.first else { return 0 }
    let rest = Array(bytes.dropFirst())
    let text = String(decoding: rest, as: UTF8.self)
    let body: [UInt8]
    switch mode % 4 {
    case 0: body = rest
    case 1: body = eventBody(fieldName: text, value: .string("d"))
    case 2: body = eventBody(fieldName: "owners", value: .string(text))
    default: body = eventBody(fieldName: mode & 4 == 0 ? "tags" : "columns.\(text).description", value: .string(text))
    }
    guard let event = try? ChangeEvent.parse(body) else {
        if mode % 4 != 0 { fatalError("invariant broken: a well-formed event was refused") }
        return 0
    }
    for service in [nil, "svc"] as [String?] {
        let mapping = ChangeEventMapper(service: service).map(event)
        if !mapping.changes.isEmpty && mapping.service == nil { fatalError("invariant broken: changes without a service") }
        for change in mapping.changes {
            guard change.entityLink.hasPrefix("<#E::"), change.entityLink.hasSuffix(">") else { fatalError("invariant broken: link \(change.entityLink)") }
        }
    }
    if mode % 4 == 3, mode & 4 != 0, let change = ChangeEventMapper(service: nil).map(event).changes.first {
        // The column named by the field must read back from the link as that one name.
        let link = Array(change.entityLink.utf8), marker = Array("::columns::".utf8)
        guard let column = try? FullyQualifiedName.split(text), column.count == 1,
              let at = (0...max(0, link.count - marker.count)).first(where: { link[$0...].starts(with: marker) }) else {
            fatalError("invariant broken: a column change from `\(text)`")
        }
        let linked = String(decoding: link[(at + marker.count)..<(link.count - 1)], as: UTF8.self)
        guard (try? FullyQualifiedName.split(linked)) == column else { fatalError("invariant broken: column \(column[0]) does not round trip") }
    }
    return 0
}
