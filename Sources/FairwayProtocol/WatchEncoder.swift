public import FairwayCore

extension ResponseEncoder {
    /// One line of a `watch` stream: `{"event":E,"at":T,...}` with
    /// `order_id`, `customer_id`, `depot`, `slot_start`, `from_slot`,
    /// `count`, `units` where they apply (absent otherwise), then `actor`
    /// and `message`.
    public static func watchEvent(_ e: Event) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("event")
        w.string(e.kind.rawValue)
        w.key("at")
        w.time(e.at)
        for (key, value) in [("order_id", e.orderID), ("customer_id", e.customerID), ("depot", e.depot)] {
            guard let value else { continue }
            w.key(key)
            w.string(value)
        }
        for (key, value) in [("slot_start", e.slotStart), ("from_slot", e.fromSlot)] {
            guard let value else { continue }
            w.key(key)
            w.time(value)
        }
        for (key, value) in [("count", e.count), ("units", e.units)] {
            guard let value else { continue }
            w.key(key)
            w.int(value)
        }
        w.key("actor")
        w.string(e.actor)
        w.key("message")
        w.string(e.message)
        w.endObject()
        w.newline()
        return w.bytes
    }

    /// The last line a watcher that fell too far behind gets: `{"event":"overflow","dropped":N}`.
    public static func watchOverflow(dropped: Int) -> [UInt8] {
        var w = JSONWriter(capacity: 48)
        w.beginObject()
        w.key("event")
        w.string("overflow")
        w.key("dropped")
        w.int(dropped)
        w.endObject()
        w.newline()
        return w.bytes
    }
}
