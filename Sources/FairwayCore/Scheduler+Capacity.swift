/// A promise a capacity change moved.
public struct MovedPromise: Sendable, Equatable {
    public var orderID: String
    /// Start (seconds) of the slot it left, and of the one it got.
    public var fromSlot: Int64
    public var toSlot: Int64
}

/// One slot of a capacity change's range after it: its capacity and the
/// units committed to it.
public struct SlotFill: Sendable, Equatable {
    public var start: Int64
    public var capacity: Int
    public var used: Int
}

/// What `setCapacity` answers.
public struct CapacityAnswer: Sendable, Equatable {
    /// The promises it moved, in service order.
    public var moved: [MovedPromise]
    /// The slots of the range, in time order.
    public var slots: [SlotFill]
    /// Whether the change was already in force (nothing was stored or moved).
    public var repeated: Bool
}

/// A capacity change in force, as `status` shows it.
public struct CapacityChangeView: Sendable, Equatable {
    public var start: Int64
    public var end: Int64
    public var capacity: Int
    public var reason: String
}

extension Scheduler {
    /// Most slots one capacity change may cover.
    public static let maxCapacitySlots: Int64 = 10_000
    /// Largest capacity a change may set.
    public static let maxCapacity = 100_000_000

    /// Sets the capacity of a depot's slots whose start is in `[from, to)`
    /// (nil: back to the config's value). Raising it moves no promise and
    /// lets queued orders take the room in service order. Lowering it below
    /// a slot's committed units moves the fewest committed orders needed
    /// (`promisesToMove`), each to the earliest slot from the first bookable
    /// one whose committed units leave room for it (ahead of every queued
    /// order; an expedited one only to a slot with expedite budget left);
    /// no other committed order moves. No promise moves for the budget's
    /// sake: a slot whose committed expedited units a lowered capacity left
    /// above its budget takes no new expedited order. A change that gives every
    /// slot of the range the capacity and reason it already has is a
    /// repeat: nothing is stored and nothing moves.
    public mutating func setCapacity(
        depot name: String, from: Timestamp, to: Timestamp, capacity: Int?, reason: String?, now: Timestamp, actor: String
    ) throws(FairwayError) -> CapacityAnswer {
        guard depots[name] != nil else {
            throw .notFound("no depot named '\(name)' (known: \(config.depots.map(\.name).joined(separator: ", ")))")
        }
        if let capacity, capacity < 0 || capacity > Self.maxCapacity {
            throw .invalid("capacity: \(capacity) is out of range 0..\(Self.maxCapacity)")
        }
        if let reason, reason.isEmpty || reason.count > Self.maxTextLength {
            throw .invalid("reason: must be 1..\(Self.maxTextLength) characters")
        }
        if capacity != nil && reason == nil { throw .invalid("reason: missing (required when capacity is given)") }
        guard from < to else { throw .invalid("from: \(from) is not before to (\(to))") }
        let length = depots[name]!.slotLength
        let first = DepotState.firstSlot(notBefore: from, slotLength: length)
        let end = DepotState.firstSlot(notBefore: to, slotLength: length)
        guard end > first else { throw .invalid("from, to: no slot of depot '\(name)' starts in [\(from), \(to))") }
        guard end - first <= Self.maxCapacitySlots else {
            throw .invalid("from, to: \(end - first) slots; one change covers at most \(Self.maxCapacitySlots)")
        }
        roll(now)
        var ranges = depots[name]!.ranges
        ranges.set(from: first, to: end, capacity: capacity, reason: reason ?? "")
        if ranges.sameOver(from: first, to: end, as: depots[name]!.ranges) {
            return CapacityAnswer(moved: [], slots: fills(name, first..<end), repeated: true)
        }
        let plan = try planMoves(name, first..<end, ranges: ranges)
        // Nothing is changed before this point: the plan may still fail.
        publishedViewChanged()
        depots[name]!.ranges = ranges
        changes.capacityChanges.append(
            CapacityChange(depot: name, from: from, to: to, capacity: capacity, reason: reason, at: now, actor: actor))
        let what = capacity.map { "set to \($0)" } ?? "restored to the config's \(depots[name]!.capacity)"
        changes.events.append(Event(
            kind: .capacity, at: now, actor: actor, depot: name, slotStart: first * length,
            message: "capacity of depot \(name) \(what) for the slots from \(Timestamp(seconds: first * length)) "
                + "to \(Timestamp(seconds: end * length))" + (reason.map { ": \($0)" } ?? "")
                + (plan.isEmpty ? "" : "; \(plan.count) promises moved")))
        var moved: [MovedPromise] = []
        for (i, target) in plan {
            let fromStart = orders[Int(i)].slotStart!
            rebook(i, to: target, depot: name)
            let orderID = orders.orderID(i)
            moved.append(MovedPromise(orderID: orderID, fromSlot: fromStart, toSlot: target * length))
            changes.events.append(Event(
                kind: .promiseMoved, at: now, actor: actor, orderID: orderID, customerID: orders.customerID(i),
                depot: name, slotStart: target * length,
                message: "promise of order \(orderID) moved from the slot starting \(Timestamp(seconds: fromStart)) "
                    + "to the one starting \(Timestamp(seconds: target * length)): capacity "
                    + (capacity.map { "lowered to \($0)" } ?? "restored") + (reason.map { " (\($0))" } ?? ""),
                fromSlot: fromStart))
        }
        invalidateProjection(name)
        fillHorizon(name, candidates: nil, now: now, actor: actor)
        return CapacityAnswer(moved: moved, slots: fills(name, first..<end), repeated: false)
    }

