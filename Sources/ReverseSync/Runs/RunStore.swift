import Foundation

/// One recorded `templatec sync` invocation.
public struct RunRecord: Codable, Sendable {
    public struct PipelineRun: Codable, Sendable {
        public var file: String
        public var serviceId: String?
        public var serviceName: String?
        public var success: Bool?
        public var message: String?
        public var start: Date?
        public var end: Date?
        public var operations: [OperationRecord]
        /// The settings of the session that ran the statements (docs/sync.md, "The session contract").
        public var session: [SessionSettings.Setting]?

        public init(file: String, serviceId: String?, serviceName: String?, success: Bool?, message: String?,
                    start: Date?, end: Date?, operations: [OperationRecord], session: [SessionSettings.Setting]? = nil) {
            self.session = session
            self.file = file
            self.serviceId = serviceId
            self.serviceName = serviceName
            self.success = success
            self.message = message
            self.start = start
            self.end = end
            self.operations = operations
        }
    }

    /// A run that did not simply finish. Absent for one that did.
    public enum State: String, Codable, Sendable {
        /// Stopped by a signal (`stoppedBy`): the operations after it were answered "not run".
        case stopped
        /// Read from the journal of a run that is still going.
        case running
        /// Read from the journal of a run that ended without writing its record (killed).
        case interrupted
    }

    public var id: String
    public var connector: String
    public var dryRun: Bool
    public var start: Date
    public var end: Date
    public var pipelines: [PipelineRun]
    public var state: State?
    /// The signal that stopped the run (`SIGTERM`, `SIGINT`).
    public var stoppedBy: String?

    public init(id: String, connector: String, dryRun: Bool, start: Date, end: Date, pipelines: [PipelineRun]) {
        self.id = id
        self.connector = connector
        self.dryRun = dryRun
        self.start = start
        self.end = end
        self.pipelines = pipelines
    }

    public var operationCount: Int { pipelines.reduce(0) { $0 + $1.operations.count } }
    public var notRunCount: Int { pipelines.reduce(0) { $0 + $1.operations.filter { $0.notRun == true }.count } }
    public var failedCount: Int { pipelines.reduce(0) { $0 + $1.operations.filter { !$0.success }.count } }
}

/// Run records as JSON files, one per run, in `<state-dir>/runs/<id>.json`.
public struct RunStore {
    public let directory: URL

    public init(stateDirectory: String) {
        directory = URL(fileURLWithPath: stateDirectory).appendingPathComponent("runs")
    }

    /// A sortable id: UTC time to the millisecond, then 8 random hexadecimal digits. Not the process
    /// id: in containers every process is PID 1, and runs started in one millisecond collided. The
    /// journal that reserves an id is created with O_EXCL, so even a repeated random part cannot
    /// give two runs one id (`RunJournal`).
    public static func newID(_ date: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        let random = UInt32.random(in: 0...UInt32.max)
        let hex = String(random, radix: 16)
        return f.string(from: date) + "-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }

    public func save(_ record: RunRecord) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = try RunStore.encoder.encode(record)
        let tmp = directory.appendingPathComponent(".\(record.id).json.tmp")
        try data.write(to: tmp)
        let final = directory.appendingPathComponent("\(record.id).json")
        _ = try? FileManager.default.removeItem(at: final)
        try FileManager.default.moveItem(at: tmp, to: final)
    }

    /// Record ids, newest first: finished runs and, from their journals, runs still going or killed.
    public func ids() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var ids = Set<String>()
        for name in names where !name.hasPrefix(".") {
            if name.hasSuffix(".json") { ids.insert(String(name.dropLast(5))) }
            if name.hasSuffix(".journal") { ids.insert(String(name.dropLast(8))) }
        }
        return ids.sorted(by: >)
    }

    /// The run's record, or what its journal holds when it has none (yet).
    public func load(_ id: String) throws -> RunRecord {
        let recordURL = directory.appendingPathComponent("\(id).json")
        if FileManager.default.fileExists(atPath: recordURL.path) {
            let data = try Data(contentsOf: recordURL)
            return try RunStore.decoder.decode(RunRecord.self, from: data)
        }
        return try RunJournal.read(directory.appendingPathComponent("\(id).journal")).record
    }
}
