/// What the scheduler keeps per customer, indexed by the customer's id in
/// `OrderTable.customerNames`.
struct CustomerRecord: Sendable {
    /// The customer's current tier: an id in `OrderTable.tierNames`.
    var tier: UInt16
    var queued: Int32 = 0
    var committed: Int32 = 0
    var delivered: Int32 = 0
    var complaints: Int32 = 0
    var orders: Int32 = 0
    /// The finish tag of the customer's last order in one depot (most
    /// customers order from one depot) ...
    private var firstDepot = UInt16.max
    private var firstFinish = -Double.infinity
    /// ... and in the others, if any.
    private var otherFinishes: [(depot: UInt16, tag: Double)] = []

    init(tier: UInt16) { self.tier = tier }

    /// The finish tag of the customer's last order in a depot (by depot id),
    /// or -infinity.
    func lastFinish(in depot: UInt16) -> Double {
        if depot == firstDepot { return firstFinish }
        return otherFinishes.first { $0.depot == depot }?.tag ?? -.infinity
    }

    /// Records a finish tag in a depot; the last finish only grows.
    mutating func setLastFinish(_ tag: Double, in depot: UInt16) {
        if firstDepot == .max || depot == firstDepot {
            firstDepot = depot
            firstFinish = max(firstFinish, tag)
        } else if let i = otherFinishes.firstIndex(where: { $0.depot == depot }) {
            otherFinishes[i].tag = max(otherFinishes[i].tag, tag)
        } else {
            otherFinishes.append((depot, tag))
        }
    }
}
