// The `export` answer → a scenario trace in CSV.

import FairwayCore
import FairwayProtocol
import FairwaySimulation

/// Writes the daemon's exported history as the trace `simulate` reads.
enum ExportRenderer {
    /// The CSV of the answer's `events`. An event's time is `at_ms` (the
    /// exact instant: submits of one second stay apart); an order's
    /// `cleared_at` becomes the `cleared_at` column when it is not in the
    /// same second as its receipt.
    static func render(_ events: [JSONObject]) -> String {
        Trace(events: events.compactMap(event)).csv()
    }

    static func event(_ o: JSONObject) -> TraceEvent? {
        guard let kindText = o.string("event"), let kind = TraceEvent.Kind(rawValue: kindText) else { return nil }
        guard let at = o.int("at_ms").map({ Timestamp(milliseconds: Int64($0)) }) ?? o.string("at").flatMap({ Timestamp(rfc3339: $0) }) else {
            return nil
        }
        func time(_ key: String) -> Timestamp? { o.string(key).flatMap { Timestamp(rfc3339: $0) } }
        var e = TraceEvent(
            at: at, kind: kind, orderID: o.string("order_id"), customerID: o.string("customer_id"), units: o.int("units"),
            tier: o.string("tier"), depot: o.string("depot"), notBefore: time("not_before"), deadline: time("deadline"),
            capacity: o.int("capacity"), from: time("from"), to: time("to"), reason: o.string("reason"))
        if let cleared = time("cleared_at"), cleared.seconds != at.seconds { e.clearedAt = cleared }
        return e
    }
}
