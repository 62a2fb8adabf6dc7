/// The order-id index: an open-addressing hash table (linear probing) of
/// order indexes, hashed by the order id's UTF-8 bytes.
///
/// Orders are never removed, so there are no tombstones. A slot costs 8
/// bytes: an `Int32` index and the low 32 bits of its id's hash, which skip
/// almost every non-matching id without reading it and let the table grow
/// without hashing any id again. The table is kept at most 70% full: about
/// 11-23 bytes per order, against about 40 for a `[String: Int32]`. The
/// table does not hold the ids: the caller's `matches` closure reads them
/// from the order table.
struct OrderIDIndex: Sendable {
    private var slots: [Int32] = []
    private var hashes: [UInt32] = []
    /// How many indexes the table holds.
    private(set) var count = 0

    private static func low(_ hash: Int) -> UInt32 { UInt32(truncatingIfNeeded: hash) }

    /// The index whose id has this hash and `matches`, if any.
    func find(hash: Int, matches: (Int32) -> Bool) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        let h = Self.low(hash)
        var i = hash & mask
        return slots.withUnsafeBufferPointer { slots in
            hashes.withUnsafeBufferPointer { hashes in
                while true {
                    let s = slots[i]
                    if s < 0 { return nil }
                    if hashes[i] == h && matches(s) { return s }
                    i = (i + 1) & mask
                }
            }
        }
    }

    /// Adds an index whose id is not in the table yet.
    mutating func insert(_ index: Int32, hash: Int) {
        if (count + 1) * 10 > slots.count * 7 { grow(toHold: count + 1) }
        place(index, hash: Self.low(hash))
        count += 1
    }

    /// Makes room for `total` indexes without growing again.
    mutating func reserveCapacity(_ total: Int) {
        if total * 10 > slots.count * 7 { grow(toHold: total) }
    }

    /// Puts an index in the first free slot from its hash's home slot. The
    /// home slot only needs the low bits, so the stored 32 bits suffice for
    /// any table of up to 2^32 slots.
    private mutating func place(_ index: Int32, hash: UInt32) {
        let mask = slots.count - 1
        var i = Int(hash) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = index
        hashes[i] = hash
    }

    private mutating func grow(toHold total: Int) {
        var capacity = max(16, slots.count)
        while total * 10 > capacity * 7 { capacity *= 2 }
        precondition(capacity <= 1 << 32, "order-id index beyond 2^32 slots")
        let oldSlots = slots
        let oldHashes = hashes
        slots = Array(repeating: -1, count: capacity)
        hashes = Array(repeating: 0, count: capacity)
        for (s, h) in zip(oldSlots, oldHashes) where s >= 0 { place(s, hash: h) }
    }
}
