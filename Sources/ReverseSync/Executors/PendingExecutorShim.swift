// SHIM — DELETE WHEN THE EXECUTORS ENGINEER'S Executors/ LANDS ON MAIN.
// The agreed API, so the sync engine compiles; makeExecutor here knows no connection kind.

public struct ExecutionOutcome {
    public var success: Bool
    public var message: String?
    public init(success: Bool, message: String? = nil) {
        self.success = success
        self.message = message
    }
}

public protocol SQLExecutor: AnyObject {
    func execute(_ sql: String) -> ExecutionOutcome
    func close()
}

public struct ConnectionSpec {
    public var url: String
}

public struct ConnectionURLError: Error, CustomStringConvertible {
    public var description: String
}

public enum ConnectionURL {
    public static func parse(_ s: String) throws -> ConnectionSpec { ConnectionSpec(url: s) }
}

public func makeExecutor(_ spec: ConnectionSpec, environment: [String: String]) throws -> SQLExecutor {
    throw ConnectionURLError(description: "no executor for \(spec.url) in this build")
}