    /// Replays a stored capacity change on start (no promise moves: the
    /// stored orders already hold the slots it gave them).
    mutating func replay(_ change: CapacityChange) {
        guard let d = depots[change.depot] else { return }
        let first = DepotState.firstSlot(notBefore: change.from, slotLength: d.slotLength)
        let end = DepotState.firstSlot(notBefore: change.to, slotLength: d.slotLength)
        guard end > first else { return }
        depots[change.depot]!.ranges.set(from: first, to: end, capacity: change.capacity, reason: change.reason ?? "")
    }

    /// Capacity and committed units of each slot in `slots`.
    private func fills(_ name: String, _ slots: Range<Int64>) -> [SlotFill] {
        let d = depots[name]!
        return slots.map { s in
            SlotFill(start: s * d.slotLength, capacity: d.capacity(ofSlot: s), used: d.book[s]?.used ?? 0)
        }
    }

    /// Moves a committed order's promise to slot `target`, counting the move.
    private mutating func rebook(_ i: Int32, to target: Int64, depot name: String) {
        orders.keepFirstPromise(i)
        let start = orders[Int(i)].slotStart!
        let slot = depots[name]!.slotIndex(ofSeconds: start)
        let units = Int(orders[Int(i)].units)
        depots[name]!.book[slot]!.used -= units
        depots[name]!.book[slot]!.orders.removeAll { $0 == i }
        if depots[name]!.book[slot]!.orders.isEmpty { depots[name]!.book[slot] = nil }
        let length = depots[name]!.slotLength
        orders[Int(i)].slotStart = target * length
        orders.setSlotLength(i, length)
        depots[name]!.book[target, default: SlotBook()].used += units
        depots[name]!.book[target, default: SlotBook()].orders.append(i)
        depots[name]!.maxBooked = max(depots[name]!.maxBooked, target)
        orders.updateExtra(i) { $0.promiseMoves += 1 }
        changes.updatedOrders.insert(i)
    }

