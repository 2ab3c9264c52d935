/// Which failures are worth retrying: the database could not be reached, the session ended, or a
/// lock could not be had in time. Everything else (permission denied, a syntax or template error,
/// an object that does not exist) would fail again the same way: it is recorded, not retried.
/// The executors' messages are the input (see Executors/: "cannot connect to …", "… session with
/// … ended: …"), and the servers' own texts for lock waits.
enum TransientFailure {
    enum Kind: Equatable { case connection, lock }

    private static let connection = [
        "could not connect", "cannot connect", "session with", "server closed the connection",
        "connection to server was lost", "lost connection", "server has gone away", "connection refused",
        "no answer within", "the executor gave no result", "terminating connection", "the database system is starting up",
        "the database system is shutting down", "can't connect",
    ]
    private static let lock = [
        "lock timeout", "lock wait timeout", "deadlock", "canceling statement due to statement timeout", "could not obtain lock",
    ]

    static func kind(of message: String?) -> Kind? {
        guard let message else { return nil }
        let m = message.lowercased()
        if connection.contains(where: { m.contains($0) }) { return .connection }
        if lock.contains(where: { m.contains($0) }) { return .lock }
        return nil
    }
}
