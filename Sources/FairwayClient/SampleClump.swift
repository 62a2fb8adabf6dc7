// `fairwayctl sample`: a morning's credit clearance, dated relative to now.

import FairwayCore

/// The sample clump of the README's tour, as CSV: 300 orders from 40
/// customers in four tiers (platinum, gold, standard, basic) for depots north
/// and south, cleared in three clumps over the last three and a half hours.
/// A few big customers place many orders, most one or two; some orders carry
/// a `not_before` (a date alone) or a Sales deadline in the next hours or
/// days; some notes need CSV quoting.
///
/// Deterministic: the same customers, order ids, sizes and depots every
/// time; only the times move with `now`, so the orders are never stale.
/// Written for `config/local.conf` (hour slots of 40 and 30 units).
enum SampleClump {
    /// Orders in the sample.
    static let total = 300
    /// The first order id's number (`SO-240001`).
    static let firstOrderNumber = 240_001

    static let header = ["order_id", "customer_id", "units", "cleared_at", "depot", "tier", "not_before", "deadline", "notes"]

    static let notes = [
        "call ahead, gate code 4412",
        "leave with reception, 2nd floor",
        "customer says \"urgent\" — was promised Friday",
        "one-off deal: free install",
        "fragile: glass panels, \"this side up\"",
        "deliver to loading bay B, not the shop front",
        "replacement for damaged unit, RMA 7781",
        "site closes at 16:00, no weekend access",
    ]

    /// The three clumps: seconds before `now` of their first and last
    /// clearance, and how many orders each holds.
    static let clumps: [(from: Int64, to: Int64, count: Int)] = [
        (3 * 3600 + 30 * 60, 3 * 3600 + 10 * 60, 150),
        (1 * 3600 + 45 * 60, 1 * 3600 + 25 * 60, 90),
        (20 * 60, 0, 60),
    ]

    private struct Customer {
        var id: String
        var tier: String
        var depot: String
    }

    /// The CSV text (header and 300 rows) for the clock reading `now`.
    static func csv(now: Timestamp) -> String {
        rows(now: now).map { $0.map(csvCell).joined(separator: ",") + "\n" }.joined()
    }

    /// The header row, then one row of cells per order.
    static func rows(now: Timestamp) -> [[String]] {
        var random = Draw(seed: 20_261_123)
        let nowSeconds = now.seconds

        // 40 customers, each with a home depot.
        var customers: [Customer] = []
        var number = 1007
        for (tier, count) in [("platinum", 4), ("gold", 8), ("standard", 16), ("basic", 12)] {
            for _ in 0..<count {
                customers.append(Customer(id: "C-\(number)", tier: tier, depot: random.pick(["north", "south"])))
                number += random.int(1...37)
            }
        }
        // Big accounts (two platinum, one gold, one basic reseller): how many orders they place.
        let big = [0: 52, 1: 30, 4: 38, 30: 27]
        var plan: [Int] = []
        for i in customers.indices {
            plan += Array(repeating: i, count: big[i] ?? random.pick([1, 1, 1, 1, 2, 2, 3, 4]))
        }
        let midSized = Array(5..<12) + Array(14..<20)
        while plan.count < total { plan.append(random.pick(midSized)) }
        random.shuffle(&plan)
        plan = Array(plan.prefix(total))

        let hour = nowSeconds - nowSeconds % 3600
        let midnight = nowSeconds - nowSeconds % 86_400
        var rows = [header]
        var next = 0
        for clump in clumps {
            let times = (0..<clump.count).map { _ in nowSeconds - Int64(random.int(Int(clump.to)...Int(clump.from))) }.sorted()
            for time in times where next < plan.count {
                let customer = customers[plan[next]]
                let units = random.unit() < 0.9 ? random.pick([1, 1, 2, 2, 3, 3, 4, 5]) : random.int(10...20)
                let depot = random.unit() < 0.85 ? customer.depot : (customer.depot == "north" ? "south" : "north")
                var notBefore = ""
                var deadline = ""
                let r = random.unit()
                if r < 0.06 {
                    // A date alone: that day's midnight UTC.
                    let day = midnight + Int64(random.pick([3, 7, 8])) * 86_400
                    notBefore = String(Timestamp(seconds: day).rfc3339.prefix(10))
                } else if r < 0.16 {
                    deadline = Timestamp(seconds: hour + Int64(random.pick([6, 9, 12, 24, 72, 240])) * 3600).rfc3339
                }
                let note = random.unit() < 0.12 ? random.pick(notes) : ""
                rows.append([
                    "SO-\(firstOrderNumber + next)", customer.id, String(units), Timestamp(seconds: time).rfc3339, depot,
                    customer.tier, notBefore, deadline, note,
                ])
                next += 1
            }
        }
        return rows
    }

    /// A CSV cell, quoted when it holds a comma, a quote or a line break.
    static func csvCell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + String(text.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
    }

    /// Draws from a seeded generator with the project's own arithmetic, so the
    /// sample is the same with every Swift version.
    private struct Draw {
        var generator: SeededRandom
        init(seed: UInt64) { generator = SeededRandom(seed: seed) }

        /// A whole number in `range`.
        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(generator.next() % UInt64(range.count))
        }

        /// A number in [0, 1).
        mutating func unit() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }

        /// One element of `list`.
        mutating func pick<T>(_ list: [T]) -> T { list[int(0...(list.count - 1))] }

        /// `list` in a random order (Fisher–Yates).
        mutating func shuffle<T>(_ list: inout [T]) {
            guard list.count > 1 else { return }
            for i in stride(from: list.count - 1, to: 0, by: -1) { list.swapAt(i, int(0...i)) }
        }
    }
}
