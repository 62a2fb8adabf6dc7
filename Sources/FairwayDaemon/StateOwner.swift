import FairwayCore
import FairwayProtocol
import FairwayStore
import FairwaySystemd
import Glibc

/// The one writer of Fairway's state. It runs on its own thread, takes jobs
/// in arrival order, applies them to the scheduler, commits what they changed
/// in one transaction, and only then hands the answers back. It also moves
/// the horizon when the clock enters a new slot and pings the watchdog, so a
/// stuck scheduler stops the pings.
final class StateOwner: @unchecked Sendable {
    /// The daemon's version, as `status` reports it.
    static let version = "0.1.0"

    var scheduler: Scheduler
    var config: FairwayConfig
    let store: Store
    private let mailbox: Mailbox
    private let outbox: Outbox
    private let log: EventLog
    private let notifier = SystemdNotifier()
    let startedAt: Timestamp
    private let watchdogInterval: Double?
    private var lastWatchdog = 0.0
    private var lastStatus = 0.0

    /// Responses waiting for the commit of the changes they report.
    private var pending: [(out: Outgoing, changed: Bool, id: JSON?)] = []

    init(config: FairwayConfig, store: Store, scheduler: Scheduler, mailbox: Mailbox, outbox: Outbox, log: EventLog, startedAt: Timestamp) {
        self.config = config
        self.store = store
        self.scheduler = scheduler
        self.mailbox = mailbox
        self.outbox = outbox
        self.log = log
        self.startedAt = startedAt
        watchdogInterval = SystemdNotifier.watchdogInterval().map {
            Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18
        }
    }

    static func now() -> Timestamp { Timestamp(milliseconds: wallClockMilliseconds()) }

    /// The owner's loop; returns after a `.stop` job, with the store closed.
    func run() {
        var running = true
        while running {
            let jobs = mailbox.take(timeout: 0.25)
            let now = Self.now()
            scheduler.tick(now: now)
            for job in jobs {
                switch job {
                case .request(let connection, let request, let peer, let closeAfter):
                    handle(request, connection: connection, peer: peer, closeAfter: closeAfter, now: now)
                case .reload(let newConfig):
                    commit()
                    reload(newConfig, now: now)
                    commit()
                case .stop:
                    running = false
                }
            }
            commit()
            housekeeping()
        }
        store.close()
        outbox.finish()
    }

    private func housekeeping() {
        let t = monotonicSeconds()
        if let interval = watchdogInterval, t - lastWatchdog >= interval {
            _ = try? notifier.watchdogPing()
            lastWatchdog = t
        }
        if t - lastStatus >= 1 {
            lastStatus = t
            _ = try? notifier.status(statusLine())
        }
    }

    func statusLine() -> String {
        let s = scheduler.status()
        var line = "\(s.queued) queued, \(s.committed) committed, \(s.delivered) delivered"
        if let d = s.depots.first, let next = d.nextSlots.first {
            line += "; \(d.name) next slot \(next.used)/\(next.capacity)"
        }
        return line
    }

    private func handle(_ request: Request, connection: Int, peer: PeerIdentity, closeAfter: Bool, now: Timestamp) {
        let op: Operation
        switch request.operation {
        case .failure(let error):
            pending.append((Outgoing(connection: connection, bytes: ResponseEncoder.failure(id: request.id, error), close: closeAfter), false, request.id))
            if !closeAfter { return }
            commit()
            return
        case .success(let o):
            op = o
        }
        if !op.isMutating {
            // A read sees only committed state: commit what came before it.
            commit()
            let bytes = answer(op, id: request.id, now: now, actor: peer.actor)
            outbox.post([Outgoing(connection: connection, bytes: bytes, close: closeAfter)])
            return
        }
        let bytes = answer(op, id: request.id, now: now, actor: peer.actor)
        pending.append((Outgoing(connection: connection, bytes: bytes, close: closeAfter), !scheduler.changes.isEmpty, request.id))
    }

    /// Writes the accumulated changes; on success releases the waiting
    /// answers, on failure answers `unavailable` and rebuilds from disk.
    private func commit() {
        let changes = scheduler.drainChanges()
        if changes.isEmpty {
            release()
            return
        }
        do {
            try store.write(changes, from: scheduler)
            release()
            for e in changes.events { log.record(e) }
        } catch {
            log.log("could not write to \(store.path): \(error.message); changes refused until the store works again",
                    priority: .err, event: "store_error")
            let message = "the state could not be written (\(error.message)); nothing was changed, try again later"
            let answers = pending.map { p in
                p.changed ? Outgoing(connection: p.out.connection, bytes: ResponseEncoder.failure(id: p.id, FairwayError(.unavailable, message)), close: p.out.close) : p.out
            }
            pending.removeAll()
            outbox.post(answers)
            rebuild()
        }
    }

    private func release() {
        guard !pending.isEmpty else { return }
        outbox.post(pending.map(\.out))
        pending.removeAll()
    }

    /// Reloads the in-memory state from the database after a failed write.
    private func rebuild() {
        do {
            scheduler = try Scheduler(config: config, restoring: try store.load(), now: Self.now())
        } catch {
            log.log("could not reload the state from \(store.path): \(error); stopping", priority: .crit, event: "store_error")
            exit(1)
        }
    }

    private func reload(_ newConfig: FairwayConfig, now: Timestamp) {
        do {
            try scheduler.reload(newConfig, now: now, actor: "SIGHUP")
            config = newConfig
            log.setMode(newConfig.log)
            _ = try? notifier.readyAfterReload(status: statusLine())
        } catch {
            log.log("configuration not reloaded: \(error.message); the running configuration stays", priority: .err, event: "reload_failed")
            _ = try? notifier.readyAfterReload(status: "reload refused: \(error.message)")
        }
    }
}
