// Realistic orders and the request lines that carry them.

import FairwayCore
import FairwayPOSIX
import FairwaySimulation

/// One generated order: its id and its JSON object text.
struct GeneratedOrder: Sendable {
    var id: String
    var json: [UInt8]
}

/// Makes orders of about `targetBytes` bytes of JSON with the fields a Credit
/// export sends: order_id, customer_id, units, tier, depot, cleared_at, notes
/// (and not_before where the workload has one).
///
/// Ids are sequential-looking (`SO-00000001`, ...) or random (UUID-like).
/// Who orders what, where and from when is the workload's
/// (`FairwaySimulation.LoadWorkload`: customers drawn from `customers` ids,
/// tiers a function of the customer, so they never flip). `cleared_at` lies
/// in the two hours before the start, or at the start for workloads cleared
/// at one moment.
struct OrderGenerator: Sendable {
    enum IDStyle: String, Sendable {
        case sequential, random
    }

    let style: IDStyle
    let depots: [String]
    let targetBytes: Int
    private var rng: SeededRandom
    private var shapes: LoadWorkload.Generator
    private var sequence = 0
    /// `clearedTimes[m]`: the start minute minus m minutes.
    private let clearedTimes: [String]
    /// The first whole hour after the start (slots are 1 h in the bench's config).
    private let nextHour: Int64

    private static let phrases = [
        "clearance batch release", "credit ref CR-", "deliver to loading dock", "call ahead on arrival",
        "pallet jack needed", "customer closes at 17:00", "fragile: glass panels", "two-person lift",
        "use the rear gate", "invoice with goods", "one-off deal: free install", "ask for the site foreman",
    ]

    init(
        style: IDStyle, depots: [String], workload: LoadWorkload = .randomSize, customers: Int = 100_000, targetBytes: Int = 200,
        seed: UInt64
    ) {
        self.style = style
        self.depots = depots
        self.targetBytes = targetBytes
        rng = SeededRandom(seed: seed ^ 0x5EED)
        shapes = LoadWorkload.Generator(workload, depots: depots.count, customers: customers, seed: seed)
        let now = WallClock.seconds()
        let minute = now / 60 * 60
        clearedTimes = (0...120).map { Timestamp(seconds: minute - Int64($0) * 60).rfc3339 }
        nextHour = (now / 3600 + 1) * 3600
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
        let shape = shapes.next()
        var head = "{\"order_id\":\"\(id)\",\"customer_id\":\"C-\(pad(shape.customer, 6))\",\"units\":\(shape.units),"
            + "\"tier\":\"\(shape.tier)\",\"depot\":\"\(depots[shape.depot])\",\"cleared_at\":\"\(clearedTimes[shape.clearedMinutesAgo])\","
        if let slots = shape.notBeforeSlots {
            head += "\"not_before\":\"\(Timestamp(seconds: nextHour + Int64(slots) * 3600).rfc3339)\","
        }
        head += "\"notes\":\""
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
