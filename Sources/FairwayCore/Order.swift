/// Where an order stands.
public enum OrderState: String, Sendable, Equatable, CaseIterable {
    /// Waiting, with a projected slot that follows the queue.
    case queued
    /// In a slot inside the commit horizon (or earlier): a promise.
    case committed
    /// Delivered, as recorded by an operator.
    case delivered
    /// Delivery failed, as recorded by an operator.
    case failed
    /// Cancelled; its slot, if any, was freed.
    case cancelled

    /// Whether `deliver` and `cancel` accept an order in this state.
    public var isOpen: Bool { self == .queued || self == .committed }
}

/// An order as a client submitted it, after decoding and before defaults.
/// Omitted optional fields are nil.
public struct OrderSubmission: Sendable, Equatable {
    public var orderID: String
    public var customerID: String
    public var units: Int?
    public var clearedAt: Timestamp?
    public var depot: String?
    public var tier: String?
    public var notBefore: Timestamp?
    public var deadline: Timestamp?
    public var notes: String?

    /// Creates a submission; only the two identities are required.
    public init(
        orderID: String, customerID: String, units: Int? = nil, clearedAt: Timestamp? = nil,
        depot: String? = nil, tier: String? = nil, notBefore: Timestamp? = nil,
        deadline: Timestamp? = nil, notes: String? = nil
    ) {
        self.orderID = orderID
        self.customerID = customerID
        self.units = units
        self.clearedAt = clearedAt
        self.depot = depot
        self.tier = tier
        self.notBefore = notBefore
        self.deadline = deadline
        self.notes = notes
    }
}

/// An accepted order as the scheduler holds it.
///
/// `seq` is the order's arrival number (1, 2, 3, ...), also its row id in the
/// store and its index + 1 in the scheduler's order table.
public struct Order: Sendable, Equatable {
    public var seq: Int64
    public var orderID: String
    public var customerID: String
    public var units: Int32
    public var depot: String
    /// The customer's tier when the order was received.
    public var tier: String
    /// The tier's weight when the order was received.
    public var weight: Int32
    public var clearedAt: Timestamp
    public var receivedAt: Timestamp
    public var notBefore: Timestamp?
    public var deadline: Timestamp?
    public var notes: String?
    /// Finish tag in the depot's weighted fair queue; fixed at receipt.
    public var tag: Double
    public var state: OrderState
    /// Start of the slot the order is committed to (or was, if delivered or
    /// failed), in seconds since the epoch; nil while queued.
    public var slotStart: Int64?
    /// Length of that slot in seconds.
    public var slotLength: Int64
    /// Complaints recorded against the order.
    public var complaints: Int32
    /// When the order reached a final state (delivered, failed, cancelled).
    public var closedAt: Timestamp?
    /// Who submitted it (a uid or user name), for the order's history.
    public var submittedBy: String
    /// Start of the slot it was first committed to (seconds); nil until
    /// then. Left out when an order is made, it is the order's `slotStart`.
    public var firstPromise: Int64?
    /// How often a capacity change moved its promise.
    public var promiseMoves: Int32
    /// Whether an expedite moved it to the head of its queue.
    public var expedited: Bool
    /// How often an expedite pushed its projected slot later.
    public var displaced: Int32
    /// The reason of its failure, when it `failed`.
    public var failReason: String?
    /// Failed attempts that were retried, oldest first.
    public var attempts: [Attempt]

    /// When it was delivered (its `closedAt`, which is the `at` of `deliver`).
    public var deliveredAt: Timestamp? { state == .delivered ? closedAt : nil }

    /// How it ended against its first promise; nil while open.
    public var outcome: Outcome? {
        Outcome.of(state: state, deliveredAt: deliveredAt, firstPromiseEnd: firstPromise.map { $0 + slotLength })
    }

    /// Creates an order record.
    public init(
        seq: Int64, orderID: String, customerID: String, units: Int32, depot: String, tier: String,
        weight: Int32, clearedAt: Timestamp, receivedAt: Timestamp, notBefore: Timestamp?,
        deadline: Timestamp?, notes: String?, tag: Double, state: OrderState, slotStart: Int64?,
        slotLength: Int64, complaints: Int32, closedAt: Timestamp?, submittedBy: String, firstPromise: Int64? = nil,
        promiseMoves: Int32 = 0, expedited: Bool = false, displaced: Int32 = 0, failReason: String? = nil,
        attempts: [Attempt] = []
    ) {
        self.seq = seq
        self.orderID = orderID
        self.customerID = customerID
        self.units = units
        self.depot = depot
        self.tier = tier
        self.weight = weight
        self.clearedAt = clearedAt
        self.receivedAt = receivedAt
        self.notBefore = notBefore
        self.deadline = deadline
        self.notes = notes
        self.tag = tag
        self.state = state
        self.slotStart = slotStart
        self.slotLength = slotLength
        self.complaints = complaints
        self.closedAt = closedAt
        self.submittedBy = submittedBy
        self.firstPromise = firstPromise ?? slotStart
        self.promiseMoves = promiseMoves
        self.expedited = expedited
        self.displaced = displaced
        self.failReason = failReason
        self.attempts = attempts
    }
}
