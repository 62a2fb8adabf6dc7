extension Scheduler {
    /// The first slot beyond the commit horizon of a depot.
    func horizonEnd(_ d: DepotState) -> Int64 { d.bookable + Int64(config.commitHorizon) }

    /// Makes sure the first `rank + 1` queued orders of a depot have a
    /// projected slot: first fit in service order into the slots beyond the
    /// commit horizon, respecting capacity (committed units included) and each
    /// order's `not_before`. Work is proportional to the orders newly placed,
    /// and streams through the queue's keys (which carry the units), touching
    /// the order table only for orders with a `not_before`.
    mutating func project(_ name: String, through rank: Int) {
        guard let count = depots[name]?.queue.count, count > 0 else { return }
        let target = min(rank, count - 1)
        if depots[name]!.projection.placed > target { return }
        let end = horizonEnd(depots[name]!)
        if depots[name]!.projection.placed == 0 {
            depots[name]!.projection = Projection()
            depots[name]!.projection.horizonEnd = end
            depots[name]!.projection.firstOpen = end
        }
        let from = depots[name]!.projection.placed
        let capacity = depots[name]!.capacity
        let slotLength = depots[name]!.slotLength
        let bookBeyond = depots[name]!.maxBooked >= end
        var p = depots[name]!.projection
        depots[name]!.projection = Projection()  // keep `p` uniquely referenced while it grows
        let book = bookBeyond ? depots[name]!.book : [:]
        func room(_ s: Int64) -> Int {
            capacity - p.used(s) - (bookBeyond ? (book[s]?.used ?? 0) : 0)
        }
        p.slotOffsetOfRank.reserveCapacity(target + 1)
        let queue = depots[name]!.queue
        queue.forEachRun(from: from, limit: target - from + 1) { run in
            for key in run {
                let units = Int(key.units)
                var s = p.firstOpen
                if key.hasNotBefore, let nb = orders[Int(key.index)].notBefore {
                    s = max(s, DepotState.firstSlot(notBefore: nb, slotLength: slotLength))
                }
                while room(s) < units { s += 1 }
                p.add(units, to: s)
                p.appendSlot(s)
                while room(p.firstOpen) <= 0 { p.firstOpen += 1 }
            }
        }
        p.placed = target + 1
        p.complete = p.placed == count
        depots[name]!.projection = p
    }

    /// Forgets the projected slots of the queued orders from `rank` on in
    /// service order (call before the queue changes at that rank). The
    /// placements before it stay valid: first fit places each order by the
    /// orders ahead of it only.
    mutating func truncateProjection(_ name: String, fromRank rank: Int) {
        guard let placed = depots[name]?.projection.placed, placed > rank else { return }
        if rank < placed / 4 {
            depots[name]!.projection = Projection()  // recomputing costs about the same as undoing
            return
        }
        var p = depots[name]!.projection
        depots[name]!.projection = Projection()
        var k = rank
        depots[name]!.queue.forEachRun(from: rank, limit: placed - rank) { run in
            for key in run {
                let s = p.slot(ofRank: k)
                p.add(-Int(key.units), to: s)
                if s < p.firstOpen { p.firstOpen = s }
                k += 1
            }
        }
        p.removeSlots(fromRank: rank)
        p.placed = rank
        p.complete = false
        depots[name]!.projection = p
    }

    /// The projected slot index of the queued order at `rank`.
    mutating func projectedSlot(_ name: String, rank: Int) -> Int64 {
        project(name, through: rank)
        return depots[name]!.projection.slot(ofRank: rank)
    }
}
