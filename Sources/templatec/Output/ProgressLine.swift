import Foundation

/// `sync: done/total operations, rate/s` on standard error.
///
/// On a terminal the line is redrawn in place (`\r`, at most ten times a second). Anywhere else
/// (a CI log, a file, a pipe) carriage returns make one unreadable line, so each update is a whole
/// line of its own, at most one a second. Either way `finish` draws the final count and ends the
/// line, so whatever is written next starts on a line of its own.
final class ProgressLine {
    let total: Int
    let enabled: Bool
    let redraws: Bool
    let start = Date()
    private var last = Date.distantPast
    private var shown: Int?
    private var done = 0

    /// `redraws`: standard error is a terminal (draw in place); else whole lines.
    init(total: Int, enabled: Bool, redraws: Bool = isatty(2) == 1) {
        self.total = total
        self.enabled = enabled
        self.redraws = redraws
    }

    var interval: Double { redraws ? 0.1 : 1 }

    func update(_ done: Int) {
        self.done = done
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= interval else { return }
        last = now
        draw(now)
    }

    private func draw(_ now: Date) {
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Int((Double(done) / elapsed).rounded())
        let text = "sync: \(done)/\(total) operations, \(rate)/s"
        Output.stderr(redraws ? "\r\(text)   " : text + "\n")
        shown = done
    }

    /// The final count (unless it is already shown), and the end of the line.
    func finish() {
        guard enabled, total > 0 || shown != nil else { return }
        if shown != done { draw(Date()) }
        if redraws { Output.stderr("\n") }
    }
}
