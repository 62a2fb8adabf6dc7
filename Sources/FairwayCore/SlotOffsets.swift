/// The projected slot offsets of a depot's queued orders, by rank, stored in
/// chunks of `chunkSize`. A copy shares every chunk and a change copies only
/// the chunk it touches, so the projection published for lookups and the live
/// one share whatever did not change since the publish: publishing costs a
/// pointer per chunk, not a copy of the array.
struct SlotOffsets: Sendable {
    static let chunkShift = 12
    static let chunkSize = 1 << chunkShift
    private static let mask = chunkSize - 1

    private var chunks: [[Int32]] = []
    /// Number of ranks stored.
    private(set) var count = 0

    /// The offset stored for `rank` (< `count`).
    subscript(rank: Int) -> Int32 {
        chunks[rank >> Self.chunkShift][rank & Self.mask]
    }

    /// Adds the offset of the next rank.
    mutating func append(_ offset: Int32) {
        if count & Self.mask == 0 { chunks.append(Self.newChunk()) }
        chunks[chunks.count - 1].append(offset)
        count += 1
    }

    /// Keeps the first `rank` offsets.
    mutating func removeAll(fromRank rank: Int) {
        guard rank < count else { return }
        chunks.removeSubrange(((rank + Self.mask) >> Self.chunkShift)...)
        if rank & Self.mask != 0 { chunks[chunks.count - 1].removeSubrange((rank & Self.mask)...) }
        count = rank
    }

    /// Forgets every offset.
    mutating func removeAll() {
        chunks.removeAll(keepingCapacity: true)
        count = 0
    }

    /// Appends up to `n` offsets in one chunk: `body` gets a buffer of up to
    /// `n` zeros (fewer when the last chunk fills up), writes the offsets of
    /// the next ranks from its start and returns how many it wrote; the
    /// rest is dropped. Returns that number.
    mutating func appendInChunk(upTo n: Int, _ body: (UnsafeMutableBufferPointer<Int32>) -> Int) -> Int {
        guard n > 0 else { return 0 }
        if count & Self.mask == 0 { chunks.append(Self.newChunk()) }
        let last = chunks.count - 1
        let base = chunks[last].count
        let k = min(n, Self.chunkSize - base)
        chunks[last].append(contentsOf: repeatElement(0, count: k))
        let used = chunks[last].withUnsafeMutableBufferPointer { body(UnsafeMutableBufferPointer(rebasing: $0[base...])) }
        chunks[last].removeLast(k - used)
        if chunks[last].isEmpty { chunks.removeLast() }
        count += used
        return used
    }

    private static func newChunk() -> [Int32] {
        var chunk: [Int32] = []
        chunk.reserveCapacity(chunkSize)
        return chunk
    }
}
