/// Orders committed to one slot.
struct SlotBook: Sendable {
    /// Units of committed, delivered and failed orders in the slot.
    var used = 0
    /// Their indexes, in commit order.
    var orders: [Int32] = []
}

/// One depot's scheduling state: its slots, its fair queue, its clock.
struct DepotState: Sendable {
    var name: String
    var slotLength: Int64
    /// The config's capacity per slot ...
    var capacity: Int
    /// ... and the stored changes that override it for some slots.
    var ranges = CapacityRanges()
    /// The queue's virtual time: the finish tag of the last order served.
    var virtualTime: Double = 0
    /// Index of the earliest bookable slot, as of the last tick.
    var bookable: Int64 = .min
    /// Queued orders in service order.
    var queue = FairQueue()
    /// Units of queued orders.
    var queuedUnits = 0
    /// Committed slots by slot index.
    var book: [Int64: SlotBook] = [:]
    /// The highest slot index ever booked (an upper bound).
    var maxBooked: Int64 = .min
    /// Where queued orders are projected to land.
    var projection = Projection()
    /// The slot an expedite gave each queued expedited order, by order
    /// index: it is placed no earlier (so the slot's expedite budget holds).
    var pins: [Int32: Int64] = [:]

    init(name: String, slotLength: Int64, capacity: Int) {
        self.name = name
        self.slotLength = slotLength
        self.capacity = capacity
    }

    /// The slot index holding the instant `seconds`.
    func slotIndex(ofSeconds seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / slotLength : -((-seconds + slotLength - 1) / slotLength)
    }

    /// The first slot index whose start is at or after `t` (a delivery in it
    /// is never before `t`).
    func firstSlot(notBefore t: Timestamp) -> Int64 { Self.firstSlot(notBefore: t, slotLength: slotLength) }

    /// The first slot index, for slots of `slotLength` seconds, whose start is
    /// at or after `t`.
    static func firstSlot(notBefore t: Timestamp, slotLength: Int64) -> Int64 {
        let ms = t.milliseconds
        let lengthMs = slotLength * 1000
        let q = ms >= 0 ? (ms + lengthMs - 1) / lengthMs : -((-ms) / lengthMs)
        return q
    }

    /// The capacity of a slot: the config's value unless a stored change covers it.
    func capacity(ofSlot slot: Int64) -> Int { ranges.capacity(ofSlot: slot, default: capacity) }

    /// Room left in a slot for committed orders.
    func committedRoom(_ slot: Int64) -> Int {
        max(0, capacity(ofSlot: slot) - (book[slot]?.used ?? 0))
    }
}
