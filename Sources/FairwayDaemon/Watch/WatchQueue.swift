import FairwayCore

/// The event lines waiting for one watcher, and the overflow rule: when a
/// line arrives while `bound` lines already wait, the watcher has fallen too
/// far behind. Everything waiting is dropped (memory is freed at once), the
/// count of lines it will never get is kept for its last line
/// (`{"event":"overflow","dropped":N}`), and nothing more is queued for it.
///
/// A value: the `Watchers` lock guards it; the decisions are tested alone.
struct WatchQueue: Sendable {
    /// The contract's bound: more than this many events waiting is an overflow.
    static let bound = 10_000

    /// The kinds this watcher asked for.
    let kinds: Set<EventKind>
    /// Lines waiting beyond which the watcher overflows.
    let bound: Int
    /// Lines waiting, oldest first from `head`.
    private var lines: [[UInt8]] = []
    private var head = 0
    /// Set once it overflowed: how many events it did not get.
    private(set) var dropped: Int?

    init(kinds: Set<EventKind>, bound: Int = WatchQueue.bound) {
        self.kinds = kinds
        self.bound = max(bound, 1)
    }

    /// Lines waiting now.
    var count: Int { lines.count - head }

    /// Queues `line` when the watcher asked for `kind`; decides an overflow
    /// when `bound` lines wait already. Never blocks, never grows past `bound`.
    mutating func offer(_ kind: EventKind, _ line: [UInt8]) {
        guard dropped == nil, kinds.contains(kind) else { return }
        guard count < bound else {
            dropped = count + 1
            lines = []
            head = 0
            return
        }
        lines.append(line)
    }

    /// What the connection gets next: the oldest lines, together at most
    /// `maxBytes` (but at least one line when `maxBytes` is above 0), or nothing.
    mutating func take(maxBytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        while head < lines.count, maxBytes > 0, out.isEmpty || out.count + lines[head].count <= maxBytes {
            out += lines[head]
            head += 1
        }
        if head == lines.count {
            lines.removeAll(keepingCapacity: lines.capacity <= 4096)
            head = 0
        } else if head >= 4096 && head * 2 >= lines.count {
            lines.removeFirst(head)
            head = 0
        }
        return out
    }
}
