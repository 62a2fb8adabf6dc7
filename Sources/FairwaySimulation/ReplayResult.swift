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
}
