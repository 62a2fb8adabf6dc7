/// The lazily computed projection of a depot's queued orders into the slots
/// beyond its commit horizon, valid for the first `placed` orders in service
/// order. Any change to the queue, the clock's slot or the config resets it.
struct Projection: Sendable {
    /// How many orders, from the head of the queue, have a projected slot.
    var placed = 0
    /// Projected slot of each placed order, by queue rank, as an offset from
    /// `horizonEnd` (4 bytes per order); offsets too large for it are in
    /// `farSlotOfRank` and marked `Int32.max` here.
    var slotOffsetOfRank = SlotOffsets()
    /// Projected slots of ranks whose offset does not fit in an `Int32`.
    var farSlotOfRank: [Int: Int64] = [:]

    /// The projected slot index of the placed order at `rank`.
    func slot(ofRank rank: Int) -> Int64 {
        let offset = slotOffsetOfRank[rank]
        return offset == Int32.max ? farSlotOfRank[rank]! : horizonEnd + Int64(offset)
    }

    /// Records the projected slot of the next rank.
    mutating func appendSlot(_ s: Int64) {
        let offset = s - horizonEnd
        if offset >= 0 && offset < Int64(Int32.max) {
            slotOffsetOfRank.append(Int32(offset))
        } else {
            farSlotOfRank[slotOffsetOfRank.count] = s
            slotOffsetOfRank.append(Int32.max)
        }
    }

    /// Forgets the projected slots from `rank` on.
    mutating func removeSlots(fromRank rank: Int) {
        if !farSlotOfRank.isEmpty { farSlotOfRank = farSlotOfRank.filter { $0.key < rank } }
        slotOffsetOfRank.removeAll(fromRank: rank)
        let keep = (rank >> SlotOffsets.chunkShift) + 1
        if checkpoints.count > keep { checkpoints.removeSubrange(keep...) }
    }

    /// The fills before each `SlotOffsets.chunkSize`-th rank was placed.
    var checkpoints: [ProjectionCheckpoint] = []

    /// Forgets the placements from the last checkpoint at or before `rank`
    /// on, in time independent of how many there were; returns false (and
    /// changes nothing) when no checkpoint can do it.
    mutating func restore(toCheckpointAtOrBefore rank: Int) -> Bool {
        let c = rank >> SlotOffsets.chunkShift
        guard c < checkpoints.count, farUsed.isEmpty else { return false }
        let point = checkpoints[c]
        let open = Int(point.open)
        // Slots before `open` were full then and took nothing since; those
        // from it on held `fills` then and nothing beyond.
        if usedNear.count > open {
            usedNear.removeSubrange(open...)
        } else {
            usedNear.append(contentsOf: repeatElement(0, count: open - usedNear.count))
        }
        usedNear.append(contentsOf: point.fills)
        lastUsed = usedNear.count - 1
        firstOpen = horizonEnd + Int64(open)
        lowerFit(to: open)
        removeSlots(fromRank: c << SlotOffsets.chunkShift)
        placed = c << SlotOffsets.chunkShift
        return true
    }

    /// Projected units per slot, indexed from `horizonEnd` (committed units
    /// are in the book); slots too far ahead for the array go to `farUsed`.
    var usedNear: [Int32] = []
    /// Projected units of slots at or beyond `horizonEnd + nearLimit`.
    var farUsed: [Int64: Int] = [:]
    /// How many slots from the horizon's end `usedNear` may cover.
    static let nearLimit: Int64 = 1 << 22

    /// Projected units in slot `s` (at or after `horizonEnd`).
    func used(_ s: Int64) -> Int {
        let offset = s - horizonEnd
        if offset < 0 { return 0 }
        if offset < Int64(usedNear.count) { return Int(usedNear[Int(offset)]) }
        return offset >= Self.nearLimit ? farUsed[s] ?? 0 : 0
    }

    /// Adds projected units to slot `s`.
    mutating func add(_ units: Int, to s: Int64) {
        let offset = s - horizonEnd
        if offset >= Self.nearLimit {
            farUsed[s, default: 0] += units
            return
        }
        let i = Int(offset)
        if i > lastUsed { lastUsed = i }
        if i >= usedNear.count { usedNear.append(contentsOf: repeatElement(0, count: i - usedNear.count + 1)) }
        usedNear[i] += Int32(units)
    }
    /// Offset from `horizonEnd` of a slot at or after the last one holding
    /// projected units in `usedNear` (-1: none).
    var lastUsed = -1
    /// Lowest slot index at or after the horizon's end that may have room.
    var firstOpen: Int64 = 0
    /// The horizon end the projection was computed for.
    var horizonEnd: Int64 = 0

    /// First fit's starting points, by units: no slot from `firstOpen` up to
    /// `fit[u]` (an offset from `horizonEnd`) has room for `u` units, so the
    /// search for an order of `u` units starts at `fit[u]`. Placing orders
    /// only takes room, so each only moves on, and over a whole projection
    /// a search passes each slot at most once per size; undoing placements
    /// pulls them back (`lowerFit`). Sizes past the end start at `firstOpen`.
    var fit: [Int] = []

    /// Makes `fit` cover orders of up to `units` units (new sizes start at the horizon's end).
    mutating func coverFit(_ units: Int) {
        if fit.count <= units { fit.append(contentsOf: repeatElement(0, count: units + 1 - fit.count)) }
    }

    /// Slots from `offset` on may have room again: no search may start after it.
    mutating func lowerFit(to offset: Int) {
        for u in fit.indices where fit[u] > offset { fit[u] = offset }
    }

    /// Forgets every placement but keeps the slot fills' storage, so the
    /// next projection of a deep queue does not fault it in again (the
    /// offsets' chunks go, since a published projection may share them).
    mutating func reset() {
        placed = 0
        slotOffsetOfRank.removeAll()
        farSlotOfRank = [:]
        usedNear.removeAll(keepingCapacity: true)
        farUsed = [:]
        firstOpen = 0
        horizonEnd = 0
        checkpoints.removeAll(keepingCapacity: true)
        fit.removeAll(keepingCapacity: true)
        lastUsed = -1
    }
}

/// The projection's state just before one rank was placed: the first slot
/// with room (as an offset from the horizon's end) and the fills of the
/// slots from it to the last one holding anything. Every later placement
/// lands in those slots or after them, so these restore the state exactly.
struct ProjectionCheckpoint: Sendable {
    var open: Int32
    var fills: [Int32]
    /// Most slots a checkpoint keeps.
    static let maxFills = 4096

    /// Appends the checkpoint of `rank` when it starts a chunk of
    /// `SlotOffsets` and has none yet.
    static func take(
        _ points: inout [ProjectionCheckpoint], rank: Int, slots: UnsafeMutableBufferPointer<Int32>, open: Int, lastUsed: Int
    ) {
        guard rank & (SlotOffsets.chunkSize - 1) == 0, points.count == rank >> SlotOffsets.chunkShift else { return }
        var last = min(lastUsed, slots.count - 1)
        while last >= open && slots[last] == 0 { last -= 1 }
        // A `not_before` far ahead would make a large checkpoint: go without
        // (truncations past this rank then undo placement by placement).
        guard last - open < maxFills else { return }
        let fills = last >= open ? Array(slots[open...last]) : []
        points.append(ProjectionCheckpoint(open: Int32(open), fills: fills))
    }
}
