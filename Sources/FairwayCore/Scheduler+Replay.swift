// What a replay of a scenario needs beyond what the daemon uses: re-keying
// under a policy that complaints reorder, and a cheap look at where an order is.

extension Scheduler {
    /// Re-keys a customer's queued orders after the customer complained,
    /// under a policy whose service order depends on complaints
    /// (`ServicePolicy.complaintsReorder`); does nothing under the others.
    /// The daemon never needs it: its policy is `fair`, where a complaint
    /// changes nothing. `seqs` are the customer's orders (the caller keeps
    /// that list; orders no longer queued are skipped).
    public mutating func reprioritise(customerOrders seqs: some Sequence<Int64>) {
        guard policy.complaintsReorder else { return }
        var touched: Set<String> = []
        for seq in seqs {
            let i = Int(seq - 1)
            // An expedited order keeps its expedite key (the head of the queue).
            guard i >= 0, i < orders.count, orders[i].state == .queued, !orders[i].expedited else { continue }
            let index = Int32(i)
            let record = orders[i]
            let tag = policy.key(
                weight: record.weight, clearedAtMs: record.clearedAtMs,
                customerComplaints: customers[Int(record.customer)].complaints)
            guard tag != record.tag else { continue }
            let name = orders.depotName(index)
            depots[name]!.queue.remove(QueueKey(record, index: index))
            orders[i].tag = tag
            depots[name]!.queue.insert(QueueKey(orders[i], index: index))
            changes.updatedOrders.insert(index)
            touched.insert(name)
        }
        guard !touched.isEmpty else { return }
        publishedViewChanged()
        for name in touched.sorted() { invalidateProjection(name) }
    }
}

extension Scheduler {
    /// The capacity of a depot's slot (by slot index), stored changes
    /// included; nil for an unknown depot.
    public func capacity(depot name: String, slot: Int64) -> Int? {
        depots[name]?.capacity(ofSlot: slot)
    }
}

extension OrderTable {
    /// The state and committed slot start (seconds) of the order at index `i`,
    /// without making the whole order: for a replay that follows every commit.
    public func placement(at i: Int32) -> (state: OrderState, slotStart: Int64?) {
        let r = records[Int(i)]
        return (r.state, r.slotStart)
    }
}
