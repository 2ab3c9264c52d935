import Foundation
import TemplateCompiler
import TemplateWorkspace
#if canImport(Glibc)
import Glibc
#endif

/// The last value both sides agreed on, per (entity FQN, field), and who set it: what lets
/// `sync --to-openmetadata` tell a database change from a catalog change, and what keeps a value
/// from going round in a loop (docs/openmetadata.md, "Database → catalog").
///
/// Kept with the run records: `<state-dir>/sync-ledger.json`. Every run that writes records into
/// it: `sync FILE`, `sync --from-openmetadata` and `listen` through the `Runner` (each operation
/// that succeeded, origin `catalog`), `sync --to-openmetadata` for each field it patched (origin
/// `database`) or saw equal on both sides (origin `both`, unless the value is the one already
/// recorded, whose origin stays). An update locks the file (`flock` on
/// `<state-dir>/locks/sync-ledger.lock`), reads it again, merges and replaces it atomically, so
/// runs on one state directory may overlap (a `listen` and a batch run) without losing entries.
public final class SyncLedger {
    /// Who set the recorded value.
    public enum Origin: String, Codable, Sendable {
        /// templatec wrote the catalog's value into the database (`sync FILE`, `--from-openmetadata`, `listen`).
        case catalog
        /// templatec patched the catalog with the database's value (`--to-openmetadata`).
        case database
        /// A `--to-openmetadata` run saw the same value on both sides; neither side was written.
        case both
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var value: String
        public var origin: Origin
        /// The run that recorded it.
        public var run: String
        public var at: Date

        public init(value: String, origin: Origin, run: String, at: Date) {
            self.value = value
            self.origin = origin
            self.run = run
            self.at = at
        }
    }

    /// One value to record.
    public struct Update: Sendable, Equatable {
        public var entity: String
        public var field: DatabaseChange.Field
        public var value: String
        public var origin: Origin

        public init(entity: String, field: DatabaseChange.Field, value: String, origin: Origin) {
            self.entity = entity
            self.field = field
            self.value = value
            self.origin = origin
        }
    }

    /// Why the ledger could not be read or written.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public let url: URL
    let lockPath: String
    /// Entity FQN → field → entry, as last read.
    public private(set) var entries: [String: [String: Entry]] = [:]
    /// The file as last read (size and modification time): `refresh` reads it again only when it changed.
    private var readStamp: (Int, Date)?

    public init(stateDirectory: String) {
        let dir = URL(fileURLWithPath: stateDirectory)
        url = dir.appendingPathComponent("sync-ledger.json")
        lockPath = dir.appendingPathComponent("locks").appendingPathComponent("sync-ledger.lock").path
    }

    /// The key of an entity: its fully qualified name, the column's name last for a column.
    public static func key(_ names: EntityNames) -> String {
        FullyQualifiedName.join([names.service, names.database] + [names.schema, names.table, names.column].compactMap { $0 })
    }

    public func entry(_ entity: String, _ field: DatabaseChange.Field) -> Entry? { entries[entity]?[field.rawValue] }

    /// Reads the file (again, when it changed since the last read). No file: an empty ledger.
    public func refresh() throws(Failure) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let attributes else {
            entries = [:]
            readStamp = nil
            return
        }
        let stamp = ((attributes[.size] as? NSNumber)?.intValue ?? -1, attributes[.modificationDate] as? Date ?? .distantPast)
        if let readStamp, readStamp == stamp { return }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw Failure(description: "cannot read the sync ledger \(url.path): \(error.localizedDescription)")
        }
        do { entries = try RunStore.decoder.decode(File.self, from: data).entities } catch {
            throw Failure(description: "the sync ledger \(url.path) is not a ledger templatec wrote (\(error)); move it away to start a new one (every field then counts as never synced)")
        }
        readStamp = stamp
    }

    /// Records `updates` under the file's lock: the file is read again, merged, and replaced.
    /// An update whose value is the one recorded, coming as `both`, keeps the recorded origin (a
    /// value templatec carried keeps saying so, for the loop checks).
    public func record(_ updates: [Update], run: String, at: Date = Date()) throws(Failure) {
        guard !updates.isEmpty else { return }
        let fd = try lock()
        defer { Glibc.close(fd) }
        readStamp = nil
        try refresh()
        for u in updates {
            // Seen equal, and already the recorded value: the entry (its origin, its run) stays.
            if u.origin == .both, let old = entries[u.entity]?[u.field.rawValue], old.value.utf8.elementsEqual(u.value.utf8) { continue }
            entries[u.entity, default: [:]][u.field.rawValue] = Entry(value: u.value, origin: u.origin, run: run, at: at)
        }
        do {
            // Compact: the ledger has an entry per synced field of the service, and is rewritten
            // by every run that writes (the run records' pretty form would double its size).
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            let data = try encoder.encode(File(entities: entries))
            let tmp = url.deletingLastPathComponent().appendingPathComponent(".sync-ledger.json.\(getpid()).tmp")
            try data.write(to: tmp)
            guard rename(tmp.path, url.path) == 0 else {
                throw Failure(description: "cannot replace the sync ledger \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "cannot write the sync ledger \(url.path): \(error.localizedDescription)")
        }
    }

    /// Whether `value` for this field is what templatec carried from the database to the catalog
    /// (`--to-openmetadata`) and nothing recorded since: writing it to the database would send
    /// the database's own value back (loop case 2).
    public func isDatabaseEcho(_ entity: String, _ field: DatabaseChange.Field, value: String) -> Bool {
        guard let e = entry(entity, field), e.origin == .database else { return false }
        return e.value.utf8.elementsEqual(value.utf8)
    }

    private struct File: Codable {
        var version = 1
        var entities: [String: [String: Entry]]
    }

    /// Takes the ledger's lock, waiting for another run's update (a few milliseconds) to end.
    private func lock() throws(Failure) -> Int32 {
        let dir = URL(fileURLWithPath: lockPath).deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw Failure(description: "cannot create \(dir.path): \(error.localizedDescription)")
        }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let why = String(cString: strerror(errno))
                Glibc.close(fd)
                throw Failure(description: "cannot lock \(lockPath): \(why)")
            }
        }
        return fd
    }
}

extension SyncLedger {
    /// What a successful operation leaves agreed: the description it wrote, or the owner it set
    /// (the first added owner's name, as the Planner renders it; "" when it only removed one).
    /// Nil for tags (not a ledger field) and for an entity link that names nothing.
    public static func update(for operation: PipelineOperation) -> Update? {
        guard let link = try? EntityLink.parse(operation.entityLink), let names = try? EntityNames(link) else { return nil }
        let entity = key(names)
        switch operation.parameters {
        case .description(let d):
            return Update(entity: entity, field: .description, value: d.newDescription ?? "", origin: .catalog)
        case .owner(let o):
            let first = o.addedOwners?.first
            return Update(entity: entity, field: .owner, value: first.map { $0.name ?? $0.fullyQualifiedName ?? "" } ?? "", origin: .catalog)
        case .tags:
            return nil
        }
    }
}
