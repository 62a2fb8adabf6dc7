extension Scheduler {
    /// The first slot beyond the commit horizon of a depot.
    func horizonEnd(_ d: DepotState) -> Int64 { d.bookable + Int64(config.commitHorizon) }

    /// Makes sure the first `rank + 1` queued orders of a depot have a
    /// projected slot: first fit in service order into the slots beyond the
    /// commit horizon, respecting each slot's capacity (committed units included) and each
    /// order's `not_before`. Work is proportional to the orders newly placed,
    /// and streams through the queue's keys (which carry the units), touching
    /// the order table only for orders with a `not_before`.
    mutating func project(_ name: String, through rank: Int) {
        guard let count = depots[name]?.queue.count, count > 0 else { return }
        let target = min(rank, count - 1)
        if depots[name]!.projection.placed > target { return }
        let end = horizonEnd(depots[name]!)
        if depots[name]!.projection.placed == 0 {
            depots[name]!.projection.reset()
            depots[name]!.projection.horizonEnd = end
            depots[name]!.projection.firstOpen = end
        }
        let from = depots[name]!.projection.placed
        let capacity = depots[name]!.capacity
        let slotLength = depots[name]!.slotLength
        let pins = depots[name]!.pins
        let bookBeyond = depots[name]!.maxBooked >= end
        // A capacity change reaching beyond the horizon: slots differ in capacity.
        let varied = depots[name]!.ranges.reaches(beyond: end)
        let ranges = varied ? depots[name]!.ranges : CapacityRanges()
        var p = depots[name]!.projection
        depots[name]!.projection = Projection()  // keep `p` uniquely referenced while it grows
        let book = bookBeyond ? depots[name]!.book : [:]
        // Expedited orders (the head of the queue) also need budget left:
        // their units in each slot beyond the horizon, committed and placed.
        var expedited = expeditedBeyondHorizon(name, end: end, placed: from, projection: p)
        @inline(__always) func room(_ p: Projection, _ s: Int64) -> Int {
            ranges.capacity(ofSlot: s, default: capacity) - p.used(s) - (bookBeyond ? (book[s]?.used ?? 0) : 0)
        }
        // The hot loop (`placeNear`) works on local arrays (slot fills and
        // placements as offsets from the horizon's end); the general path,
        // through `p`, takes the orders it cannot place.
        var near = p.usedNear
        var offsets = p.slotOffsetOfRank
        var checkpoints = p.checkpoints
        var lastUsed = p.lastUsed
        p.coverFit(capacity)
        var fit = p.fit
        p.usedNear = []
        p.slotOffsetOfRank = SlotOffsets()
        p.checkpoints = []
        p.fit = []
        var open = Int(p.firstOpen - end)
        let cap = Int32(capacity)
        let nearLimit = Int(Projection.nearLimit) - 1
        let queue = depots[name]!.queue
        var probes = 0
        queue.forEachRun(from: from, limit: target - from + 1) { run in
            var j = 0
            while j < run.count {
                if !bookBeyond && !varied {
                    j += Self.placeNear(
                        UnsafeBufferPointer(rebasing: run[j...]), near: &near, offsets: &offsets,
                        checkpoints: &checkpoints, lastUsed: &lastUsed, open: &open, fit: &fit, cap: cap,
                        nearLimit: nearLimit, probes: &probes)
                    if j == run.count { break }
                }
                // The general path: committed units or capacity changes
                // beyond the horizon, a `not_before`, or a slot past `near`'s range.
                let key = run[j]
                j += 1
                p.usedNear = near
                p.slotOffsetOfRank = offsets
                p.firstOpen = end + Int64(open)
                p.lastUsed = lastUsed
                near = []
                offsets = SlotOffsets()
                // First fit from where the search for this size left off,
                // or from the order's own earliest slot when that is later.
                let units = Int(key.units)
                if fit.count <= units { fit.append(contentsOf: repeatElement(0, count: units + 1 - fit.count)) }
                let searchFrom = max(p.firstOpen, end + Int64(fit[units]))
                var s = searchFrom
                if key.hasNotBefore { s = max(s, earliestSlot(key.index, from: s, slotLength: slotLength, pins: pins)) }
                let start = s
                // Terminates: a queued order never needs more than a slot's
                // capacity, nor a binding budget more than the usual budget.
                if expedited != nil && isExpediteKey(key.tag) {
                    // Room and budget: not a plain first fit, so `fit` stays.
                    let binds = budgetBinds(units: units, usualCapacity: capacity)
                    while room(p, s) < units
                        || binds && expedited![s, default: 0] + units > expediteBudget(capacity: ranges.capacity(ofSlot: s, default: capacity))
                    {
                        s += 1
                    }
                    expedited![s, default: 0] += units
                } else {
                    let unconstrained = s == searchFrom
                    while room(p, s) < units { s += 1 }
                    if unconstrained { fit[units] = Int(s - end) }
                }
                probes += Int(s - start)
                p.usedNear.withUnsafeMutableBufferPointer { slots in
                    ProjectionCheckpoint.take(&checkpoints, rank: p.slotOffsetOfRank.count, slots: slots, open: open, lastUsed: p.lastUsed)
                }
                p.add(Int(key.units), to: s)
                p.appendSlot(s)
                while room(p, p.firstOpen) <= 0 { p.firstOpen += 1 }
                near = p.usedNear
                offsets = p.slotOffsetOfRank
                p.usedNear = []
                p.slotOffsetOfRank = SlotOffsets()
                open = Int(p.firstOpen - end)
                lastUsed = p.lastUsed
            }
        }
        p.usedNear = near
        p.slotOffsetOfRank = offsets
        p.checkpoints = checkpoints
        p.fit = fit
        p.lastUsed = lastUsed
        p.firstOpen = end + Int64(open)
        p.placed = target + 1
        assert(p.slotOffsetOfRank.count == p.placed)
        planningWork.placements += target + 1 - from
        planningWork.slotProbes += probes
        depots[name]!.projection = p
    }

    /// Units of expedited orders in each slot of a depot from `end` on:
    /// committed ones and the queued ones among the first `placed` ranks of
    /// `p`; nil when no rank from `placed` on holds an expedite key (then
    /// the budget binds nothing left to place).
    private func expeditedBeyondHorizon(_ name: String, end: Int64, placed: Int, projection p: Projection) -> [Int64: Int]? {
        let queue = depots[name]!.queue
        guard let next = queue.keys(from: placed, limit: 1).first, isExpediteKey(next.tag) else { return nil }
        var units = committedExpeditedUnits(depots[name]!, from: end)
        for (rank, key) in queue.keys(from: 0, limit: placed).enumerated() {
            units[p.slot(ofRank: rank), default: 0] += Int(key.units)
        }
        return units
    }

    /// The hot loop of `project`: places `keys` in order by first fit into
    /// the near slots, up to the first one that needs the general path (a
    /// `not_before`, or no more room in `near`'s range); returns how many it
    /// placed. Works on raw buffers: no per-order uniqueness, capacity or
    /// bounds checks. `near` gets trailing empty slots (harmless: a slot past
    /// its end counts as empty too), so a placement never grows it.
    private static func placeNear(
        _ keys: UnsafeBufferPointer<QueueKey>, near: inout [Int32], offsets: inout SlotOffsets,
        checkpoints: inout [ProjectionCheckpoint], lastUsed: inout Int, open: inout Int, fit: inout [Int], cap: Int32,
        nearLimit: Int, probes: inout Int
    ) -> Int {
        let run = keys.firstIndex { $0.hasNotBefore } ?? keys.count
        guard run > 0, cap > 0 else { return 0 }
        // Each placement uses at most one slot past the last used one; keep
        // one more empty slot than that at the end so every scan stops in it.
        let want = min(max(lastUsed, open) + run + 2, nearLimit)
        if near.count < want { near.append(contentsOf: repeatElement(0, count: want - near.count)) }
        var placed = 0
        var o = open
        var hi = lastUsed
        var stopped = false
        var probed = 0
        defer { probes += probed }
        let sizes = fit.count
        near.withUnsafeMutableBufferPointer { slots in fit.withUnsafeMutableBufferPointer { fit in
            let last = slots.count - 1
            // One chunk of `offsets` at a time.
            while placed < run && !stopped {
                ProjectionCheckpoint.take(&checkpoints, rank: offsets.count, slots: slots, open: o, lastUsed: hi)
                placed += offsets.appendInChunk(upTo: run - placed) { out in
                    var n = 0
                    for key in keys[placed..<(placed + out.count)] {
                        let units = Int32(key.units)
                        // First fit from where the search for this size left off.
                        guard Int(units) < sizes else {
                            stopped = true
                            break
                        }
                        let start = max(o, fit[Int(units)])
                        var s = start
                        while s < last && cap - slots[s] < units { s += 1 }
                        probed += s - start
                        fit[Int(units)] = s
                        // The last slot stays empty: past it, `near`'s range ends.
                        if s >= last {
                            stopped = true
                            break
                        }
                        slots[s] += units
                        if s > hi { hi = s }
                        out[n] = Int32(s)
                        n += 1
                        while o < last && slots[o] >= cap { o += 1 }
                    }
                    return n
                }
            }
        } }
        open = o
        lastUsed = hi
        return placed
    }

    /// Forgets the projected slots of the queued orders from `rank` on in
    /// service order (call before the queue changes at that rank). The
    /// placements before it stay valid: first fit places each order by the
    /// orders ahead of it only.
    mutating func truncateProjection(_ name: String, fromRank rank: Int) {
        guard let placed = depots[name]?.projection.placed, placed > rank else { return }
        if depots[name]!.projection.restore(toCheckpointAtOrBefore: rank) { return }
        if rank < placed / 4 {
            depots[name]!.projection.reset()  // recomputing costs about the same as undoing
            return
        }
        var p = depots[name]!.projection
        depots[name]!.projection = Projection()
        var k = rank
        planningWork.undone += placed - rank
        var lowest = Int64.max
        depots[name]!.queue.forEachRun(from: rank, limit: placed - rank) { run in
            for key in run {
                let s = p.slot(ofRank: k)
                p.add(-Int(key.units), to: s)
                if s < p.firstOpen { p.firstOpen = s }
                lowest = min(lowest, s)
                k += 1
            }
        }
        if lowest != .max { p.lowerFit(to: Int(lowest - p.horizonEnd)) }
        p.removeSlots(fromRank: rank)
        p.placed = rank
        depots[name]!.projection = p
    }

    /// The projected slot index of the queued order at `rank`.
    mutating func projectedSlot(_ name: String, rank: Int) -> Int64 {
        project(name, through: rank)
        return depots[name]!.projection.slot(ofRank: rank)
    }
}
