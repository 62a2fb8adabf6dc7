/// Waits of one tier's orders, in slots.
public struct TierWaits: Sendable, Equatable {
    public var tier: String
    /// Orders of the tier that were placed.
    public var orders: Int
    public var mean: Double
    /// The 95th percentile (nearest rank).
    public var p95: Int
    public var max: Int
}

/// The report of one policy's replay: what the scenario report shows.
///
/// Waits are in slots: start of the delivery slot minus start of the slot
/// holding `cleared_at`, over the slot length (`OrderOutcome.waitSlots`).
public struct PolicyReport: Sendable, Equatable {
    public var policy: String
    /// Orders in the trace (accepted by the scheduler).
    public var orders: Int
    /// Orders that got a slot.
    public var placed: Int
    /// Mean wait weighted by each order's tier weight (its value): a slot
    /// of waiting by a weight-8 order counts 8 times one by a weight-1 order.
    public var vwMeanWait: Double?
    /// Per tier, in config order (tiers without placed orders left out).
    public var tiers: [TierWaits]
    public var maxWait: Int?
    /// Mean wait of the orders of customers who never complained over that
    /// of customers who did, tier by tier: `Σ_t n_t · quiet_t / Σ_t n_t · vocal_t`
    /// over the tiers with both, `n_t` the vocal customers' orders in tier
    /// `t`. Above 1: complaining shortened the wait. Nil when no tier has
    /// both kinds of customers or the vocal ones waited 0.
    public var vocalAdvantage: Double?
    /// Orders with a deadline, and those whose slot ends after it (or that
    /// were never placed).
    public var deadlines: Int
    public var deadlineMissed: Int
    /// Promises moved by capacity changes (each move counts).
    public var promisesMoved: Int
    /// Units delivered over the capacity of every slot from the first
    /// bookable one to the last one used, all depots.
    public var utilisation: Double?
    /// On time to first promise: placed orders delivered no later than the
    /// end of the slot they were first promised, over the placed orders.
    public var onTimeToFirstPromise: Double?
    /// The trace's expedites: honoured, and refused over budget or because
    /// the order was already promised under this policy.
    public var expedites: ExpediteTally

    /// The report of a replay; `tiers` gives the order tiers are listed in.
    public init(_ result: ReplayResult) {
        let outcomes = result.outcomes
        policy = result.policy.rawValue
        orders = outcomes.count
        let placedOutcomes = outcomes.filter { $0.slotStart != nil }
        placed = placedOutcomes.count
        var weightSum = 0
        var weightedWait = 0
        var byTier: [String: [Int]] = [:]
        for o in placedOutcomes {
            let w = o.waitSlots!
            weightSum += o.weight
            weightedWait += o.weight * w
            byTier[o.tier, default: []].append(w)
        }
        vwMeanWait = weightSum > 0 ? Double(weightedWait) / Double(weightSum) : nil
        let tierOrder = result.config.tiers.map(\.name) + byTier.keys.sorted().filter { name in !result.config.tiers.contains { $0.name == name } }
        tiers = tierOrder.compactMap { name in
            guard var waits = byTier[name], !waits.isEmpty else { return nil }
            waits.sort()
            return TierWaits(
                tier: name, orders: waits.count, mean: Double(waits.reduce(0, +)) / Double(waits.count),
                p95: Self.percentile(waits, 0.95), max: waits.last!)
        }
        maxWait = placedOutcomes.lazy.map { $0.waitSlots! }.max()
        vocalAdvantage = Self.vocalAdvantage(placedOutcomes, tierOrder: tierOrder)
        deadlines = outcomes.filter { $0.deadline != nil }.count
        deadlineMissed = outcomes.filter(\.deadlineMissed).count
        promisesMoved = outcomes.reduce(0) { $0 + $1.promiseMoves }
        let capacity = result.slots.reduce(0) { $0 + $1.capacity }
        utilisation = capacity > 0 ? Double(result.slots.reduce(0) { $0 + $1.used }) / Double(capacity) : nil
        let onTime = placedOutcomes.filter { $0.onTimeToFirstPromise == true }.count
        onTimeToFirstPromise = placed > 0 ? Double(onTime) / Double(placed) : nil
        expedites = result.expedites
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Int], _ p: Double) -> Int {
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }

    /// See `vocalAdvantage`.
    static func vocalAdvantage(_ placed: [OrderOutcome], tierOrder: [String]) -> Double? {
        var vocal: Set<String> = []
        for o in placed where o.complaints > 0 { vocal.insert(o.customerID) }
        // Each customer's mean wait (per tier), so that a customer with many
        // orders counts as one customer.
        var perCustomer: [String: [String: (n: Int, sum: Int)]] = [:]
        for o in placed {
            perCustomer[o.tier, default: [:]][o.customerID, default: (0, 0)].n += 1
            perCustomer[o.tier, default: [:]][o.customerID, default: (0, 0)].sum += o.waitSlots!
        }
        // Per tier: (customers, sum of their mean waits) of quiet and of vocal customers.
        var quiet: [String: (n: Int, sum: Double)] = [:]
        var loud: [String: (n: Int, sum: Double)] = [:]
        // In a fixed order: floating-point sums depend on it, and the report
        // must be the same bytes every time.
        for tier in tierOrder {
            for (id, c) in (perCustomer[tier] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let mean = Double(c.sum) / Double(c.n)
                if vocal.contains(id) {
                    loud[tier, default: (0, 0)].n += 1
                    loud[tier, default: (0, 0)].sum += mean
                } else {
                    quiet[tier, default: (0, 0)].n += 1
                    quiet[tier, default: (0, 0)].sum += mean
                }
            }
        }
        var numerator = 0.0
        var denominator = 0.0
        for tier in tierOrder {
            guard let q = quiet[tier], let v = loud[tier], q.n > 0, v.n > 0 else { continue }
            numerator += Double(v.n) * q.sum / Double(q.n)
            denominator += v.sum
        }
        return denominator > 0 ? numerator / denominator : nil
    }
}
