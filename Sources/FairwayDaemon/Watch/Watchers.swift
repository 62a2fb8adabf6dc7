import FairwayCore
import FairwayPOSIX
import FairwayProtocol
import Synchronization

/// The connections that `watch`, each with its bounded queue of event lines.
///
/// The state owner hands in the events of each commit (`publish`) and never
/// waits for a watcher: it encodes each line once, appends it to the queue of
/// every watcher that asked for its kind under a short lock, and wakes the
/// I/O thread, which moves lines to the sockets as fast as each client reads
/// (`take`). A watcher that falls more than `WatchQueue.bound` events behind
/// overflows (see `WatchQueue`); the I/O thread then sends it the overflow
/// line and closes it.
final class Watchers: Sendable {
    /// What `take` found for a connection.
    enum Take: Equatable {
        /// Nothing waits.
        case nothing
        /// Lines to send, in order.
        case lines([UInt8])
        /// It overflowed: send `{"event":"overflow","dropped":N}`, then close.
        case overflow(dropped: Int)
    }

    private struct State: Sendable {
        var queues: [Int: WatchQueue] = [:]
        /// Connections that went away before the owner registered their watch.
        var gone: Set<Int> = []
    }

    private let state = Mutex(State())
    /// Watchers registered: read without the lock, so a daemon nobody watches pays nothing.
    private let registered = Atomic<Int>(0)
    /// Wakes the I/O thread.
    private let wake: EventFD
    /// Events waiting per watcher beyond which it overflows.
    let bound: Int

    init(wake: EventFD, bound: Int = WatchQueue.bound) {
        self.wake = wake
        self.bound = bound
    }

    /// Whether anyone watches.
    var isEmpty: Bool { registered.load(ordering: .relaxed) == 0 }

    /// Registers `connection` (owner, when it answers the `watch`): it gets
    /// the events published from now on, of the kinds asked for.
    func add(connection: Int, kinds: Set<EventKind>) {
        state.withLock { s in
            if s.gone.remove(connection) != nil { return }
            s.queues[connection] = WatchQueue(kinds: kinds, bound: bound)
            registered.store(s.queues.count, ordering: .relaxed)
        }
    }

    /// Forgets `connection` (I/O thread, when it is closed, or after its overflow line).
    func remove(connection: Int) {
        state.withLock { s in
            if s.queues.removeValue(forKey: connection) == nil { s.gone.insert(connection) }
            registered.store(s.queues.count, ordering: .relaxed)
        }
    }

    /// Hands the events of a commit to every watcher (owner). Never waits
    /// for a watcher: a full queue overflows instead.
    func publish(_ events: [Event]) {
        guard !events.isEmpty, !isEmpty else { return }
        let wanted = state.withLock { s in s.queues.values.reduce(into: Set<EventKind>()) { $0.formUnion($1.kinds) } }
        let lines = events.compactMap { e in wanted.contains(e.kind) ? (e.kind, ResponseEncoder.watchEvent(e)) : nil }
        guard !lines.isEmpty else { return }
        state.withLock { s in
            for id in Array(s.queues.keys) {
                // Taken out while it grows, so its lines are never copied.
                var queue = s.queues.removeValue(forKey: id)!
                for (kind, line) in lines { queue.offer(kind, line) }
                s.queues[id] = queue
            }
        }
        wake.signal()
    }

    /// What `connection` gets next (I/O thread): up to `maxBytes` of lines
    /// (none for 0), or its overflow whatever `maxBytes` (then it is forgotten).
    func take(connection: Int, maxBytes: Int) -> Take {
        state.withLock { s in
            guard var queue = s.queues.removeValue(forKey: connection) else { return .nothing }
            if let dropped = queue.dropped {
                registered.store(s.queues.count, ordering: .relaxed)
                return .overflow(dropped: dropped)
            }
            let bytes = queue.take(maxBytes: maxBytes)
            s.queues[connection] = queue
            return bytes.isEmpty ? .nothing : .lines(bytes)
        }
    }
}
