import TemplateCompiler

/// A template found inside a JSON document, with the settings the document gives it.
public struct EmbeddedTemplate: Sendable {
    public let source: TemplateSource
    /// From the document: a pipeline operation's type and entity link, a channel's update flags
    /// and level filter.
    public let settings: ContextSettings
}

/// The templates embedded in pipeline documents (`operations[].SQLTemplate`) and channel files
/// (`channels[].sqlTemplate`). They come from the same typed reading `sync` runs, so `check`
/// accepts and refuses exactly the documents `sync` does, and checks each template in the context
/// `sync` will use it in; every template keeps the offset map that points diagnostics back into
/// the JSON file.
public enum EmbeddedTemplates {
    public enum Outcome: Sendable {
        /// The file is neither a pipeline nor a channel file: skipped silently.
        case none
        case templates([EmbeddedTemplate])
        /// The file is a pipeline or channel file that `sync` would refuse (or not JSON at all).
        case invalid(kind: String, PipelineInputError)
    }

    /// The two documents that embed templates, told apart by their root keys.
    enum Kind: String {
        case pipeline = "pipeline document"
        case channels = "channel file"
    }

    public static func extract(path: String, bytes: [UInt8]) -> Outcome {
        // Most JSON files in a repository are neither: a byte search decides before parsing.
        let mayBePipeline = contains(bytes, "\"operations\"")
        let mayBeChannels = contains(bytes, "\"channels\"")
        guard mayBePipeline || mayBeChannels else { return .none }
        let root: Node
        do {
            root = try DocumentReading.root(path: path, bytes: bytes)
        } catch {
            // Broken JSON is reported only when it is recognisably ours.
            let ours = ["\"SQLTemplate\"", "\"sqlTemplate\"", "\"ReverseIngestion\""].contains { contains(bytes, $0) }
            return ours ? .invalid(kind: "malformed JSON in a file that embeds templates", error) : .none
        }
        guard let kind = kind(of: root.value, bytes: bytes) else { return .none }
        do {
            switch kind {
            case .pipeline:
                let pipeline = try ReverseIngestionPipeline(root)
                return .templates(pipeline.operations.compactMap { op in
                    op.sqlTemplateSource.map { EmbeddedTemplate(source: $0, settings: settings(for: op)) }
                })
            case .channels:
                let file = try ChannelFile(root)
                // A channel that pushes no update never runs its template: nothing to check.
                return .templates(file.channels.filter { !$0.updatesServed.isEmpty }.compactMap { channel in
                    channel.sqlTemplateSource.map { EmbeddedTemplate(source: $0, settings: settings(for: channel)) }
                })
            }
        } catch {
            return .invalid(kind: "not a valid \(kind.rawValue)", error)
        }
    }

    /// Which document a JSON file is, or nil for someone else's JSON (a root `channels` key alone
    /// does not make a channel file): a pipeline says `"type": "ReverseIngestion"` or embeds an
    /// `SQLTemplate`; a channel file embeds a `sqlTemplate` or its channels carry channel keys.
    static func kind(of root: JSONValue, bytes: [UInt8]) -> Kind? {
        if root["operations"] != nil, root["type"]?.stringValue == "ReverseIngestion" || contains(bytes, "\"SQLTemplate\"") {
            return .pipeline
        }
        if let channels = root["channels"]?.arrayValue {
            let channelKeys = ["sqlTemplate", "filter", "updateDescriptions", "updateOwners", "updateTags", "includeGlossary"]
            if channels.contains(where: { channel in channelKeys.contains { channel[$0] != nil } }) { return .channels }
        }
        return nil
    }

    /// An operation's template serves the operation's update at its entity's level.
    public static func settings(for op: PipelineOperation) -> ContextSettings {
        var s = ContextSettings(updates: [op.type.update])
        if let link = try? EntityLink.parse(op.entityLink), let level = link.level { s.levels = [level] }
        return s
    }

    /// A channel's template serves every update its flags enable (they default to true) at every
    /// level its filter allows.
    public static func settings(for channel: Channel) -> ContextSettings {
        ContextSettings(updates: channel.updatesServed, levels: channel.levelsServed)
    }

    /// The template of a JSON string of a document, mapped back into the file.
    static func source(_ s: JSONString, in reading: DocumentReading, label: String) -> TemplateSource {
        TemplateSource(path: reading.path, text: s.bytes, origin: .embedded(file: reading.bytes, fileOffsets: s.offsets, label: label))
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
