public import FairwayCore

/// Makes scenario traces that look like a distributor's: clumpy clearances,
/// a few customers ordering much more than most, tiers independent of who
/// complains, and vocal customers who call while they wait. Seeded: the same
/// options and config give the same trace on every machine.
public enum TraceGenerator {
    /// What to generate.
    public struct Options: Sendable, Equatable {
        /// The random seed.
        public var seed: UInt64 = 1
        /// Days of clearances.
        public var days: Int = 14
        /// Customers.
        public var customers: Int = 300
        /// Units cleared over the days, as a share of the capacity of every
        /// depot's slots in those days (0.9: nine tenths of what can go out).
        public var load: Double = 0.9
        /// Hours between two clearance clumps (the first at 06:00 UTC).
        public var clumpEveryHours: Int = 8
        /// The share of customers who complain while they wait.
        public var vocalShare: Double = 0.2
        /// The share of orders an operator expedites (default 0: none), each
        /// a quarter of a slot to two slots after its clearance. Drawn from
        /// a stream of its own: the orders and complaints are the same
        /// whatever the share.
        public var expediteShare: Double = 0
        /// The share of orders that come in clumps; the rest trickle in one by one.
        public var clumpShare: Double = 0.85
        /// Midnight UTC of the first day.
        public var start = Timestamp(seconds: 1_793_577_600)  // 2026-11-02, a Monday

        public init() {}
    }

    /// A customer as the generator draws it.
    struct Customer {
        var id: String
        var tier: String
        var depot: FairwayConfig.Depot
        var vocal: Bool
        /// Units it usually orders.
        var size: Int
        /// How long it waits before it calls, in seconds.
        var patience: Int64
    }

    /// A trace for `config`'s tiers and depots.
    public static func trace(_ options: Options, config: FairwayConfig) -> Trace {
        var rng = SeededRandom(seed: options.seed)
        var expediteRng = SeededRandom(seed: options.seed ^ 0x5EED_E8ED_17E5_0000)
        let customers = makeCustomers(options, config: config, rng: &rng)
        // Heavy-tailed activity (Pareto, alpha 4/3: (1 - u)^(-3/4)): a few
        // customers order much more than most; capped at 200 times the least.
        // Running totals per depot, to draw a depot's customer by activity.
        var members: [[Int]] = Array(repeating: [], count: config.depots.count)
        var cumulative: [[Double]] = Array(repeating: [], count: config.depots.count)
        for (i, c) in customers.enumerated() {
            let root = (1 - unit(&rng)).squareRoot().squareRoot()
            let d = config.depots.firstIndex { $0.name == c.depot.name }!
            members[d].append(i)
            cumulative[d].append((cumulative[d].last ?? 0) + min(1 / (root * root * root), 200))
        }
        let day: Int64 = 86_400
        let span = Int64(options.days) * day
        // Each depot gets its share of the load (a depot serves its own customers).
        let targets = config.depots.indices.map { d in
            members[d].isEmpty ? 0 : options.load * Double(config.depots[d].capacity) * Double(span) / Double(config.depots[d].slotLength)
        }
        var depotUnits = [Double](repeating: 0, count: config.depots.count)
        let every = Int64(max(options.clumpEveryHours, 1)) * 3600
        let firstClump = (6 * 3600) % every
        var clumps: [(at: Int64, weight: Double)] = []
        var t = firstClump
        while t < span {
            clumps.append((t, 0.5 + unit(&rng)))
            t += every
        }
        let clumpTotal = clumps.reduce(0) { $0 + $1.weight }

        struct Pending { var at: Int64; var rank: Int; var event: TraceEvent }
        var pending: [Pending] = []
        var n = 0
        while true {
            // The depot furthest from its target, by share.
            var d = -1
            var furthest = 0.0
            for k in targets.indices where targets[k] > 0 {
                let left = 1 - depotUnits[k] / targets[k]
                if left > furthest {
                    furthest = left
                    d = k
                }
            }
            guard d >= 0 else { break }
            let c = customers[members[d][firstAbove(unit(&rng) * cumulative[d].last!, in: cumulative[d])]]
            var at: Int64
            if !clumps.isEmpty && unit(&rng) < options.clumpShare {
                var pick = unit(&rng) * clumpTotal
                var k = 0
                while k < clumps.count - 1 && pick >= clumps[k].weight {
                    pick -= clumps[k].weight
                    k += 1
                }
                at = clumps[k].at
            } else {
                at = Int64(unit(&rng) * Double(span))
            }
            var size = c.size
            if unit(&rng) >= 0.7 { size = 1 + Int(unit(&rng) * Double(2 * c.size)) }
            size = min(size, c.depot.capacity, Scheduler.maxUnits)
            var e = TraceEvent(
                at: options.start.adding(seconds: at), kind: .order, customerID: c.id, units: size, tier: c.tier,
                depot: c.depot.name)
            if unit(&rng) < 0.15 {
                e.deadline = options.start.adding(seconds: at + 2 * day)  // Sales promised two days
            }
            pending.append(Pending(at: at, rank: n, event: e))
            if c.vocal {
                let calls = 1 + Int(unit(&rng) * 3)
                for k in 1...calls {
                    let when = at + c.patience * Int64(k)
                    let rounded = max(at, when - when % 60)  // to the minute, never before the order
                    pending.append(Pending(
                        at: rounded, rank: n,
                        event: TraceEvent(at: options.start.adding(seconds: rounded), kind: .complaint)))
                }
            }
            if unit(&expediteRng) < options.expediteShare {
                let when = at + Int64((0.25 + 1.75 * unit(&expediteRng)) * Double(c.depot.slotLength))
                let rounded = max(at, when - when % 60)
                pending.append(Pending(
                    at: rounded, rank: n,
                    event: TraceEvent(at: options.start.adding(seconds: rounded), kind: .expedite, reason: "urgent (generated)")))
            }
            depotUnits[d] += Double(size)
            n += 1
        }
        // Time order; an order before the complaints and expedites about it; else as drawn.
        pending.sort { ($0.at, $0.event.kind == .order ? 0 : 1, $0.rank) < ($1.at, $1.event.kind == .order ? 0 : 1, $1.rank) }
        var ids: [Int: String] = [:]
        var events: [TraceEvent] = []
        events.reserveCapacity(pending.count)
        for p in pending {
            var e = p.event
            if e.kind == .order {
                let id = "SO-" + zeroPadded(ids.count + 1, 7)
                ids[p.rank] = id
                e.orderID = id
            } else {
                e.orderID = ids[p.rank]
            }
            events.append(e)
        }
        return Trace(events: events)
    }

