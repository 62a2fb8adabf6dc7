public import FairwayCore

/// Replays a scenario on the daemon's own scheduler (`FairwayCore.Scheduler`)
/// with a virtual clock: each event is applied at its time, the clock ticks
/// at every slot boundary while orders wait, and after the last event it
/// runs on until the queue is empty. Only the service order differs between
/// policies (`ServicePolicy`); under `fair` this is exactly the daemon's code.
public enum Replay {
    /// Slot boundaries in a row without a single commit after which a replay
    /// gives up on the orders still waiting (they count as not placed).
    public static let idleLimit = 100_000

    /// The outcome of replaying `scenario` under `policy`.
    ///
    /// Orders of consecutive lines with the same `at` are submitted together,
    /// as one clump (at most the config's batch limit at a time): they get
    /// their finish tags from the same virtual time, as a clearance batch
    /// sent in one `submit` does in the daemon.
    public static func run(_ scenario: Scenario, policy: ServicePolicy) throws(TraceError) -> ReplayResult {
        var engine = ReplayEngine(scenario, policy: policy)
        try engine.run()
        return engine.result()
    }
}

/// The state of one replay.
struct ReplayEngine {
    let scenario: Scenario
    var scheduler: Scheduler
    var now: Timestamp
    let start: Timestamp
    /// Slot lengths of the depots, in milliseconds.
    let slotLengthsMs: [Int64]
    /// By order index: first promised slot start (seconds) and when.
    var firstPromise: [Int64?] = []
    var promisedAt: [Int64] = []
    /// Per customer, the seqs of its orders (only when complaints reorder).
    var customerOrders: [String: [Int64]] = [:]
    /// What became of the trace's expedites.
    var expedites = ExpediteTally()

    init(_ scenario: Scenario, policy: ServicePolicy) {
        self.scenario = scenario
        start = scenario.trace.events.first?.at ?? Timestamp(milliseconds: 0)
        now = start
        scheduler = Scheduler(config: scenario.config, now: start, policy: policy)
        slotLengthsMs = scenario.config.depots.map { $0.slotLength * 1000 }
        _ = scheduler.drainChanges()
    }

    mutating func run() throws(TraceError) {
        let events = scenario.trace.events
        let maxBatch = scenario.config.limits.maxBatch
        var i = 0
        while i < events.count {
            let e = events[i]
            advance(to: e.at)
            switch e.kind {
            case .order:
                var j = i + 1
                while j < events.count && j - i < maxBatch && events[j].kind == .order && events[j].at == e.at { j += 1 }
                try submit(events[i..<j])
                i = j
            case .complaint:
                try complain(e)
                i += 1
            case .capacity:
                try changeCapacity(e)
                i += 1
            case .expedite:
                try expedite(e)
                i += 1
            }
            collect()
        }
        drain()
    }

    /// The first slot boundary of any depot after `t`.
    func nextBoundary(after t: Timestamp) -> Timestamp {
        var next = Int64.max
        for length in slotLengthsMs {
            let ms = t.milliseconds
            let k = ms >= 0 ? ms / length : -((-ms + length - 1) / length)
            next = min(next, (k + 1) * length)
        }
        return Timestamp(milliseconds: next)
    }

    /// Moves the clock to `t`, ticking at each slot boundary on the way
    /// while orders wait (an empty queue has nothing to roll into the horizon).
    mutating func advance(to t: Timestamp) {
        while scheduler.summary().queued > 0 {
            let next = nextBoundary(after: now)
            if next > t { break }
            now = next
            scheduler.tick(now: now)
            collect()
        }
        if t > now { now = t }
        scheduler.tick(now: now)
    }

    /// Ticks on after the last event until nothing waits (or nothing has
    /// been placed for `Replay.idleLimit` slot boundaries).
    mutating func drain() {
        var idle = 0
        while scheduler.summary().queued > 0 && idle < Replay.idleLimit {
            now = nextBoundary(after: now)
            scheduler.tick(now: now)
            idle = collect() > 0 ? 0 : idle + 1
        }
    }

    /// Forgets the scheduler's change log, noting each order's first promise;
    /// returns how many orders were newly promised.
    @discardableResult
    mutating func collect() -> Int {
        let changes = scheduler.drainChanges()
        var promised = 0
        for index in changes.updatedOrders {
            let i = Int(index)
            guard i < firstPromise.count, firstPromise[i] == nil else { continue }
            let (state, slot) = scheduler.orders.placement(at: index)
            if state == .committed, let slot {
                firstPromise[i] = slot
                promisedAt[i] = now.milliseconds
                promised += 1
            }
        }
        return promised
    }

