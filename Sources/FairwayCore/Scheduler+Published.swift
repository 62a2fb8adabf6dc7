/// The state as of the last `Scheduler.publish()`, kept so that `order`
/// lookups can be answered while the owner is in the middle of a round
/// (applying a clump, writing it, re-projecting the queue) without showing
/// anything that is not committed yet.
///
/// Nothing is copied: new orders are appended to the live table after
/// `visibleCount` and their keys into the live queues, so the published view
/// is the live state minus what is listed here. Only the projections are kept
/// twice, and they share the chunks of placements that did not change since
/// the publish (see `SlotOffsets`). Any other
/// change to an order stored before the publish (a commit, a complaint, a
/// delivery, a reload) makes the view unusable until the next publish.
struct PublishedView: Sendable {
    /// Orders with an index below this were stored at the publish.
    var visibleCount: Int32 = 0
    /// Each depot's projection at the publish.
    var projections: [String: Projection] = [:]
    /// Keys put into the live queues since the publish and still queued.
    var newKeys: [String: [QueueKey]] = [:]
    /// Whether the view still is the live state minus `newKeys`.
    var usable = false
}

extension Scheduler {
    /// Makes the current state the one `publishedOrder(_:)` answers from.
    /// Call it once the state is committed; it is cheapest (and answers every
    /// lookup) when each projection is complete (`extendProjections`).
    public mutating func publish() {
        published.visibleCount = Int32(orders.count)
        published.projections = depots.mapValues(\.projection)
        published.newKeys = [:]
        published.usable = true
    }

    /// Whether `publishedOrder(_:)` can answer now.
    public var hasUsablePublishedView: Bool { published.usable }

    /// An order as it stood at the last `publish()`, answered without
    /// changing anything: an order accepted since is not found, and places
    /// count only the orders that were queued then. Nil when the published
    /// view cannot answer (something other than new orders changed since, or
    /// the order's place is beyond the published projection): ask `order(_:)`
    /// once the state is committed.
    public func publishedOrder(_ orderID: String) -> Result<OrderView, FairwayError>? {
        guard published.usable else { return nil }
        guard let i = orders.index(of: orderID), i < published.visibleCount else {
            return .failure(.notFound("no order with order_id '\(orderID)'"))
        }
        let r = orders[Int(i)]
        guard r.state == .queued else { return .success(view(of: i, queuedAt: nil)) }
        let name = orders.depotName(i)
        guard let d = depots[name], let p = published.projections[name] else { return nil }
        let key = QueueKey(tag: r.tag, index: i)
        guard let live = d.queue.rank(of: key) else { return nil }
        var rank = live
        if let fresh = published.newKeys[name] {
            for k in fresh where k < key { rank -= 1 }
        }
        guard rank < p.placed else { return nil }
        return .success(view(of: i, queuedAt: (rank, p.slot(ofRank: rank))))
    }

    /// Places the queued orders of every depot a little further, at most
    /// `budget` orders in all; returns whether every projection now covers
    /// its whole queue. Lets the owner complete them in steps before a
    /// `publish()`, with lookups answered in between.
    public mutating func extendProjections(budget: Int) -> Bool {
        var left = budget
        var allPlaced = true
        for name in depots.keys.sorted() {
            let count = depots[name]!.queue.count
            let placed = depots[name]!.projection.placed
            let step = min(count - placed, left)
            if step > 0 {
                project(name, through: placed + step - 1)
                left -= step
            }
            if placed + step < count { allPlaced = false }
        }
        return allPlaced
    }

    /// Whether every depot's projection covers its whole queue.
    public var projectionsArePlaced: Bool {
        depots.values.allSatisfy { $0.projection.placed >= $0.queue.count }
    }

    /// Notes that new keys entered a live queue (see `PublishedView`).
    mutating func publishedKeysQueued(_ keys: ArraySlice<QueueKey>, depot name: String) {
        guard published.usable else { return }
        if keys.allSatisfy({ $0.index >= published.visibleCount }) {
            published.newKeys[name, default: []].append(contentsOf: keys)
        } else {
            published.usable = false
        }
    }

    /// Notes that a key left a live queue (see `PublishedView`).
    mutating func publishedKeyDequeued(_ key: QueueKey, depot name: String) {
        guard published.usable else { return }
        if key.index >= published.visibleCount, let at = published.newKeys[name]?.firstIndex(of: key) {
            published.newKeys[name]!.remove(at: at)
        } else {
            published.usable = false
        }
    }

    /// Notes that an order stored before the publish changed, or that the
    /// config did: the published view no longer answers.
    mutating func publishedViewChanged(order index: Int32? = nil) {
        guard published.usable else { return }
        if let index, index >= published.visibleCount { return }
        published.usable = false
    }
}
