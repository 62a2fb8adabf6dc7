extension Scheduler {
    /// Why an order is not earlier: where it stands, what is ahead of it,
    /// which slots are full, and the reasons (see `Why.reasons`), or `not_found`.
    public mutating func why(_ orderID: String) throws(FairwayError) -> Why {
        guard let index = orders.index(of: orderID) else { throw .notFound("no order with order_id '\(orderID)'") }
        let o = orders[Int(index)]
        let name = orders.depotName(index)
        let (state, slotStart, slotEnd) = slot(of: index)
        let d = depots[name]
        let length = d?.slotLength ?? orders.slotLength(index)
        let earliest = d?.bookable ?? 0
        let notBeforeSlot = o.notBefore.map { DepotState.firstSlot(notBefore: $0, slotLength: length) }
        var position: Int?
        var aheadOrders = 0
        var aheadUnits = 0
        var byTier: [UInt16: (orders: Int, units: Int)] = [:]
        var fullSlots = 0
        if let d, state.isOpen, let start = slotStart {
            let own = start / length
            let from = max(earliest, notBeforeSlot ?? earliest)
            if state == .queued {
                let rank = d.queue.rank(of: QueueKey(tag: o.tag, index: index))!
                position = rank
                aheadOrders = rank
                d.queue.forEachRun(from: 0, limit: rank) { run in
                    for key in run {
                        aheadUnits += Int(key.units)
                        byTier[orders[Int(key.index)].tier, default: (0, 0)].orders += 1
                        byTier[orders[Int(key.index)].tier, default: (0, 0)].units += Int(key.units)
                    }
                }
                // First fit placed it in the first slot with room from `from` on.
                fullSlots = Int(max(0, own - from))
            } else if own > from {
                fullSlots = (from..<own).lazy.filter { d.committedRoom($0) < Int(o.units) }.count
            }
        }
        var ahead: [Why.TierCount] = []
        var named = Set<String>()
        for t in config.tiers { named.insert(t.name) }
        let counted = byTier.map { (name: orders.tierNames[UInt32($0.key)], count: $0.value) }
        for t in config.tiers {
            for c in counted where c.name == t.name {
                ahead.append(Why.TierCount(tier: c.name, orders: c.count.orders, units: c.count.units))
            }
        }
        // Tiers a reload removed, after the configured ones.
        for c in counted.sorted(by: { $0.name < $1.name }) where !named.contains(c.name) {
            ahead.append(Why.TierCount(tier: c.name, orders: c.count.orders, units: c.count.units))
        }
        return Why(
            orderID: orderID, state: state, depot: name, tier: orders.tierNames[UInt32(o.tier)], units: Int(o.units),
            slotStart: slotStart, slotEnd: slotEnd, position: position, tag: o.tag, weight: Int(o.weight),
            virtualTime: d?.virtualTime ?? 0, earliestSlot: earliest * length,
            notBeforeSlot: notBeforeSlot.map { $0 * length }, aheadOrders: aheadOrders, aheadUnits: aheadUnits,
            aheadByTier: ahead, fullSlots: fullSlots, expedite: state == .queued ? expediteOutlook(index) : nil)
    }
}
