public import FairwayCore

/// One line of a scenario trace: something that happens at `at`.
///
/// Which fields apply depends on `kind` (see `TraceEvent.Kind`); the others
/// are nil. An omitted order field takes the default `submit` gives it.
public struct TraceEvent: Sendable, Equatable {
    /// What happens.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// Credit cleared an order at `at` (`order_id`, `customer_id`, and
        /// optionally `units`, `tier`, `depot`, `not_before`, `deadline`).
        case order
        /// The customer complained about an order (`order_id`).
        case complaint
        /// A depot's capacity for the slots starting in `[from, to)` is set
        /// to `capacity` (with a `reason`), or back to the config's value
        /// when `capacity` is empty.
        case capacity
        /// An operator expedited a queued order (`order_id`, `reason`).
        case expedite
    }

    public var at: Timestamp
    public var kind: Kind
    public var orderID: String?
    public var customerID: String?
    public var units: Int?
    public var tier: String?
    public var depot: String?
    public var notBefore: Timestamp?
    public var deadline: Timestamp?
    public var capacity: Int?
    public var from: Timestamp?
    public var to: Timestamp?
    public var reason: String?
    /// When Credit cleared the order, when that is earlier than `at` (the
    /// time the daemon received it): a column an exported trace adds.
    public var clearedAt: Timestamp?
    /// The 1-based line of the file it was read from; 0 when made in code.
    public var line: Int

    /// An event; give the fields its kind takes.
    public init(
        at: Timestamp, kind: Kind, orderID: String? = nil, customerID: String? = nil, units: Int? = nil,
        tier: String? = nil, depot: String? = nil, notBefore: Timestamp? = nil, deadline: Timestamp? = nil,
        capacity: Int? = nil, from: Timestamp? = nil, to: Timestamp? = nil, reason: String? = nil,
        clearedAt: Timestamp? = nil, line: Int = 0
    ) {
        self.at = at
        self.kind = kind
        self.orderID = orderID
        self.customerID = customerID
        self.units = units
        self.tier = tier
        self.depot = depot
        self.notBefore = notBefore
        self.deadline = deadline
        self.capacity = capacity
        self.from = from
        self.to = to
        self.reason = reason
        self.clearedAt = clearedAt
        self.line = line
    }

    /// The order as `submit` takes it (for an `order` event).
    var submission: OrderSubmission {
        OrderSubmission(
            orderID: orderID ?? "", customerID: customerID ?? "", units: units, clearedAt: clearedAt ?? at,
            depot: depot, tier: tier, notBefore: notBefore, deadline: deadline)
    }

    /// Where the event came from, for messages: `line 12` or `event 12`.
    var place: String { line > 0 ? "line \(line)" : "an event at \(at)" }
}

/// A scenario: events in time order.
public struct Trace: Sendable, Equatable {
    /// The events, in time order (ties in file order).
    public var events: [TraceEvent]

    /// A trace of these events (which must be in time order).
    public init(events: [TraceEvent]) { self.events = events }

    /// The columns of the trace format, in the order they are written.
    public static let columns = [
        "at", "event", "order_id", "customer_id", "units", "tier", "depot", "not_before", "deadline", "capacity",
        "from", "to", "reason",
    ]
    /// An extra column an exported trace may carry: when Credit cleared an
    /// order that the daemon received later (at `at`).
    public static let clearedAtColumn = "cleared_at"
}
