#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGTERM and SIGINT (Ctrl-C) during a sync: the first one asks the run to stop, the second one
/// ends the process at once.
///
/// On the first signal the runner finishes the statements already sent, answers every later
/// operation "not run", and the command writes the responses and the run record; then it ends by
/// the same signal (`endBySignal`), so a calling shell sees 130 or 143 and a loop around it stops.
/// A second signal restores the default action and ends the process where it is: what was done is
/// in the run journal (see `RunJournal`).
///
/// The handler only stores the signal number in an atomic (async-signal-safe); everything else
/// happens on the run's own thread, which asks `reason` before each operation.
public enum StopSignals {
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers (once is enough; calling again changes nothing).
    public static func install() {
        _ = received.load(ordering: .relaxed)
        for signalNumber in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signalNumber in
                if !StopSignals.received.compareExchange(expected: 0, desired: signalNumber, ordering: .relaxed).exchanged {
                    // The second signal: the default action, now.
                    signal(signalNumber, SIG_DFL)
                    raise(signalNumber)
                }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signalNumber, &action, nil)
        }
    }

    /// The signal received (`SIGTERM`, `SIGINT`), or nil while none has been.
    public static var reason: String? {
        switch received.load(ordering: .relaxed) {
        case 0: return nil
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        case let other: return "signal \(other)"
        }
    }

    /// Ends the process by the signal received, as if its default action had run: the exit status a
    /// shell sees is 128 + the signal's number. Returns only when no signal was received.
    public static func endBySignal() {
        let signalNumber = received.load(ordering: .relaxed)
        guard signalNumber != 0 else { return }
        signal(signalNumber, SIG_DFL)
        raise(signalNumber)
    }
}
