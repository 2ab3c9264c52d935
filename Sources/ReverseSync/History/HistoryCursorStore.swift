import Foundation
import TemplateCompiler

/// The cursor of one (connection, engine) in the state directory, so each statement of a history
/// is read once: `<state-dir>/history/<engine>-<hash>.json`, the hash of the server's address and
/// database (never the password). It is written only by `save`, after the caller handled what the
/// read gave: a run that fails leaves it where it was.
public struct HistoryCursorStore: Sendable {
    public let file: URL
    /// The connection the cursor belongs to, as written into the file (for people reading it).
    let connection: String

    public init(stateDirectory: String, spec: ConnectionSpec) {
        let connection = "\(spec.kind.rawValue)://\(spec.endpoint)/\(spec.database ?? "")"
        let digest = SHA256.hash(Array(connection.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        self.connection = connection
        file = URL(fileURLWithPath: stateDirectory).appendingPathComponent("history")
            .appendingPathComponent("\(spec.kind.rawValue)-\(digest).json")
    }

    private struct Stored: Codable {
        var connection: String
        var cursor: HistoryCursor
        var saved: Date
    }

    /// The stored cursor; nil when none was stored yet. A file that cannot be read is an error,
    /// not a fresh start (which would read the whole history again).
    public func load() throws(HistoryError) -> HistoryCursor? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(Stored.self, from: Data(contentsOf: file)).cursor
        } catch {
            throw HistoryError("the history cursor \(file.path) cannot be read (\(error.localizedDescription)): remove it to read the whole history again")
        }
    }

    /// Stores `cursor`, atomically (a crash leaves the old file or the new one).
    public func save(_ cursor: HistoryCursor) throws(HistoryError) {
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(Stored(connection: connection, cursor: cursor, saved: Date())).write(to: file, options: .atomic)
        } catch {
            throw HistoryError("the history cursor could not be saved to \(file.path): \(error.localizedDescription)")
        }
    }
}
