/// What kind of state change an event records.
public enum EventKind: String, Sendable, Equatable {
    case ingested, committed, complaint, delivered, failed, cancelled, reload, started, stopping
    /// A failed attempt after which the order went back in line.
    case retried
    /// A capacity change moved a committed order to another slot.
    case promiseMoved = "promise_moved"
    /// A depot's capacity was changed for a range of slots.
    case capacity
    /// An operator moved a queued order to the head of its queue.
    case expedited
}

/// One state change, with who made it and when: what the journal and the
/// store's history record.
public struct Event: Sendable, Equatable {
    public var kind: EventKind
    public var at: Timestamp
    public var actor: String
    public var orderID: String?
    public var customerID: String?
    public var depot: String?
    /// Start of the slot concerned, in seconds since the epoch.
    public var slotStart: Int64?
    /// A sentence for a person.
    public var message: String
    /// The slot a moved promise left (start in seconds), for `promise_moved`.
    public var fromSlot: Int64?
    /// For `ingested`: the order's units; in a `watch` event, the units of
    /// the submit's orders for that depot.
    public var units: Int?
    /// For `ingested` in a `watch` event: how many orders the submit brought that depot.
    public var count: Int?

    public init(
        kind: EventKind, at: Timestamp, actor: String, orderID: String? = nil, customerID: String? = nil,
        depot: String? = nil, slotStart: Int64? = nil, message: String, fromSlot: Int64? = nil, units: Int? = nil,
        count: Int? = nil
    ) {
        self.kind = kind
        self.at = at
        self.actor = actor
        self.orderID = orderID
        self.customerID = customerID
        self.depot = depot
        self.slotStart = slotStart
        self.message = message
        self.fromSlot = fromSlot
        self.units = units
        self.count = count
    }
}

/// A complaint about an order.
public struct Complaint: Sendable, Equatable {
    /// The order's arrival number.
    public var orderSeq: Int64
    public var at: Timestamp
    public var channel: String?
    public var note: String?
    public var actor: String

    public init(orderSeq: Int64, at: Timestamp, channel: String?, note: String?, actor: String) {
        self.orderSeq = orderSeq
        self.at = at
        self.channel = channel
        self.note = note
        self.actor = actor
    }
}

/// Everything the scheduler changed since the last drain, for the store to
/// write in one transaction and the log to report.
public struct ChangeSet: Sendable {
    /// Indexes (seq - 1) of orders accepted, in arrival order.
    public var newOrders: [Int32] = []
    /// Indexes of existing orders whose state, slot or complaint count changed.
    public var updatedOrders: Set<Int32> = []
    /// Complaints recorded.
    public var complaints: [Complaint] = []
    /// Failed attempts recorded by `fail` with `retry`, by order arrival number.
    public var attempts: [(orderSeq: Int64, attempt: Attempt)] = []
    /// Capacity changes made, in order.
    public var capacityChanges: [CapacityChange] = []
    /// Expedites made, in order (the ledger's new entries).
    public var expedites: [ExpediteRecord] = []
    /// Customers whose stored tier is new or changed.
    public var customers: Set<String> = []
    /// Depots whose virtual time moved.
    public var depots: Set<String> = []
    /// The events, in order.
    public var events: [Event] = []
    /// The stretches of `events` that hold the acceptances of one submit
    /// each, in order: `watch` reports each as one event per depot.
    public var acceptances: [Range<Int>] = []

    public init() {}

    /// Whether there is nothing to write.
    public var isEmpty: Bool {
        newOrders.isEmpty && updatedOrders.isEmpty && complaints.isEmpty && customers.isEmpty && depots.isEmpty
            && events.isEmpty && attempts.isEmpty && capacityChanges.isEmpty && expedites.isEmpty
    }
}
