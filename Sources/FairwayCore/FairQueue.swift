/// A key in a fair queue: the finish tag, ties broken by arrival.
///
/// Identity and order are `(tag, index)` only. `units` and `hasNotBefore`
/// ride along in the key's padding (the stride stays 16 bytes) so that the
/// projection can stream through the queue without touching the orders.
public struct QueueKey: Sendable, Hashable, Comparable {
    /// The order's finish tag.
    public var tag: Double
    /// The order's index in the scheduler's order table (arrival order).
    public var index: Int32
    /// The order's units (payload, not part of the identity).
    public var units: UInt16
    /// Whether the order has a `not_before` (payload, not part of the identity).
    public var hasNotBefore: Bool

    /// A key; `units` and `hasNotBefore` may be left out when the key is
    /// only used to find an order in the queue.
    public init(tag: Double, index: Int32, units: UInt16 = 0, hasNotBefore: Bool = false) {
        self.tag = tag
        self.index = index
        self.units = units
        self.hasNotBefore = hasNotBefore
    }

    public static func == (a: QueueKey, b: QueueKey) -> Bool { a.tag == b.tag && a.index == b.index }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(tag)
        hasher.combine(index)
    }

    public static func < (a: QueueKey, b: QueueKey) -> Bool {
        a.tag < b.tag || (a.tag == b.tag && a.index < b.index)
    }
}

/// Queued orders of one depot in service order (ascending finish tag, then
/// arrival), with O(log n)-ish insert and removal and cheap rank queries.
///
/// Stored as a list of sorted chunks of at most `chunkLimit` keys: an insert
/// moves at most one chunk's worth of memory. The chunks' sizes are kept in
/// a Fenwick tree, so a rank, or the chunk holding a rank, takes O(log n)
/// steps however deep the queue is (a submit asks one per new order).
struct FairQueue: Sendable {
    private(set) var chunks: [[QueueKey]] = []
    private(set) var count = 0
    private let chunkLimit = 1024
    /// Fenwick tree over the chunks' sizes: `sizes[i]` (1-based) holds the
    /// sum of the sizes of chunks `i - (i & -i) ..< i`.
    private var sizes: [Int] = [0]

    /// Whether nothing is queued.
    var isEmpty: Bool { count == 0 }

    /// Builds a queue from keys in any order.
    init(keys: [QueueKey] = []) {
        let sorted = keys.sorted()
        var start = 0
        while start < sorted.count {
            let end = min(start + chunkLimit / 2, sorted.count)
            chunks.append(Array(sorted[start..<end]))
            start = end
        }
        count = sorted.count
        rebuildSizes()
    }

    /// Builds the Fenwick tree of chunk sizes from the chunks (linear time).
    private mutating func rebuildSizes() {
        sizes = [0] + chunks.map(\.count)
        for i in 1..<sizes.count {
            let parent = i + (i & -i)
            if parent < sizes.count { sizes[parent] += sizes[i] }
        }
    }

    /// Adds `delta` to the size of chunk `c`.
    private mutating func addSize(_ delta: Int, chunk c: Int) {
        var i = c + 1
        while i < sizes.count {
            sizes[i] += delta
            i += i & -i
        }
    }

    /// The chunk holding rank `rank` (< `count`) and the rank of its first key.
    private func chunk(holding rank: Int) -> (chunk: Int, first: Int) {
        var i = 0
        var before = 0
        var step = 1
        while step * 2 < sizes.count { step *= 2 }
        while step > 0 {
            let next = i + step
            if next < sizes.count && before + sizes[next] <= rank {
                i = next
                before += sizes[next]
            }
            step /= 2
        }
        return (i, before)
    }

