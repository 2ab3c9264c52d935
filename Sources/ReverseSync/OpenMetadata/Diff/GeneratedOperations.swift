import TemplateCompiler

/// The operations a batch sync generates, in the pipeline models `templatec sync FILE` reads, with
/// ids that depend only on what they do: planning twice against the same state gives the same
/// document, so a committed plan diffs cleanly.
enum GeneratedOperations {
    static func description(_ link: String, previous: String?, new: String) -> PipelineOperation {
        PipelineOperation(id: id(link, "d", new), entityLink: link, type: .updateDescription,
                          parameters: .description(DescriptionConfig(previousDescription: previous, newDescription: new)))
    }

    static func owner(_ link: String, _ owner: CatalogReference) -> PipelineOperation {
        var reference = EntityReference(id: owner.id, type: owner.type, name: owner.name)
        reference.fullyQualifiedName = owner.fullyQualifiedName
        return PipelineOperation(id: id(link, "o", owner.syncName ?? owner.id), entityLink: link, type: .updateOwner,
                                 parameters: .owner(OwnerConfig(removedOwners: nil, addedOwners: [reference])))
    }

    /// What `tagLabel.json` allows (and `sync FILE` checks); anything newer is written as the default.
    static let knownLabelTypes: Set<String> = ["Manual", "Propagated", "Automated", "Derived"]
    static let knownStates: Set<String> = ["Suggested", "Confirmed"]

    static func tags(_ link: String, _ tags: [CatalogTag]) -> PipelineOperation {
        let labels = tags.map {
            TagLabel(tagFQN: $0.tagFQN, source: TagLabel.Source(rawValue: $0.source) ?? .classification,
                     labelType: $0.labelType.flatMap { knownLabelTypes.contains($0) ? $0 : nil } ?? "Manual",
                     state: $0.state.flatMap { knownStates.contains($0) ? $0 : nil } ?? "Confirmed")
        }
        return PipelineOperation(id: id(link, "t", tags.map(\.tagFQN).joined(separator: "\u{1}")), entityLink: link, type: .updateTags,
                                 parameters: .tags(TagsConfig(removedTags: nil, addedTags: labels)))
    }

    /// `<#E::type::fqn>` or `<#E::table::fqn::columns::column>`, each name part quoted where it
    /// holds a `.`, `"` or `:` (so `::` in a name cannot split the link). Nil when the link would not
    /// read back as the same names (the operation would reach another object).
    static func link(_ names: EntityNames) -> String? {
        let parts = [names.service, names.database] + [names.schema, names.table].compactMap { $0 }
        let type = ["database", "databaseSchema", "table", "table"][names.level.depth]
        var text = "<#E::\(type)::" + parts.map(quote).joined(separator: ".")
        if let column = names.column { text += "::columns::" + quote(column) }
        text += ">"
        guard let parsed = try? EntityNames(EntityLink.parse(text)), parsed == names else { return nil }
        return text
    }

    private static func quote(_ part: String) -> String {
        guard part.contains(":") && !part.contains(".") else { return FullyQualifiedName.quote(part) }
        var escaped = ""
        for scalar in part.unicodeScalars {
            if scalar == "\"" { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(scalar)
        }
        return "\"" + escaped + "\""
    }

    /// A UUID (version 8, RFC 9562's custom form) from a 128-bit FNV-1a hash of what the operation does.
    static func id(_ link: String, _ kind: String, _ value: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6c62_272e_07bb_0142
        for byte in (kind + "\u{0}" + link + "\u{0}" + value).utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = b &+ (a >> 29)
        }
        let hi = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_8000
        let lo = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let hex = String(hi, radix: 16).leftPadded(16) + String(lo, radix: 16).leftPadded(16)
        let h = Array(hex)
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
