/// How many statements the runner sends in its next batch. It starts at `first` (one statement:
/// the rate of an unknown session is known after one round trip, and a stop waits for little),
/// then follows the measured rate so that a batch runs in about `seconds`, growing at most
/// fourfold from one batch to the next and never past `largest`. Progress and the journal move
/// every `seconds` or so, whatever the session's speed.
struct BatchSizer {
    let largest: Int
    let seconds: Double
    private(set) var target: Int

    init(first: Int, largest: Int, seconds: Double) {
        self.largest = max(largest, 1)
        self.seconds = seconds
        self.target = max(1, min(first, self.largest))
    }

    /// A batch of `statements` took `elapsed` seconds: the next one is sized from that rate.
    mutating func measured(statements: Int, elapsed: Double) {
        guard statements > 0 else { return }
        let fitting = Double(statements) / max(elapsed, 1e-6) * seconds
        target = max(1, min(largest, target * 4, Int(min(fitting, Double(Int.max / 8)))))
    }
}
