public import FairwayCore

/// One slot of one depot after a replay: its capacity and the units
/// delivered in it.
public struct SlotUse: Sendable, Equatable {
    public var depot: String
    /// Start in seconds since the epoch.
    public var start: Int64
    public var capacity: Int
    public var used: Int
}

/// Everything a replay under one policy produced.
public struct ReplayResult: Sendable {
    /// The policy that chose the service order.
    public var policy: ServicePolicy
    /// The config it ran with.
    public var config: FairwayConfig
    /// One per accepted order, in arrival order.
    public var outcomes: [OrderOutcome]
    /// The virtual clock at the first event and when the replay ended (the
    /// queue ran empty, or nothing could be placed any more).
    public var start: Timestamp
    public var end: Timestamp
    /// Every slot of every depot from the first bookable one to the last
    /// one used, in depot (config) then time order.
    public var slots: [SlotUse]
    /// What became of the trace's expedites.
    public var expedites: ExpediteTally
}

/// The expedites of a replay: asked by the trace, honoured, and refused
/// (every one asked is exactly one of the three).
public struct ExpediteTally: Sendable, Equatable {
    /// `expedite` events in the trace.
    public var asked = 0
    /// Moved to the head of the queue, into an earlier slot.
    public var honoured = 0
    /// Refused as the daemon refuses them: no slot before the order's
    /// projected one had room and expedite budget left (`over_budget`).
    public var overBudget = 0
    /// Refused because the order was no longer queued under this policy:
    /// it had already been promised a slot (`conflict` in the daemon).
    public var notQueued = 0

    public init() {}
}
