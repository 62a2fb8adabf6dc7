/// How much planning the scheduler did, counted in steps rather than time,
/// so that a test can tell whether the work of an operation grows with the
/// queue on any machine and under any load. The counts only grow; take the
/// difference around an operation.
public struct PlanningWork: Sendable, Equatable {
    /// Queued orders given a projected slot (each placement counts once,
    /// also when a later change undoes it and it is placed again).
    public var placements = 0
    /// Slots looked at while searching for the first one with room, beyond
    /// the first one tried for each order: the cost of first fit's search.
    public var slotProbes = 0
    /// Placements undone one by one (a queue change ahead of them).
    public var undone = 0
    /// Queued orders looked at while filling the commit horizon.
    public var horizonVisits = 0

    public init() {}

    /// Every step counted, in one number.
    public var total: Int { placements + slotProbes + undone + horizonVisits }

    /// The steps counted since `earlier` (an earlier reading of the same counter).
    public func since(_ earlier: PlanningWork) -> PlanningWork {
        var d = PlanningWork()
        d.placements = placements - earlier.placements
        d.slotProbes = slotProbes - earlier.slotProbes
        d.undone = undone - earlier.undone
        d.horizonVisits = horizonVisits - earlier.horizonVisits
        return d
    }
}