    /// Customers with tiers drawn in inverse proportion to their weight (the
    /// top tier is the rarest), vocality drawn on its own, a home depot
    /// drawn by capacity per hour.
    static func makeCustomers(_ options: Options, config: FairwayConfig, rng: inout SeededRandom) -> [Customer] {
        guard !config.tiers.isEmpty, !config.depots.isEmpty else { return [] }
        let tierShares = config.tiers.map { 1 / Double($0.weight) }
        let depotShares = config.depots.map { Double($0.capacity) / Double($0.slotLength) }
        return (0..<max(options.customers, 1)).map { i in
            let tier = config.tiers[pick(tierShares, &rng)].name
            let depot = config.depots[pick(depotShares, &rng)]
            let vocal = unit(&rng) < options.vocalShare
            let u = unit(&rng)
            let size = u < 0.6 ? 1 : u < 0.85 ? 2 : u < 0.95 ? 3 : 4 + Int(unit(&rng) * 2)
            // Calls after one to four slots of waiting, and again as often.
            let patience = Int64((1 + 3 * unit(&rng)) * Double(depot.slotLength))
            return Customer(
                id: "C-" + zeroPadded(i + 1, 5), tier: tier, depot: depot, vocal: vocal, size: size, patience: patience)
        }
    }

    /// An index drawn in proportion to `shares`.
    static func pick(_ shares: [Double], _ rng: inout SeededRandom) -> Int {
        var r = unit(&rng) * shares.reduce(0, +)
        for (i, s) in shares.enumerated() {
            if r < s { return i }
            r -= s
        }
        return shares.count - 1
    }

    /// The first index whose running total exceeds `r` (the last if none).
    static func firstAbove(_ r: Double, in cumulative: [Double]) -> Int {
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// A draw from [0, 1) with 53 random bits.
    static func unit(_ rng: inout SeededRandom) -> Double { Double(rng.next() >> 11) / 9_007_199_254_740_992 }

    /// `n` with leading zeros to `width` digits.
    static func zeroPadded(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
