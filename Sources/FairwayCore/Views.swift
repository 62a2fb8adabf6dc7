/// An order as queries answer it: the stored order plus where it stands.
public struct OrderView: Sendable, Equatable {
    public var order: Order
    /// The slot (committed, or projected while queued), start in seconds.
    public var slotStart: Int64?
    /// End of that slot in seconds.
    public var slotEnd: Int64?
    /// Whether the slot is a promise.
    public var promised: Bool
    /// 0-based place among the depot's queued orders; nil when not queued.
    public var position: Int?
    /// Whether the slot ends after the order's deadline.
    public var atRisk: Bool
    /// Committed, its promised slot has ended and no outcome is recorded.
    public var overdue: Bool = false
}

/// One slot of a depot as `schedule` shows it.
public struct SlotView: Sendable, Equatable {
    public var depot: String
    public var start: Int64
    public var end: Int64
    public var capacity: Int
    public var used: Int
    /// Inside the commit horizon or earlier.
    public var committed: Bool
    /// Committed orders first, then projected ones in service order.
    public var orderIDs: [String]
}

/// A customer as `customer` shows it.
public struct CustomerView: Sendable, Equatable {
    public var customerID: String
    public var tier: String
    public var weight: Int
    public var queued: Int
    public var committed: Int
    public var delivered: Int
    public var complaints: Int
    public var failed = 0
    public var cancelled = 0
    /// Committed orders whose promised slot has ended with no outcome.
    public var overdue = 0
    /// The customer's most recently cleared orders (when asked for).
    public var orders: [OrderView] = []
}

/// A depot as `status` shows it.
public struct DepotStatus: Sendable, Equatable {
    public var name: String
    public var capacityPerSlot: Int
    public var slotLength: Int64
    public var queuedUnits: Int
    public var virtualTime: Double
    /// The horizon's slots plus two more: (start, used, capacity).
    public var nextSlots: [(start: Int64, used: Int, capacity: Int)]
    /// Capacity changes whose last slot has not ended yet, in time order.
    public var capacityChanges: [CapacityChangeView] = []

    public static func == (a: DepotStatus, b: DepotStatus) -> Bool {
        a.name == b.name && a.capacityPerSlot == b.capacityPerSlot && a.slotLength == b.slotLength
            && a.queuedUnits == b.queuedUnits && a.virtualTime == b.virtualTime
            && a.nextSlots.elementsEqual(b.nextSlots) { $0 == $1 } && a.capacityChanges == b.capacityChanges
    }
}

/// Counts for `status`.
public struct StatusView: Sendable, Equatable {
    public var queued: Int
    public var committed: Int
    public var delivered: Int
    public var failed: Int
    public var cancelled: Int
    /// Committed orders whose promised slot has ended.
    public var overdue: Int
    public var customers: Int
    public var depots: [DepotStatus]
}

/// The answer to one order of a submit.
public struct SubmitResult: Sendable, Equatable {
    public var orderID: String
    public var state: OrderState
    public var slotStart: Int64?
    public var slotEnd: Int64?
    public var duplicate: Bool
    /// Open with a deadline that its slot ends after.
    public var atRisk = false
}
