import FairwayCore

/// The order streams `fairway-bench` loads into the daemon and the planning
/// tests submit to the scheduler: who orders, how many units, in which tier
/// and depot, and from when. Seeded: the same kind, seed and sizes give the
/// same stream on every machine.
///
/// Tiers are a function of the customer (5% platinum, 15% gold, 60%
/// standard, 20% basic), so a customer's tier never flips.
public enum LoadWorkload: String, CaseIterable, Sendable {
    /// Each order's size drawn at random (1-3 units); customers uniform.
    case randomSize = "random-size"
    /// Each customer always orders the same size (1, 2 or 3 units by
    /// customer), and the whole clump cleared at one moment.
    case sameSize = "same-size"
    /// As `same-size`, but 20 very large customers place half of the orders.
    case bigCustomers = "big-customers"
    /// As `same-size`, and a third of the orders may not go out before a
    /// slot up to two days ahead (`not_before`).
    case notBefore = "not-before"
    /// As `same-size`, with every customer served by its own one of the depots.
    case depots

    /// One order of the stream.
    public struct Order: Sendable, Equatable {
        /// The customer, 1-based.
        public var customer: Int
        public var units: Int
        public var tier: String
        /// Index into the depots the generator was made with.
        public var depot: Int
        /// The order may not go out before the slot this many slots after the
        /// stream's start; nil: no `not_before`.
        public var notBeforeSlots: Int?
        /// Minutes before the stream's start it was cleared (0 for the
        /// workloads cleared at one moment).
        public var clearedMinutesAgo: Int
    }

    /// Whether the stream uses every depot it is given (else only the first).
    public var spreadsOverDepots: Bool { self == .randomSize || self == .depots }

    /// Makes the stream of one workload.
    public struct Generator: Sendable {
        public let workload: LoadWorkload
        public let customers: Int
        public let depots: Int
        private var rng: SeededRandom

        private static let tiers = ["platinum", "gold", "gold", "gold"] + Array(repeating: "standard", count: 12)
            + Array(repeating: "basic", count: 4)
        /// Customers 1...20 are the very large ones of `big-customers`.
        static let bigCustomers = 20

        /// `depots` is how many depots the orders may go to (the first only,
        /// unless the workload spreads over depots).
        public init(_ workload: LoadWorkload, depots: Int, customers: Int = 100_000, seed: UInt64) {
            self.workload = workload
            self.customers = customers
            self.depots = max(depots, 1)
            rng = SeededRandom(seed: seed)
        }

        /// The tier of a customer (a function of its number).
        public static func tier(ofCustomer c: Int) -> String { tiers[(c &* 2_654_435_761) % tiers.count] }

        /// The next order.
        public mutating func next() -> Order {
            var customer = Int(rng.next() % UInt64(customers)) + 1
            if workload == .bigCustomers && rng.next() % 2 == 0 {
                customer = Int(rng.next() % UInt64(Self.bigCustomers)) + 1
            }
            let drawnUnits = 1 + Int(rng.next() % 3)
            let units = workload == .randomSize ? drawnUnits : 1 + ((customer &* 2_246_822_519) >> 13) % 3
            var depot = 0
            if workload == .randomSize {
                depot = Int(rng.next() % UInt64(depots))
            } else if workload == .depots {
                depot = (customer &* 7919) % depots
            }
            var notBefore: Int?
            if workload == .notBefore && rng.next() % 3 == 0 { notBefore = Int(rng.next() % 48) }
            let cleared = workload == .randomSize ? Int(rng.next() % 120) + 1 : 0
            return Order(
                customer: customer, units: units, tier: Self.tier(ofCustomer: customer), depot: depot,
                notBeforeSlots: notBefore, clearedMinutesAgo: cleared)
        }
    }
}
