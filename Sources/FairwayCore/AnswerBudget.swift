/// Whether the daemon may start making a request's answer now, from the
/// bytes of answers it holds for clients (made and not yet read by them).
/// A value without I/O: the state owner asks it before each request, with
/// the figures the I/O thread keeps (see the daemon's `AnswerLedger`).
///
/// Two bounds keep answer memory bounded whatever the clients do:
/// - per connection, `connectionBytes` (1 MiB): no answer of a connection is
///   started while it holds more unread, so a client that stops reading
///   costs at most one answer beyond it, and no CPU;
/// - over all connections, `maxTotal` (`[limits] max-answer-bytes`): past
///   half of it, a large answer of a connection holding at least the average
///   waits (those holding most are paused first); at it, every large answer
///   waits. Small answers (`AnswerSize.small`) only wait for their own
///   connection's bound, so cheap requests stay answered.
/// Waiting answers are not dropped: they are made once the bytes are read.
public struct AnswerBudget: Sendable, Equatable {
    /// The default of `connectionBytes`.
    public static let defaultConnectionBytes = 1 << 20

    /// Unread answer bytes of one connection beyond which none of its answers is started.
    public var connectionBytes: Int
    /// The bound over all connections.
    public var maxTotal: Int

    /// A budget bounding all connections' answers at `maxTotal` bytes, and each one's at `connectionBytes`.
    public init(maxTotal: Int, connectionBytes: Int = AnswerBudget.defaultConnectionBytes) {
        self.maxTotal = maxTotal
        self.connectionBytes = connectionBytes
    }

    /// Whether an answer of `size` may be started for a connection holding
    /// `held` bytes unread, while `total` bytes are held over `holders`
    /// connections (those holding anything).
    public func mayStart(_ size: AnswerSize, held: Int, total: Int, holders: Int) -> Bool {
        if held > connectionBytes { return false }
        guard size == .large else { return true }
        if total >= maxTotal { return false }
        if total >= maxTotal / 2 && held > 0 && held >= total / max(holders, 1) { return false }
        return true
    }
}

/// How big an answer can be: `small` ones are bounded by their request (an
/// order, a status, the results of one submit), `large` ones by the state
/// (a schedule, a queue, a history, an export).
public enum AnswerSize: Sendable, Equatable {
    case small
    case large
}