    /// The committed orders a depot must move under `ranges` in `slots`,
    /// each with its new slot, in service order. Reads only.
    private func planMoves(_ name: String, _ slots: Range<Int64>, ranges: CapacityRanges) throws(FairwayError) -> [(Int32, Int64)] {
        let d = depots[name]!
        var leaving: [QueueKey] = []
        var freed: [Int64: Int] = [:]
        for s in slots {
            guard let book = d.book[s] else { continue }
            let cap = ranges.capacity(ofSlot: s, default: d.capacity)
            guard book.used > cap else { continue }
            let open = book.orders.filter { orders[Int($0)].state == .committed }
                .map { QueueKey(orders[Int($0)], index: $0) }.sorted()
            let chosen = Self.promisesToMove(units: open.map { Int($0.units) }, excess: book.used - cap)
            for c in chosen {
                leaving.append(open[c])
                freed[s, default: 0] += Int(open[c].units)
            }
        }
        guard !leaving.isEmpty else { return [] }
        leaving.sort()
        // Beyond `last` every slot is empty and has the config's capacity.
        let last = max(d.maxBooked, ranges.end, d.bookable)
        // An expedited order moves only to a slot with expedite budget left.
        var expedited = committedExpeditedUnits(d, from: d.bookable)
        for key in leaving where orders[Int(key.index)].expedited {
            expedited[slotIndex(of: key.index, in: d), default: 0] -= Int(key.units)
        }
        var taken: [Int64: Int] = [:]
        var plan: [(Int32, Int64)] = []
        for key in leaving {
            let units = Int(key.units)
            let binds = orders[Int(key.index)].expedited && budgetBinds(units: units, usualCapacity: d.capacity)
            var s = d.bookable
            if let nb = orders[Int(key.index)].notBefore { s = max(s, d.firstSlot(notBefore: nb)) }
            while true {
                let used = (d.book[s]?.used ?? 0) - freed[s, default: 0] + taken[s, default: 0]
                let capacity = ranges.capacity(ofSlot: s, default: d.capacity)
                if capacity - used >= units && (!binds || expedited[s, default: 0] + units <= expediteBudget(capacity: capacity)) {
                    break
                }
                if s > last && taken[s] == nil {
                    throw .invalid("capacity: order \(orders.orderID(key.index)) (\(units) units) would fit in no slot of depot '\(name)' (its slots hold \(d.capacity))")
                }
                s += 1
            }
            taken[s, default: 0] += units
            if binds { expedited[s, default: 0] += units }
            plan.append((key.index, s))
        }
        return plan
    }

    /// The slot index a committed order holds.
    private func slotIndex(of i: Int32, in d: DepotState) -> Int64 { d.slotIndex(ofSeconds: orders[Int(i)].slotStart!) }

    /// Which orders of an overfull slot to move, as indexes into `units`
    /// (the slot's committed orders in service order): the fewest whose
    /// units add up to at least `excess`, and among those sets of that size
    /// the one latest in service order (the set whose last member is served
    /// last; on a tie, the next-to-last, and so on). All of them when even
    /// all are not enough (units of delivered orders stay).
    static func promisesToMove(units: [Int], excess: Int) -> [Int] {
        guard excess > 0, !units.isEmpty else { return [] }
        let largestFirst = units.sorted(by: >)
        var k = 0
        var sum = 0
        while k < largestFirst.count && sum < excess {
            sum += largestFirst[k]
            k += 1
        }
        if sum < excess || k == units.count { return Array(units.indices) }
        // Greedy from the last in service order: take an order whenever the
        // largest orders served before it can still complete a set of k.
        var before = units.sorted(by: >)  // units of the orders not yet decided
        var chosen: [Int] = []
        var chosenSum = 0
        for j in units.indices.reversed() where chosen.count < k {
            let at = Self.indexInDescending(before, units[j])
            before.remove(at: at)
            let need = k - chosen.count - 1
            guard need <= before.count else { continue }
            let best = before.prefix(need).reduce(0, +)
            if chosenSum + units[j] + best >= excess {
                chosen.append(j)
                chosenSum += units[j]
            }
        }
        return chosen.reversed()
    }

    /// The index of one element equal to `value` in an array sorted in descending order.
    private static func indexInDescending(_ a: [Int], _ value: Int) -> Int {
        var lo = 0
        var hi = a.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if a[mid] > value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// A depot's capacity changes whose last slot has not ended by `now`.
    func capacityChanges(_ d: DepotState, now: Timestamp) -> [CapacityChangeView] {
        d.ranges.ranges.filter { $0.to * d.slotLength > now.seconds }.map {
            CapacityChangeView(start: $0.from * d.slotLength, end: $0.to * d.slotLength, capacity: $0.capacity, reason: $0.reason)
        }
    }
}
