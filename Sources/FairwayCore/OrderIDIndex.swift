/// The order-id index: an open-addressing hash table (linear probing) of
/// order indexes, hashed by the order id's UTF-8 bytes.
///
/// Orders are never removed, so there are no tombstones. A slot costs 5
/// bytes (an `Int32` index and an 8-bit fingerprint of the hash that skips
/// most non-matching ids without reading them), and the table is kept at most
/// 70% full: about 7-14 bytes per order, against about 40 for a
/// `[String: Int32]`. The table does not hold the ids: the caller's `matches`
/// and `hashOf` closures read them from the order table.
struct OrderIDIndex: Sendable {
    private var slots: [Int32] = []
    private var fingerprints: [UInt8] = []
    /// How many indexes the table holds.
    private(set) var count = 0

    private static func fingerprint(_ hash: Int) -> UInt8 { UInt8(truncatingIfNeeded: UInt(bitPattern: hash) >> 56) }

    /// The index whose id has this hash and `matches`, if any.
    func find(hash: Int, matches: (Int32) -> Bool) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        let fp = Self.fingerprint(hash)
        var i = hash & mask
        return slots.withUnsafeBufferPointer { slots in
            fingerprints.withUnsafeBufferPointer { fingerprints in
                while true {
                    let s = slots[i]
                    if s < 0 { return nil }
                    if fingerprints[i] == fp && matches(s) { return s }
                    i = (i + 1) & mask
                }
            }
        }
    }

    /// Adds an index whose id is not in the table yet. `hashOf` gives the
    /// hash of any index already held (needed when the table grows).
    mutating func insert(_ index: Int32, hash: Int, hashOf: (Int32) -> Int) {
        if (count + 1) * 10 > slots.count * 7 { grow(toHold: count + 1, hashOf: hashOf) }
        place(index, hash: hash)
        count += 1
    }

    /// Makes room for `total` indexes without growing again.
    mutating func reserveCapacity(_ total: Int, hashOf: (Int32) -> Int) {
        if total * 10 > slots.count * 7 { grow(toHold: total, hashOf: hashOf) }
    }

    private mutating func place(_ index: Int32, hash: Int) {
        let mask = slots.count - 1
        var i = hash & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = index
        fingerprints[i] = Self.fingerprint(hash)
    }

    private mutating func grow(toHold total: Int, hashOf: (Int32) -> Int) {
        var capacity = max(16, slots.count)
        while total * 10 > capacity * 7 { capacity *= 2 }
        let old = slots
        slots = Array(repeating: -1, count: capacity)
        fingerprints = Array(repeating: 0, count: capacity)
        for s in old where s >= 0 { place(s, hash: hashOf(s)) }
    }
}
