// A one-line progress bar for long work on a terminal, redrawn in place.

/// `[##########··········] 12000/30000 orders acknowledged, 8400/s`.
struct ProgressLine: Sendable {
    /// The total to reach.
    let total: Int
    /// What is counted (`orders`).
    let unit: String

    /// The line for `done` of `total` after `seconds`, starting with a
    /// carriage return so that it overwrites the previous one.
    func line(done: Int, seconds: Double) -> String {
        let rate = seconds > 0 ? Int((Double(done) / seconds).rounded()) : 0
        return "\r" + FillBar.bar(used: done, capacity: total, width: 30) + " \(done)/\(total) \(unit) acknowledged, \(rate)/s"
    }

    /// Clears the line (spaces, then back to its start).
    func clear(after line: String) -> String { "\r" + String(repeating: " ", count: line.count) + "\r" }
}
