import TemplateCompiler

/// A template found inside a JSON document, with the settings the document gives it.
public struct EmbeddedTemplate: Sendable {
    public let source: TemplateSource
    /// From the document: a pipeline operation's type and entity link, a channel's update flags.
    public let settings: ContextSettings
}

/// Finds the templates embedded in pipeline documents (`operations[].SQLTemplate`) and channel
/// files (`channels[].sqlTemplate`), decoded, with the offset map that points diagnostics back
/// into the JSON file.
public enum EmbeddedTemplateExtractor {
    public enum Outcome: Sendable {
        /// The file embeds no template: skipped silently.
        case none
        case templates([EmbeddedTemplate])
        /// The file looks like a pipeline or channel file but is not valid JSON.
        case malformed(message: String, offset: Int)
    }

    public static func extract(path: String, bytes: [UInt8]) -> Outcome {
        // Most JSON files in a repository are not pipelines: a byte search decides before parsing.
        guard contains(bytes, "SQLTemplate") || contains(bytes, "sqlTemplate") else { return .none }
        let root: JSONValue
        do {
            root = try JSONScanner.parse(bytes)
        } catch {
            return .malformed(message: error.message, offset: error.offset)
        }
        var found: [EmbeddedTemplate] = []
        if let operations = root["operations"]?.arrayValue {
            for (k, op) in operations.enumerated() {
                guard case .string(let s)? = op["SQLTemplate"] else { continue }
                var settings = ContextSettings()
                switch op["type"]?.stringValue {
                case "UPDATE_DESCRIPTION": settings.updates = [.description]
                case "UPDATE_OWNER": settings.updates = [.owner]
                case "UPDATE_TAGS": settings.updates = [.tags]
                default: break
                }
                if let link = op["entityLink"]?.stringValue, let level = level(ofEntityLink: link) { settings.levels = [level] }
                found.append(template(s, path: path, file: bytes, label: "operations[\(k)].SQLTemplate", settings: settings))
            }
        }
        if let channels = root["channels"]?.arrayValue {
            for (k, channel) in channels.enumerated() {
                guard case .string(let s)? = channel["sqlTemplate"] else { continue }
                var settings = ContextSettings()
                var updates = Set<UpdateKind>()
                if channel["updateDescriptions"]?.boolValue == true { updates.insert(.description) }
                if channel["updateOwners"]?.boolValue == true { updates.insert(.owner) }
                if channel["updateTags"]?.boolValue == true { updates.insert(.tags) }
                if !updates.isEmpty { settings.updates = updates }
                for key in ["dialect", "connector"] {
                    if let name = channel[key]?.stringValue, let id = DialectID(name: name) { settings.dialect = id }
                }
                if let levels = channel["levels"]?.arrayValue {
                    let parsed = Set(levels.compactMap { $0.stringValue.flatMap { Level(rawValue: $0.lowercased()) } })
                    if !parsed.isEmpty { settings.levels = parsed }
                }
                found.append(template(s, path: path, file: bytes, label: "channels[\(k)].sqlTemplate", settings: settings))
            }
        }
        return found.isEmpty ? .none : .templates(found)
    }

    static func template(_ s: JSONString, path: String, file: [UInt8], label: String, settings: ContextSettings) -> EmbeddedTemplate {
        EmbeddedTemplate(
            source: TemplateSource(path: path, text: s.bytes, origin: .embedded(file: file, fileOffsets: s.offsets, label: label)),
            settings: settings)
    }

    /// `<#E::table::svc.db.s.t>` → table; `…::columns::c>` → column; database, databaseSchema.
    public static func level(ofEntityLink link: String) -> Level? {
        if link.contains("::columns::") { return .column }
        let parts = link.split(separator: ":", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return nil }
        switch parts[1] {
        case "table": return .table
        case "databaseSchema": return .schema
        case "database": return .database
        default: return nil
        }
    }

    static func contains(_ bytes: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard bytes.count >= n.count, let first = n.first else { return false }
        var i = 0
        let last = bytes.count - n.count
        while i <= last {
            if bytes[i] == first {
                var k = 1
                while k < n.count, bytes[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            i += 1
        }
        return false
    }
}