    mutating func submit(_ batch: ArraySlice<TraceEvent>) throws(TraceError) {
        let submissions = batch.map(\.submission)
        let lines = batch.map(\.line)
        let problems = scheduler.validate(submissions, now: now)
        if let p = problems.first {
            throw TraceError(line: lines[p.index], column: p.field.isEmpty ? nil : p.field, message: p.message)
        }
        let before = scheduler.orders.count
        let results: [SubmitResult]
        do {
            results = try scheduler.submit(submissions, now: now, actor: "simulator")
        } catch {
            let span = lines.count > 1 ? "lines \(lines.first!)-\(lines.last!)" : "line \(lines[0])"
            throw TraceError(line: lines[0], message: "the orders of \(span) (orders[0] is line \(lines[0])): \(error.message)")
        }
        let added = scheduler.orders.count - before
        firstPromise.append(contentsOf: repeatElement(nil, count: added))
        promisedAt.append(contentsOf: repeatElement(0, count: added))
        for i in before..<scheduler.orders.count {
            let (state, slot) = scheduler.orders.placement(at: Int32(i))
            if state == .committed, let slot {
                firstPromise[i] = slot
                promisedAt[i] = now.milliseconds
            }
        }
        if scheduler.policy.complaintsReorder {
            var seq = Int64(before)
            for (s, r) in zip(submissions, results) where !r.duplicate {
                seq += 1
                customerOrders[s.customerID, default: []].append(seq)
            }
        }
    }

    /// The order an event names, which an earlier line must have brought.
    func order(of e: TraceEvent) throws(TraceError) -> Order {
        let id = e.orderID ?? ""
        guard let order = scheduler.storedOrder(id) else {
            throw TraceError(line: e.line, column: "order_id", message: "no order '\(id)' on an earlier line")
        }
        return order
    }

    mutating func complain(_ e: TraceEvent) throws(TraceError) {
        let order = try order(of: e)
        let id = order.orderID
        do {
            _ = try scheduler.complain(orderID: id, channel: nil, note: nil, now: now, actor: "simulator")
        } catch {
            throw TraceError(line: e.line, message: error.message)
        }
        scheduler.reprioritise(customerOrders: customerOrders[order.customerID] ?? [])
    }

    mutating func changeCapacity(_ e: TraceEvent) throws(TraceError) {
        do {
            _ = try scheduler.setCapacity(
                depot: e.depot ?? "", from: e.from!, to: e.to!, capacity: e.capacity, reason: e.reason, now: now,
                actor: "simulator")
        } catch {
            throw TraceError(line: e.line, message: error.message)
        }
    }

    /// The daemon's own `expedite`, at the event's time, under every policy:
    /// the order goes to the head of its depot's service order (behind
    /// earlier expedites) into the earliest slot with room and expedite
    /// budget left. One the daemon would refuse, because no earlier slot has
    /// room and budget (`over_budget`) or because the order is no longer
    /// queued under this policy (it was promised before the call came), is
    /// counted, not fatal: another policy may well have served it sooner.
    mutating func expedite(_ e: TraceEvent) throws(TraceError) {
        let id = try order(of: e).orderID
        expedites.asked += 1
        do {
            _ = try scheduler.expedite(orderID: id, reason: e.reason ?? "", now: now, actor: "simulator")
            expedites.honoured += 1
        } catch {
            switch error.code {
            case .overBudget: expedites.overBudget += 1
            case .conflict: expedites.notQueued += 1
            default: throw TraceError(line: e.line, message: error.message)
            }
        }
    }

    /// The outcomes and slots once the replay is over.
    mutating func result() -> ReplayResult {
        var outcomes: [OrderOutcome] = []
        outcomes.reserveCapacity(scheduler.orders.count)
        for i in 0..<scheduler.orders.count {
            let o = scheduler.orders.order(at: Int32(i))
            outcomes.append(OrderOutcome(
                orderID: o.orderID, customerID: o.customerID, tier: o.tier, weight: Int(o.weight), depot: o.depot,
                units: Int(o.units), clearedAt: o.clearedAt, deadline: o.deadline, notBefore: o.notBefore,
                slotLength: o.slotLength, firstPromise: firstPromise[i],
                promisedAt: firstPromise[i] == nil ? nil : Timestamp(milliseconds: promisedAt[i]),
                slotStart: o.state == .committed ? o.slotStart : nil, complaints: Int(o.complaints),
                promiseMoves: Int(o.promiseMoves),
                expedited: o.expedited, serviceKey: o.tag))
        }
        return ReplayResult(
            policy: scheduler.policy, config: scenario.config, outcomes: outcomes, start: start, end: now,
            slots: slotUse(outcomes), expedites: expedites)
    }

    /// Each depot's slots from the first bookable one at the start to the
    /// last one used, with capacity and units delivered.
    func slotUse(_ outcomes: [OrderOutcome]) -> [SlotUse] {
        var used: [String: [Int64: Int]] = [:]
        for o in outcomes {
            if let s = o.slotStart { used[o.depot, default: [:]][s / o.slotLength, default: 0] += o.units }
        }
        var slots: [SlotUse] = []
        for depot in scenario.config.depots {
            guard let byIndex = used[depot.name], let last = byIndex.keys.max() else { continue }
            let length = depot.slotLength
            let s = start.seconds
            let first = (s >= 0 ? s / length : -((-s + length - 1) / length)) + Int64(scenario.config.leadSlots)
            for k in min(first, byIndex.keys.min()!)...last {
                let capacity = scheduler.capacity(depot: depot.name, slot: k) ?? depot.capacity
                slots.append(SlotUse(depot: depot.name, start: k * length, capacity: capacity, used: byIndex[k] ?? 0))
            }
        }
        return slots
    }
}