    /// The chunk that holds `key`, or would hold it on insert.
    private func chunkIndex(for key: QueueKey) -> Int {
        // The last chunk whose first key is <= key.
        var lo = 0
        var hi = chunks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if chunks[mid][0] <= key { lo = mid + 1 } else { hi = mid }
        }
        return max(lo - 1, 0)
    }

    private static func lowerBound(_ chunk: [QueueKey], _ key: QueueKey) -> Int {
        var lo = 0
        var hi = chunk.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if chunk[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Inserts a key.
    mutating func insert(_ key: QueueKey) {
        count += 1
        if chunks.isEmpty {
            chunks.append([key])
            rebuildSizes()
            return
        }
        let c = chunkIndex(for: key)
        let at = Self.lowerBound(chunks[c], key)
        chunks[c].insert(key, at: at)
        addSize(1, chunk: c)
        if chunks[c].count > chunkLimit {
            // Appends at the very end (arrival order, the common case) leave
            // the full chunk full; other inserts split it in halves. Both
            // halves are copied so neither keeps the doubled capacity.
            let appended = c == chunks.count - 1 && at == chunks[c].count - 1
            let cut = appended ? chunks[c].count - 1 : chunks[c].count / 2
            let head = compactChunk(chunks[c][..<cut])
            let tail = compactChunk(chunks[c][cut...])
            chunks[c] = head
            chunks.insert(tail, at: c + 1)
            rebuildSizes()
        }
    }

    /// A chunk holding `keys`, with room for exactly one split's worth.
    private func compactChunk(_ keys: ArraySlice<QueueKey>) -> [QueueKey] {
        var chunk: [QueueKey] = []
        chunk.reserveCapacity(chunkLimit + 1)
        chunk.append(contentsOf: keys)
        return chunk
    }

    /// Removes a key; returns whether it was there.
    @discardableResult
    mutating func remove(_ key: QueueKey) -> Bool {
        guard !chunks.isEmpty else { return false }
        let c = chunkIndex(for: key)
        let at = Self.lowerBound(chunks[c], key)
        guard at < chunks[c].count, chunks[c][at] == key else { return false }
        chunks[c].remove(at: at)
        if chunks[c].isEmpty {
            chunks.remove(at: c)
            rebuildSizes()
        } else {
            addSize(-1, chunk: c)
        }
        count -= 1
        return true
    }

    /// The 0-based place of `key` in service order, or nil when not queued.
    func rank(of key: QueueKey) -> Int? {
        guard !chunks.isEmpty else { return nil }
        let c = chunkIndex(for: key)
        let at = Self.lowerBound(chunks[c], key)
        guard at < chunks[c].count, chunks[c][at] == key else { return nil }
        return ranksBefore(chunk: c) + at
    }

    /// How many queued keys are smaller than `key` (its rank once inserted).
    func insertionRank(of key: QueueKey) -> Int {
        guard !chunks.isEmpty else { return 0 }
        let c = chunkIndex(for: key)
        return ranksBefore(chunk: c) + Self.lowerBound(chunks[c], key)
    }

    private func ranksBefore(chunk c: Int) -> Int {
        var n = 0
        var i = c
        while i > 0 {
            n += sizes[i]
            i -= i & -i
        }
        return n
    }

    /// The first key, if any.
    var first: QueueKey? { chunks.first?.first }

    /// Keys in service order starting at rank `from`, at most `limit` of them.
    func keys(from: Int, limit: Int) -> [QueueKey] {
        var result: [QueueKey] = []
        result.reserveCapacity(min(limit, max(count - from, 0)))
        forEachRun(from: from, limit: limit) { result.append(contentsOf: $0) }
        return result
    }

    /// Calls `body` with runs of consecutive keys in service order, starting
    /// at rank `from`, `limit` keys in all (fewer at the end of the queue).
    /// The runs are the queue's own storage: no copy.
    func forEachRun(from: Int, limit: Int, _ body: (UnsafeBufferPointer<QueueKey>) -> Void) {
        guard from < count, limit > 0 else { return }
        let start = chunk(holding: max(from, 0))
        var skip = max(from, 0) - start.first
        var left = limit
        for chunk in chunks[start.chunk...] where left > 0 {
            let n = min(chunk.count - skip, left)
            chunk.withUnsafeBufferPointer { all in body(UnsafeBufferPointer(rebasing: all[skip..<(skip + n)])) }
            left -= n
            skip = 0
        }
    }

    /// Calls `body` with each key in service order until it returns false.
    func forEach(_ body: (QueueKey) -> Bool) {
        for chunk in chunks {
            for k in chunk where !body(k) { return }
        }
    }
}

extension QueueKey {
    /// The key of the order at `index` in the scheduler's order table.
    init(_ order: Order, index: Int32) {
        self.init(tag: order.tag, index: index, units: UInt16(order.units), hasNotBefore: order.notBefore != nil || order.expedited)
    }

    /// The key of the stored order at `index` in the scheduler's order table.
    init(_ record: OrderRecord, index: Int32) {
        self.init(
            tag: record.tag, index: index, units: UInt16(record.units),
            hasNotBefore: record.notBeforeMs != OrderRecord.none || record.expedited)
    }
}
