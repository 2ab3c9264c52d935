import Dispatch
import TemplateCompiler
import TemplateWorkspace

/// The one place the language server reaches the workspace layer, so that whoever moves the
/// workspace's API repoints only this file. A document is checked exactly as `check` checks the
/// file: the same reader of `.sql` and JSON documents, the same nearest `.templatec.json`, the
/// same per-update analysis of embedded templates.
enum LSPWorkspace {
    /// A document's templates and their analyses, or why it could not be read.
    struct Checked {
        var analyses: [Analysis] = []
        /// The document or its configuration cannot be used (`IO001`): the message and where.
        var readError: (message: String, line: Int, column: Int)? = nil
    }

    static func check(path: String, text: [UInt8]) -> Checked {
        let config: ContextSettings
        do {
            // A fresh resolver each time: an edited `.templatec.json` takes effect at the next change.
            config = try ConfigResolver().settings(for: path)
        } catch {
            // The position is in the configuration file, not in this document: the message names it.
            return Checked(readError: (error.message, 1, 1))
        }
        let input = TemplateInputs.loadBytes(path: path, bytes: text)
        if let e = input.readError { return Checked(readError: located(e, in: path)) }
        let templates = input.templates, settings = input.embeddedSettings
        let analyze: @Sendable (Int) -> Analysis = { k in
            TemplateCheck.analyze(templates[k], embedded: settings[k], config: config, flags: ContextSettings())
        }
        // A file of many embedded templates is analysed on all cores, as `check` analyses many files.
        guard templates.count >= 64 else { return Checked(analyses: templates.indices.map(analyze)) }
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Analysis?>.allocate(capacity: templates.count)
        results.initialize(repeating: nil)
        // Deinitialized too: a long-running server must not keep each edit's analyses.
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        // Each iteration writes only its own slot.
        DispatchQueue.concurrentPerform(iterations: templates.count) { k in results[k] = analyze(k) }
        return Checked(analyses: results.map { $0! })
    }

    /// `path:LINE:COL: message` (how the workspace reports a document or configuration it
    /// refuses) split into the position and the message; 1:1 when it names none.
    static func located(_ message: String, in path: String) -> (message: String, line: Int, column: Int) {
        guard message.hasPrefix(path + ":") else { return (message, 1, 1) }
        let parts = message.dropFirst(path.count + 1).split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        if parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) {
            return (message, line, column)
        }
        return (message, 1, 1)
    }
}
