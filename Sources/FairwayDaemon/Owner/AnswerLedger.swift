import FairwayCore
import Synchronization

/// Bytes of answers held for each connection (made by the state owner and
/// not yet written to the client's socket), and the connections that hung
/// up. Shared by the two threads: the owner counts what it posts (through
/// the `Outbox`) and asks before starting an answer (`AnswerBudget`); the
/// I/O thread counts what it wrote or threw away, and whom it dropped.
final class AnswerLedger: Sendable {
    private struct State {
        var held: [Int: Int] = [:]
        var total = 0
        /// Connections dropped whose jobs the owner may still hold.
        var closed: Set<Int> = []
        /// The owner left answers waiting on these figures: the next release wakes it.
        var ownerWaits = false
    }

    private let state = Mutex(State())

    /// What one connection holds, and all of them.
    struct Figures: Equatable {
        var held: Int
        var total: Int
        var holders: Int
    }

    /// The owner posted these answers.
    func made(_ batch: [Outgoing]) {
        state.withLock { s in
            for out in batch where !out.bytes.isEmpty {
                s.held[out.connection, default: 0] += out.bytes.count
                s.total += out.bytes.count
            }
        }
    }

    /// The I/O thread wrote `bytes` of `connection`'s answers to its socket,
    /// or threw them away; returns whether the owner waits to be told.
    func released(_ connection: Int, _ bytes: Int) -> Bool {
        guard bytes > 0 else { return false }
        return state.withLock { s in
            // Lines the I/O thread wrote itself (a timeout's error) were never counted.
            let held = s.held[connection] ?? 0
            let counted = min(held, bytes)
            s.held[connection] = held > counted ? held - counted : nil
            s.total -= counted
            defer { s.ownerWaits = false }
            return s.ownerWaits
        }
    }

    /// The I/O thread dropped `connection`: what it holds is thrown away
    /// (answers still on their way to it are, as they arrive); returns
    /// whether the owner waits to be told.
    func dropped(_ connection: Int) -> Bool {
        state.withLock { s in
            s.total -= s.held[connection] ?? 0
            s.held[connection] = nil
            s.closed.insert(connection)
            defer { s.ownerWaits = false }
            return s.ownerWaits
        }
    }

    /// What `connection` holds, with the totals.
    func figures(for connection: Int) -> Figures {
        state.withLock { s in Figures(held: s.held[connection] ?? 0, total: s.total, holders: s.held.count) }
    }

    /// Bytes held over all connections.
    var total: Int { state.withLock { $0.total } }

    /// The connections dropped and not forgotten yet.
    var closed: Set<Int> { state.withLock { $0.closed } }

    /// Forgets dropped connections whose jobs the owner no longer holds.
    func forget(_ connections: Set<Int>) {
        guard !connections.isEmpty else { return }
        state.withLock { $0.closed.subtract(connections) }
    }

    /// Whether `connection` was dropped (and not forgotten yet).
    func isClosed(_ connection: Int) -> Bool { state.withLock { $0.closed.contains(connection) } }

    /// Whether the owner leaves answers waiting and is to be woken at the
    /// next release.
    func setOwnerWaits(_ waits: Bool) {
        state.withLock { $0.ownerWaits = waits }
    }
}
