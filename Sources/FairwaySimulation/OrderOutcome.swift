public import FairwayCore

/// What happened to one order in a replay, as if it is delivered in the
/// slot it was last promised.
public struct OrderOutcome: Sendable, Equatable {
    public var orderID: String
    public var customerID: String
    public var tier: String
    /// The tier's weight when the order arrived (its value).
    public var weight: Int
    public var depot: String
    public var units: Int
    public var clearedAt: Timestamp
    public var deadline: Timestamp?
    public var notBefore: Timestamp?
    /// The depot's slot length in seconds.
    public var slotLength: Int64
    /// Start (seconds) of the slot it was first promised; nil if never promised.
    public var firstPromise: Int64?
    /// When it was first promised (the virtual clock then).
    public var promisedAt: Timestamp?
    /// Start (seconds) of the slot it is delivered in: its promise at the end.
    public var slotStart: Int64?
    /// Complaints recorded about it.
    public var complaints: Int
    /// How often a capacity change moved its promise.
    public var promiseMoves: Int
    /// Whether it was expedited.
    public var expedited: Bool
    /// Its key in the service order at the end (under `fair`, its finish tag).
    public var serviceKey: Double

    /// Start (seconds) of the slot holding `clearedAt`.
    public var clearedSlotStart: Int64 {
        let s = clearedAt.seconds
        let k = s >= 0 ? s / slotLength : -((-s + slotLength - 1) / slotLength)
        return k * slotLength
    }

    /// The wait in slots: start of the delivery slot minus start of the slot
    /// holding `clearedAt`, over the slot length; nil when never placed.
    public var waitSlots: Int? {
        slotStart.map { Int(($0 - clearedSlotStart) / slotLength) }
    }

    /// Whether a `deadline` is missed: never placed, or its slot ends after it.
    public var deadlineMissed: Bool {
        guard let deadline else { return false }
        guard let start = slotStart else { return true }
        return (start + slotLength) * 1000 > deadline.milliseconds
    }

    /// Whether it is delivered no later than the end of its first promised
    /// slot (true when its promise never moved later); nil when never placed.
    public var onTimeToFirstPromise: Bool? {
        guard let start = slotStart, let first = firstPromise else { return nil }
        return start <= first
    }
}
