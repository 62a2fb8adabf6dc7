import FairwayCore
import FairwaySimulation
import Testing

/// Planning work (counted, not timed) of a submit into a deep queue, on the
/// bench's workloads: it must not grow with the queue.
struct PlanningWorkTests {
    /// One depot of 100 units per 1 h slot, horizon 2, as in the bench.
    static func benchConfig() -> FairwayConfig {
        var c = scenarioConfig(depots: [("north", 100), ("south", 100), ("east", 100), ("west", 100)])
        c.limits.maxBatch = 100_000
        return c
    }

    /// A workload's orders as submissions, ids counting on from `first`.
    static func submissions(_ g: inout LoadWorkload.Generator, count: Int, first: Int, config: FairwayConfig) -> [OrderSubmission] {
        (0..<count).map { k in
            let o = g.next()
            let depot = config.depots[o.depot]
            let slot = (t0.seconds / depot.slotLength + 1 + Int64(o.notBeforeSlots ?? 0)) * depot.slotLength
            return OrderSubmission(
                orderID: "SO-\(first + k)", customerID: "C-\(o.customer)", units: o.units, clearedAt: t0, depot: depot.name,
                tier: o.tier, notBefore: o.notBeforeSlots.map { _ in Timestamp(seconds: slot) })
        }
    }

    /// The planning work of one 1000-order submit into `waiting` queued orders
    /// (loaded in batches of 10,000), with every projection placed before it
    /// (as the daemon has them when idle).
    static func work(_ workload: LoadWorkload, waiting: Int) throws -> PlanningWork {
        let config = benchConfig()
        var s = Scheduler(config: config, now: t0)
        var g = LoadWorkload.Generator(workload, depots: config.depots.count, seed: 42)
        var loaded = 0
        while loaded < waiting {
            let n = min(10_000, waiting - loaded)
            _ = try s.submit(submissions(&g, count: n, first: loaded, config: config), now: t0, actor: "test")
            loaded += n
        }
        _ = s.extendProjections(budget: .max)
        let before = s.planningWork
        _ = try s.submit(submissions(&g, count: 1000, first: loaded, config: config), now: t0, actor: "test")
        return s.planningWork.since(before)
    }

    /// First fit's search for room (slots looked at beyond the first one
    /// tried) per order placed must not grow with the queue. On same-size
    /// customers the deep queue is long runs of 3-unit orders, each slot
    /// left with 1 unit no later 3-unit order fits into; searching from the
    /// first slot with any room passed every one of those slots for every
    /// order (the 0.11 cliff of issue 18). Searches now start where the last
    /// one for the same size ended.
    ///
    /// The placements themselves are counted too: exact first fit re-places
    /// the queue from the first rank a submit changed (near the head: a new
    /// customer's tag is the depot's virtual time plus a little) to its
    /// deepest new order; that part still grows with the queue (see
    /// docs/scheduling.md, Costs), and is printed, not held to a bound.
    @Test func firstFitsSearchPerPlacementDoesNotGrowWithTheQueueOnSameSizeCustomers() throws {
        let small = try Self.work(.sameSize, waiting: 50_000)
        let large = try Self.work(.sameSize, waiting: 200_000)
        print("a 1000-order submit, same-size customers: at 50,000 waiting \(small); at 200,000 waiting \(large)")
        #expect(small.placements >= 1000 && large.placements >= 1000)
        let perPlacement = (Double(small.slotProbes) / Double(small.placements), Double(large.slotProbes) / Double(large.placements))
        #expect(perPlacement.1 <= 0.1, "50,000 waiting: \(small); 200,000 waiting: \(large)")
        #expect(perPlacement.1 <= 2 * perPlacement.0 + 0.01, "50,000 waiting: \(small); 200,000 waiting: \(large)")
    }
}
