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

    public var id: String
    public var connector: String
    public var dryRun: Bool
    public var start: Date
    public var end: Date
    public var pipelines: [PipelineRun]

    public init(id: String, connector: String, dryRun: Bool, start: Date, end: Date, pipelines: [PipelineRun]) {
        self.id = id
        self.connector = connector
        self.dryRun = dryRun
        self.start = start
        self.end = end
        self.pipelines = pipelines
    }

    public var operationCount: Int { pipelines.reduce(0) { $0 + $1.operations.count } }
    public var failedCount: Int { pipelines.reduce(0) { $0 + $1.operations.filter { !$0.success }.count } }
}

/// Run records as JSON files, one per run, in `<state-dir>/runs/<id>.json`.
public struct RunStore {
    public let directory: URL

    public init(stateDirectory: String) {
        directory = URL(fileURLWithPath: stateDirectory).appendingPathComponent("runs")
    }

    /// A sortable, unique id: UTC time to the millisecond and the process id.
    public static func newID(_ date: Date = Date()) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return f.string(from: date) + "-" + String(ProcessInfo.processInfo.processIdentifier)
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

    /// Record ids, newest first.
    public func ids() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted(by: >)
    }

    public func load(_ id: String) throws -> RunRecord {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(id).json"))
        return try RunStore.decoder.decode(RunRecord.self, from: data)
    }
}
