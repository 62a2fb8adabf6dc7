/// Why an order is not earlier: the facts the scheduler gathers about one
/// order (`Scheduler.why`) and the pure decision of which reasons apply and
/// how to say them to a person.
public struct Why: Sendable, Equatable {
    /// A reason an order is not earlier, most important first in `Code`'s order.
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        /// Delivered, failed or cancelled: nothing moves any more.
        case closed
        /// Committed: its slot is a promise and will not move.
        case promised
        /// The customer asked for no earlier than its slot.
        case notBefore = "not_before"
        /// Its slot is the earliest bookable one.
        case lead
        /// The slots from the earliest bookable one up to its own have no room for it.
        case capacity
        /// Orders with smaller finish tags are ahead of it in the service order.
        case fairShare = "fair_share"
    }

    /// Orders and units of one tier ahead of the order.
    public struct TierCount: Sendable, Equatable {
        public var tier: String
        public var orders: Int
        public var units: Int
        public init(tier: String, orders: Int, units: Int) {
            self.tier = tier
            self.orders = orders
            self.units = units
        }
    }

    /// What an expedite would give a queued order now.
    public struct Expedite: Sendable, Equatable {
        /// Start of the slot it would get (seconds).
        public var slotStart: Int64
        /// How many queued orders would move later.
        public var displaced: Int
        public init(slotStart: Int64, displaced: Int) {
            self.slotStart = slotStart
            self.displaced = displaced
        }
    }

    public var orderID: String
    public var state: OrderState
    public var depot: String
    public var tier: String
    public var units: Int
    /// Its slot (promised, projected or past), seconds; nil when it has none.
    public var slotStart: Int64?
    public var slotEnd: Int64?
    /// 0-based place among the depot's queued orders; nil when not queued.
    public var position: Int?
    public var tag: Double
    public var weight: Int
    public var virtualTime: Double
    /// Start of the first bookable slot now (seconds).
    public var earliestSlot: Int64
    /// Start of the first slot its `not_before` allows (seconds), when it has one.
    public var notBeforeSlot: Int64?
    /// Queued orders before it in its depot's service order, and their units.
    public var aheadOrders: Int
    public var aheadUnits: Int
    /// The same by tier, in config order, tiers with none left out.
    public var aheadByTier: [TierCount]
    /// Slots from `earliestSlot` up to its own that have no room for it.
    public var fullSlots: Int
    /// What an expedite would give it, when it would bring it earlier.
    public var expedite: Expedite?

    public init(
        orderID: String, state: OrderState, depot: String, tier: String, units: Int, slotStart: Int64?,
        slotEnd: Int64?, position: Int?, tag: Double, weight: Int, virtualTime: Double, earliestSlot: Int64,
        notBeforeSlot: Int64?, aheadOrders: Int, aheadUnits: Int, aheadByTier: [TierCount], fullSlots: Int,
        expedite: Expedite?
    ) {
        self.orderID = orderID
        self.state = state
        self.depot = depot
        self.tier = tier
        self.units = units
        self.slotStart = slotStart
        self.slotEnd = slotEnd
        self.position = position
        self.tag = tag
        self.weight = weight
        self.virtualTime = virtualTime
        self.earliestSlot = earliestSlot
        self.notBeforeSlot = notBeforeSlot
        self.aheadOrders = aheadOrders
        self.aheadUnits = aheadUnits
        self.aheadByTier = aheadByTier
        self.fullSlots = fullSlots
        self.expedite = expedite
    }

    /// The reasons that apply, most important first (the order of `Reason`).
    ///
    /// - `closed` for a delivered, failed or cancelled order, and nothing else.
    /// - `promised` for a committed order.
    /// - `not_before` when its slot is the first one its `not_before` allows
    ///   and that is later than the earliest bookable slot.
    /// - `lead` when its slot is the earliest bookable one (or earlier: a
    ///   promise whose slot has started or passed).
    /// - `capacity` when slots from the earliest bookable one up to its own
    ///   have no room for it.
    /// - `fair_share` when queued orders are ahead of it and it is not in the
    ///   earliest bookable slot (they took the room before it).
    public var reasons: [Reason] {
        if !state.isOpen { return [.closed] }
        var r: [Reason] = []
        if state == .committed { r.append(.promised) }
        guard let start = slotStart else { return r }
        if let nb = notBeforeSlot, nb > earliestSlot, start == nb { r.append(.notBefore) }
        if start <= earliestSlot { r.append(.lead) }
        if fullSlots > 0 { r.append(.capacity) }
        if aheadOrders > 0 && start > earliestSlot && !r.contains(.notBefore) { r.append(.fairShare) }
        return r
    }

    /// One or two plain sentences with the numbers, for a person on the phone.
    public var text: String {
        let slot = slotStart.map { Self.describeSlot($0, slotEnd ?? $0) } ?? "no slot"
        switch state {
        case .delivered: return "\(orderID) was delivered (its slot was \(slot)); nothing about it can move any more."
        case .failed: return "\(orderID) failed delivery (its slot was \(slot)); nothing about it can move any more."
        case .cancelled: return "\(orderID) was cancelled; it has no slot."
        case .queued, .committed: break
        }
        var parts: [String] = []
        let reasons = self.reasons
        if state == .committed {
            parts.append("\(orderID) is promised for \(slot) at depot \(depot): that promise will not move.")
        } else {
            parts.append("\(orderID) is planned for \(slot) at depot \(depot), \(Self.ordinal(position ?? 0)) in line.")
        }
        if reasons.contains(.notBefore) {
            parts.append("The customer asked for delivery no earlier than that slot.")
        }
        if reasons.contains(.lead) {
            parts.append("That is the earliest slot the depot can still book.")
        }
        if reasons.contains(.capacity) {
            let slots = fullSlots == 1 ? "The 1 slot" : "The \(fullSlots) slots"
            parts.append("\(slots) before it from \(Self.describeTime(earliestSlot)) \(fullSlots == 1 ? "has" : "have") no room left for its \(units) unit\(units == 1 ? "" : "s").")
        }
        if reasons.contains(.fairShare) {
            let byTier = aheadByTier.map { "\($0.orders) \($0.tier)" }.joined(separator: ", ")
            parts.append(
                "\(aheadOrders) order\(aheadOrders == 1 ? "" : "s") (\(aheadUnits) units) come\(aheadOrders == 1 ? "s" : "") first"
                    + (byTier.isEmpty ? "" : " (\(byTier))")
                    + ": customers of higher value, or orders that arrived earlier; this \(tier) customer has weight \(weight).")
        }
        if state == .queued {
            if let e = expedite {
                parts.append(
                    "An expedite would bring it to \(Self.describeTime(e.slotStart)) and move \(e.displaced) other order\(e.displaced == 1 ? "" : "s") later.")
            }
        }
        return parts.joined(separator: " ")
    }

    /// "Tue 24 Nov 09:00-10:00 UTC" style, for a slot.
    static func describeSlot(_ start: Int64, _ end: Int64) -> String {
        let s = Timestamp(seconds: start).rfc3339
        let e = Timestamp(seconds: end).rfc3339
        let sameDay = s.prefix(10) == e.prefix(10)
        return "\(s.prefix(10)) \(s.dropFirst(11).prefix(5))-\(sameDay ? String(e.dropFirst(11).prefix(5)) : e.prefix(10) + " " + e.dropFirst(11).prefix(5)) UTC"
    }

    static func describeTime(_ t: Int64) -> String {
        let s = Timestamp(seconds: t).rfc3339
        return "\(s.prefix(10)) \(s.dropFirst(11).prefix(5)) UTC"
    }

    static func ordinal(_ position: Int) -> String {
        let n = position + 1
        let suffix: String
        switch (n % 10, n % 100) {
        case (1, let h) where h != 11: suffix = "st"
        case (2, let h) where h != 12: suffix = "nd"
        case (3, let h) where h != 13: suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }
}
