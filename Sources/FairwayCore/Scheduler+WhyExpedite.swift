extension Scheduler {
    /// What `expedite` would give the queued order at `i` now, for `why`:
    /// the slot (`expediteSlot`, the rule `expedite` itself applies) and how
    /// many queued orders it would push later; nil when no slot before its
    /// projected one has room and budget (`expedite` would answer `over_budget`).
    ///
    /// Without forking the whole state: the trial below is a copy of the
    /// scheduler in which only the depot's queue, pins and projection are
    /// written (the order table, the largest part, is only read, so it is
    /// never copied). The moved order gets the key and the pin the real
    /// expedite gives it; inside the commit horizon it would leave the
    /// queue for a promise, which pushes no queued order later.
    mutating func expediteOutlook(_ i: Int32) -> Why.Expedite? {
        guard orders[Int(i)].state == .queued, config.expediteBudget > 0 else { return nil }
        let name = orders.depotName(i)
        guard let depot = depots[name] else { return nil }
        let oldKey = QueueKey(orders[Int(i)], index: i)
        guard let rank = depot.queue.rank(of: oldKey) else { return nil }
        let current = projectedSlot(name, rank: rank)
        let units = Int(orders[Int(i)].units)
        guard let slot = expediteSlot(name, units: units, notBefore: orders[Int(i)].notBefore, before: current) else { return nil }
        let length = depot.slotLength
        if slot < horizonEnd(depots[name]!) { return Why.Expedite(slotStart: slot * length, displaced: 0) }
        var trial = self
        trial.project(name, through: Int.max)
        let before = trial.depots
        trial.truncateProjection(name, fromRank: 0)
        trial.depots[name]!.queue.remove(oldKey)
        trial.depots[name]!.pins[i] = slot
        trial.depots[name]!.queue.insert(
            QueueKey(tag: Self.expediteBase + Double(expedites.count + 1), index: i, units: oldKey.units, hasNotBefore: true))
        let displacement = trial.displacement(since: before, isNew: { $0 == i }, results: [])
        return Why.Expedite(slotStart: slot * length, displaced: displacement.count)
    }
}
