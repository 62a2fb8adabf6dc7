extension Scheduler {
    /// The first slot beyond the commit horizon of a depot.
    func horizonEnd(_ d: DepotState) -> Int64 { d.bookable + Int64(config.commitHorizon) }

    /// Makes sure the first `rank + 1` queued orders of a depot have a
    /// projected slot: first fit in service order into the slots beyond the
    /// commit horizon, respecting capacity (committed units included) and each
    /// order's `not_before`. Work is proportional to the orders newly placed.
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
        let keys = depots[name]!.queue.keys(from: from, limit: target - from + 1)
        let capacity = depots[name]!.capacity
        let slotLength = depots[name]!.slotLength
        let bookBeyond = depots[name]!.book.keys.contains { $0 >= end }
        var p = depots[name]!.projection
        depots[name]!.projection = Projection()  // keep `p` uniquely referenced while it grows
        let book = bookBeyond ? depots[name]!.book : [:]
        func room(_ s: Int64) -> Int {
            capacity - (p.used[s] ?? 0) - (bookBeyond ? (book[s]?.used ?? 0) : 0)
        }
        p.slotOfRank.reserveCapacity(target + 1)
        for key in keys {
            let o = orders[Int(key.index)]
            let units = Int(o.units)
            var s = p.firstOpen
            if let nb = o.notBefore { s = max(s, DepotState.firstSlot(notBefore: nb, slotLength: slotLength)) }
            while room(s) < units { s += 1 }
            p.used[s, default: 0] += units
            p.slotOfRank.append(s)
            while room(p.firstOpen) <= 0 { p.firstOpen += 1 }
        }
        p.placed = from + keys.count
        p.complete = p.placed == count
        depots[name]!.projection = p
    }

    /// The projected slot index of the queued order at `rank`.
    mutating func projectedSlot(_ name: String, rank: Int) -> Int64 {
        project(name, through: rank)
        return depots[name]!.projection.slotOfRank[rank]
    }
}
