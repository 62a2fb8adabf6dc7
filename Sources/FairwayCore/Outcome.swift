/// How an order ended, measured against its first promise.
public enum Outcome: String, Sendable, Equatable, CaseIterable {
    /// Delivered no later than the end of its first promised slot, or
    /// delivered before it was ever promised.
    case onTime = "on_time"
    /// Delivered after the end of its first promised slot.
    case late
    case failed
    case cancelled

    /// The outcome of an order in `state`, delivered at `deliveredAt`, whose
    /// first promised slot ends at `firstPromiseEnd` (seconds; nil when it
    /// was never promised); nil while the order is open.
    public static func of(state: OrderState, deliveredAt: Timestamp?, firstPromiseEnd: Int64?) -> Outcome? {
        switch state {
        case .queued, .committed: return nil
        case .failed: return .failed
        case .cancelled: return .cancelled
        case .delivered:
            guard let end = firstPromiseEnd, let at = deliveredAt else { return .onTime }
            return at.milliseconds <= end * 1000 ? .onTime : .late
        }
    }
}

/// A failed delivery attempt after which the order went back in line
/// (`fail` with `retry`).
public struct Attempt: Sendable, Equatable {
    /// When the attempt failed.
    public var at: Timestamp
    /// One of the config's `failure-reasons`.
    public var reason: String
    public var note: String?

    public init(at: Timestamp, reason: String, note: String?) {
        self.at = at
        self.reason = reason
        self.note = note
    }
}

/// What few orders carry beyond their compact `OrderRecord`, kept in a side
/// table keyed by order index (most orders never need it).
struct OrderExtra: Sendable, Equatable {
    /// Start (seconds) of the slot the order was first committed to, kept
    /// only once its `slotStart` no longer says it (a moved promise, a
    /// retry, a cancellation); otherwise the first promise is `slotStart`.
    var firstPromise: Int64?
    /// How often a capacity change moved its promise.
    var promiseMoves: Int32 = 0
    /// How often an expedite pushed its projected slot later.
    var displaced: Int32 = 0
    /// The reason of its final failure.
    var failReason: String?
    /// Failed attempts that were retried, oldest first.
    var attempts: [Attempt] = []

    /// Whether there is nothing to keep.
    var isEmpty: Bool { self == OrderExtra() }
}
