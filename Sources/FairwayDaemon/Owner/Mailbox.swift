import Dispatch
import FairwayPOSIX
import FairwayCore
import FairwayProtocol
import Synchronization

/// Who is on the other end of a connection (from SO_PEERCRED).
struct PeerIdentity: Sendable {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32
    var userName: String?

    /// How changes made through this connection are attributed.
    var actor: String { "uid=\(uid)" + (userName.map { "(\($0))" } ?? "") }
}

/// Work for the state owner, in arrival order.
enum Job: Sendable {
    /// A decoded request from a connection.
    case request(connection: Int, request: Request, peer: PeerIdentity, closeAfter: Bool)
    /// A new config to put in force (already parsed).
    case reload(FairwayConfig)
    /// The config file did not parse: the owner logs it and ends the reload.
    case reloadFailed(ConfigError)
    /// Finish what came before, close the store, stop.
    case stop
    /// An answer made off the owner's thread (a `report`), with the time it took.
    case answered(Outgoing, op: String, seconds: Double)
}

/// A response line for a connection; `close` asks the I/O side to close the
/// connection once the line is written.
struct Outgoing: Sendable {
    var connection: Int
    var bytes: [UInt8]
    var close: Bool
}

/// The queue from the I/O thread to the state owner: a locked array and a
/// semaphore, drained whole so that requests which arrive together are
/// handled (and committed) together.
final class Mailbox: Sendable {
    private let jobs = Mutex<[Job]>([])
    private let signal = DispatchSemaphore(value: 0)
    /// `order` lookups posted and not taken yet, changed under the lock
    /// with the list, read without it.
    private let lookups = Atomic<Int>(0)
    /// Signalled for every post that holds `order` lookups, so the owner can
    /// sleep on it while a commit runs elsewhere and still answer them.
    let lookupPosted = DispatchSemaphore(value: 0)
    /// Client connections open now, by role: the I/O thread sets them,
    /// `status` and `metrics` read them.
    let connections = ConnectionCounts()

    func post(_ job: Job) {
        post([job])
    }

    func post(_ batch: [Job]) {
        guard !batch.isEmpty else { return }
        let n = Self.lookupCount(batch)
        let wasEmpty = jobs.withLock { list in
            let empty = list.isEmpty
            list.append(contentsOf: batch)
            if n > 0 { lookups.add(n, ordering: .relaxed) }
            return empty
        }
        if n > 0 { lookupPosted.signal() }
        if wasEmpty { signal.signal() }
    }

    /// Whether an `order` lookup waits to be taken (no lock taken).
    var hasWaitingLookups: Bool { lookups.load(ordering: .relaxed) > 0 }

    /// How many of `jobs` are `order` lookups.
    private static func lookupCount(_ jobs: [Job]) -> Int {
        jobs.reduce(0) { n, job in
            if case .request(_, let r, _, _) = job, case .success(.order) = r.operation { return n + 1 }
            return n
        }
    }

    /// Everything posted so far, without waiting.
    func takeNow() -> [Job] {
        jobs.withLock { list in
            let all = list
            list.removeAll(keepingCapacity: true)
            lookups.store(0, ordering: .relaxed)
            return all
        }
    }

    /// Wakes the owner without work: answers it held back may start now.
    func nudge() { signal.signal() }

    /// Waits up to `timeout` seconds for work; returns all of it.
    func take(timeout: Double) -> [Job] {
        let ready = jobs.withLock { !$0.isEmpty }
        if !ready { _ = signal.wait(timeout: .now() + timeout) }
        return takeNow()
    }
}

/// The connections open now, by role, as the I/O thread last published them.
final class ConnectionCounts: Sendable {
    private let counts = Mutex<[Role: Int]>([:])

    /// Publishes the counts of `slots`.
    func publish(_ slots: ConnectionSlots) {
        counts.withLock { $0 = slots.byRole }
    }

    /// Connections open now with `role`.
    func count(_ role: Role) -> Int { counts.withLock { $0[role] ?? 0 } }

    /// Connections open now, over all roles.
    var total: Int { counts.withLock { $0.values.reduce(0, +) } }
}

/// The queue from the state owner back to the I/O thread, which an eventfd wakes.
final class Outbox: Sendable {
    private let items = Mutex<[Outgoing]>([])
    private let stopped = Mutex(false)
    private let accepted = Mutex<FairwayConfig?>(nil)
    /// Readable while answers (or the owner's news) wait for the I/O thread.
    let wake: EventFD
    /// The `watch` connections and their events, which wake the I/O thread through `wake` too.
    let watchers: Watchers
    /// The bytes of answers posted and not yet written, per connection.
    let ledger = AnswerLedger()

    init(wake: EventFD) {
        self.wake = wake
        #if DEBUG
        watchers = Watchers(wake: wake, bound: TestWatchBoundHook.fromEnvironment() ?? WatchQueue.bound)
        #else
        watchers = Watchers(wake: wake)
        #endif
    }

    func post(_ batch: [Outgoing]) {
        guard !batch.isEmpty else { return }
        ledger.made(batch)
        items.withLock { $0.append(contentsOf: batch) }
        wake.signal()
    }

    /// Tells the I/O side that the state owner has finished.
    func finish() {
        stopped.withLock { $0 = true }
        wake.signal()
    }

    var isFinished: Bool { stopped.withLock { $0 } }

    /// Hands a config the owner put in force to the I/O side (limits, access).
    func accept(_ config: FairwayConfig) {
        accepted.withLock { $0 = config }
        wake.signal()
    }

    /// The config put in force since the last call, if any.
    func takeAcceptedConfig() -> FairwayConfig? {
        accepted.withLock { c in
            defer { c = nil }
            return c
        }
    }


    func takeAll() -> [Outgoing] {
        items.withLock { list in
            let all = list
            list.removeAll(keepingCapacity: true)
            return all
        }
    }
}
