// Realistic orders and the request lines that carry them.

import FairwayPOSIX
import FairwayCore

/// One generated order: its id and its JSON object text.
struct GeneratedOrder: Sendable {
    var id: String
    var json: [UInt8]
}

/// Makes orders of about `targetBytes` bytes of JSON with the fields a Credit
/// export sends: order_id, customer_id, units, tier, depot, cleared_at, notes.
///
/// Ids are sequential-looking (`SO-00000001`, ...) or random (UUID-like).
/// Customers are drawn uniformly from `customers` ids; a customer's tier is a
/// function of its id (5% platinum, 15% gold, 60% standard, 20% basic), so
/// tiers never flip. `cleared_at` lies in the two hours before the start.
struct OrderGenerator: Sendable {
    enum IDStyle: String, Sendable {
        case sequential, random
    }

    let style: IDStyle
    let depots: [String]
    let customers: Int
    let targetBytes: Int
    private var rng: SeededRandom
    private var sequence = 0
    private let clearedTimes: [String]

    private static let tiers = ["platinum", "gold", "gold", "gold"] + Array(repeating: "standard", count: 12)
        + Array(repeating: "basic", count: 4)
    private static let phrases = [
        "clearance batch release", "credit ref CR-", "deliver to loading dock", "call ahead on arrival",
        "pallet jack needed", "customer closes at 17:00", "fragile: glass panels", "two-person lift",
        "use the rear gate", "invoice with goods", "one-off deal: free install", "ask for the site foreman",
    ]

    init(style: IDStyle, depots: [String], customers: Int = 100_000, targetBytes: Int = 200, seed: UInt64) {
        self.style = style
        self.depots = depots
        self.customers = customers
        self.targetBytes = targetBytes
        rng = SeededRandom(seed: seed)
        let minute = WallClock.seconds() / 60 * 60
        clearedTimes = (1...120).map { Timestamp(seconds: minute - Int64($0) * 60).rfc3339 }
    }

    /// The next `count` orders.
    mutating func make(_ count: Int) -> [GeneratedOrder] {
        var orders: [GeneratedOrder] = []
        orders.reserveCapacity(count)
        for _ in 0..<count { orders.append(make()) }
        return orders
    }

    /// The next order.
    mutating func make() -> GeneratedOrder {
        sequence += 1
        let id = style == .sequential ? "SO-" + pad(sequence, 8) : uuid()
        let customer = Int(rng.next() % UInt64(customers)) + 1
        let tier = Self.tiers[(customer &* 2_654_435_761) % Self.tiers.count]
        let depot = depots[Int(rng.next() % UInt64(depots.count))]
        let units = 1 + Int(rng.next() % 3)
        let cleared = clearedTimes[Int(rng.next() % UInt64(clearedTimes.count))]
        let head = "{\"order_id\":\"\(id)\",\"customer_id\":\"C-\(pad(customer, 6))\",\"units\":\(units),"
            + "\"tier\":\"\(tier)\",\"depot\":\"\(depot)\",\"cleared_at\":\"\(cleared)\",\"notes\":\""
        let tail = "\"}"
        let jitter = Int(rng.next() % 21) - 10
        let noteLength = max(8, targetBytes + jitter - head.utf8.count - tail.utf8.count)
        return GeneratedOrder(id: id, json: Array((head + notes(noteLength) + tail).utf8))
    }

    private mutating func notes(_ length: Int) -> String {
        var text = ""
        while text.utf8.count < length {
            let phrase = Self.phrases[Int(rng.next() % UInt64(Self.phrases.count))]
            text += (text.isEmpty ? "" : "; ") + phrase + (phrase.hasSuffix("-") ? String(rng.next() % 9_000_000 + 1_000_000) : "")
        }
        return String(text.utf8.prefix(length))!
    }

    private mutating func uuid() -> String {
        let a = rng.next(), b = rng.next()
        let hex = Array(hexDigits(a) + hexDigits(b))
        return String(hex[0..<8]) + "-" + String(hex[8..<12]) + "-4" + String(hex[13..<16]) + "-"
            + String(hex[16..<20]) + "-" + String(hex[20..<32])
    }

    private func hexDigits(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// Request lines for the Fairway wire protocol.
enum FairwayRequests {
    /// `submit` requests of `batchSize` orders each, ids counting from `firstID`.
    static func submits(_ orders: ArraySlice<GeneratedOrder>, batchSize: Int, firstID: Int = 1) -> [WireRequest] {
        var requests: [WireRequest] = []
        var start = orders.startIndex
        while start < orders.endIndex {
            let end = min(start + batchSize, orders.endIndex)
            var line = Array("{\"id\":\(firstID + requests.count),\"op\":\"submit\",\"orders\":[".utf8)
            line.reserveCapacity(line.count + (end - start) * (orders[start].json.count + 1) + 4)
            for i in start..<end {
                if i > start { line.append(UInt8(ascii: ",")) }
                line.append(contentsOf: orders[i].json)
            }
            line.append(contentsOf: "]}\n".utf8)
            requests.append(WireRequest(bytes: line, answerLines: 1))
            start = end
        }
        return requests
    }

    /// An `order` lookup.
    static func lookup(_ orderID: String, id: Int) -> [UInt8] {
        Array("{\"id\":\(id),\"op\":\"order\",\"order_id\":\"\(orderID)\"}\n".utf8)
    }

    /// A `status` request.
    static func status(id: Int = 0) -> [UInt8] { Array("{\"id\":\(id),\"op\":\"status\"}\n".utf8) }
}
