import FairwayPOSIX
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
///
/// Not `Sendable`: built on the main thread, it is then bound to its own
/// thread (a `BoundService`), and only that thread touches it.
final class StateOwner {
    /// Its thread's stack size, above the default 8 MiB.
    static let stackSize = 16 << 20

    /// The daemon's version, as `status` reports it.
    static let version = FairwayVersion.current

    var scheduler: Scheduler
    var config: FairwayConfig
    let store: Store
    let mailbox: Mailbox
    let outbox: Outbox
    private let log: EventLog
    private let notifier = SystemdNotifier()
    let startedAt: Timestamp
    /// The config file, named in reload messages.
    private let configPath: String
    /// When `WATCHDOG=1` is due.
    private var watchdog: WatchdogPacer
    /// When `STATUS=` was last sent, and whether the state changed since.
    private var lastStatus = 0.0
    private var statusIsStale = true
    /// Appended to `STATUS=` after a reload that was refused or waits for a restart.
    private var reloadNote: String?
    #if DEBUG
    private let stallHook = TestStallHook.fromEnvironment()
    let slowClumpHook = TestSlowClumpHook.fromEnvironment()
    #endif

    /// Longest wait for work, so the horizon rolls and `STATUS=` stays current.
    static let idleWait = 0.25
    /// Shortest time between two `STATUS=` messages.
    static let statusInterval = 1.0
    /// Longest time between two `STATUS=` messages.
    static let statusRefresh = 30.0

    /// Responses waiting for the commit of the changes they report.
    var pending: [(out: Outgoing, changed: Bool, id: JSON?)] = []
    /// Jobs taken from the mailbox and not run yet, in arrival order.
    var backlog: [Job] = []
    /// The connection whose job is running, if any.
    var running: Int?
    /// Order counts for `metrics`, moved after each commit.
    var counters: OrderCounters
    /// Time spent on requests, by op, for `metrics`.
    var durations = RequestDurations()
    /// Where `report` and `export` read the history, off this thread.
    lazy var history = HistoryService(databasePath: store.path, mailbox: mailbox)
    /// Connections waiting for a report's or an export's answer: their later jobs wait too.
    var waitingForHistory: Set<Int> = []
    /// When an answer may start, from the bytes its client and all clients
    /// hold unread (see `StateOwner+AnswerFlow`).
    var answerBudget: AnswerBudget
    /// Seconds spent on large reads in this round (at most `largeReadBudget`).
    var largeSpent = 0.0
    /// Connections whose next job waits for the next round.
    var heldBack: Set<Int> = []

    init(
        config: FairwayConfig, configPath: String, store: Store, scheduler: Scheduler, mailbox: Mailbox, outbox: Outbox,
        log: EventLog, startedAt: Timestamp
    ) {
        self.config = config
        self.configPath = configPath
        self.store = store
        self.scheduler = scheduler
        self.mailbox = mailbox
        self.outbox = outbox
        self.log = log
        self.startedAt = startedAt
        counters = OrderCounters(scheduler)
        watchdog = WatchdogPacer(interval: SystemdNotifier.watchdogInterval())
        answerBudget = Self.answerBudget(config.limits)
    }

    static func now() -> Timestamp { Timestamp(milliseconds: WallClock.milliseconds()) }

    /// The owner's loop; returns after a `.stop` job, with the store closed
    /// (and with it the store's commit thread ended).
    ///
    /// Each round takes what the mailbox holds, answers the reads that may go
    /// first (see `takeEarlyReads`), then applies jobs in arrival order until
    /// about `workPerCommit` orders' worth is done, commits them together,
    /// publishes the new state for lookups and releases their answers. What is
    /// left waits for the next round. `order` lookups that arrive meanwhile
    /// are answered from the state as last published, between steps of the
    /// round (see `answerWaitingLookups`), so they wait for a step, not for
    /// the round.
    func run() {
        var active = true
        placeAndPublish()
        while active {
            #if DEBUG
            stallHook?.waitWhileStalled(log)
            #endif
            // Wake up in time for the next watchdog ping even when idle, or
            // when jobs held back (their clients hold answers unread) may go.
            var wait = hasRunnableWork() ? 0 : watchdog.wait(at: MonotonicClock.seconds(), cap: Self.idleWait)
            if wait > 0 && placeWhileIdle() { wait = 0 }
            let hungUp = outbox.ledger.closed
            backlog += mailbox.take(timeout: wait)
            startRound()
            let now = Self.now()
            scheduler.tick(now: now)
            // Reports and exports answered since the last round: their connections go on.
            backlog.removeAll { job in
                guard case .answered(let out, let op, let seconds) = job else { return false }
                durations.record(op: op, seconds: seconds)
                waitingForHistory.remove(out.connection)
                outbox.post([out])
                return true
            }
            // Small reads now; large ones after the round's writes are committed.
            let large = answerEarlyReads(now: now, active: &active, deferLarge: true)
            var work = 0
            // Once a stop is waiting, everything before it is finished in this round.
            let stopping = backlog.contains { if case .stop = $0 { true } else { false } }
            while !backlog.isEmpty && (work < Self.workPerCommit || stopping || !active) {
                // A connection whose next job waits (for a report or export, or
                // for its client to read) keeps its later jobs in the backlog, in order.
                guard let next = nextRunnable() else { break }
                let job = backlog.remove(at: next)
                if isQueryOfHungUp(job) { continue }
                work += Self.work(of: job)
                if case .request(let connection, _, _, _) = job { running = connection }
                run(job, now: now, active: &active)
                running = nil
                // A long run of jobs still pings at the rate systemd asked for.
                pingWatchdogIfDue()
            }
            commit()
            answerLargeReads(large, now: now, active: &active)
            housekeeping()
            forgetHungUp(hungUp)
        }
        store.close()
        outbox.finish()
    }

    /// Orders' worth of work a round applies before it commits.
    static let workPerCommit = 1000

    func run(_ job: Job, now: Timestamp, active: inout Bool) {
        switch job {
        case .request(let connection, let request, let peer, let closeAfter):
            handle(request, connection: connection, peer: peer, closeAfter: closeAfter, now: now)
        case .reload(let newConfig):
            reload(newConfig, now: now)
        case .reloadFailed(let error):
            log.log(
                "configuration not reloaded: \(error); the running configuration stays", priority: .err,
                event: "reload_failed",
                fields: [("CONFIG_FILE", error.file), ("CONFIG_LINE", String(error.line)), ("CONFIG_KEY", error.key)])
            reloadNote = "last reload refused: \(error)"
            _ = try? notifier.readyAfterReload(status: statusLine())
        case .stop:
            active = false
        case .answered(let out, let op, let seconds):
            durations.record(op: op, seconds: seconds)
            waitingForHistory.remove(out.connection)
            outbox.post([out])
        }
    }

    /// How much a job weighs against `workPerCommit`: the orders of a submit, else 1.
    static func work(of job: Job) -> Int {
        if case .request(_, let request, _, _) = job, case .success(.submit(let orders, _, _, _)) = request.operation {
            return max(orders.count, 1)
        }
        return 1
    }

    /// Removes from `jobs` and returns the reads that can be answered before
    /// the writes waiting ahead of them: reads from connections with nothing
    /// earlier in `jobs`, up to the first reload or stop. They see only
    /// committed state, which is correct: the writes ahead of them belong to
    /// other connections and are not acknowledged yet, so the read happens
    /// before them. A connection's own answers stay in its request order.
    static func takeEarlyReads(_ jobs: inout [Job], busy: Set<Int> = []) -> [Job] {
        var early: [Job] = []
        takeEarlyReads(&jobs, busy: busy) { job, _ in
            early.append(job)
            return true
        }
        return early
    }

    /// Offers `take` each read in `jobs` that may be answered before the jobs
    /// ahead of it (as above), except those of `busy` connections, and
    /// removes the ones it takes. A read it declines keeps its place, and
    /// its connection's later reads wait behind it.
    static func takeEarlyReads(_ jobs: inout [Job], busy: Set<Int>, _ take: (Job, Operation) -> Bool) {
        var rest: [Job] = []
        var busy = busy
        var open = true
        var taken = false
        for job in jobs {
            if open, case .request(let connection, let request, _, _) = job {
                if !busy.contains(connection), case .success(let op) = request.operation, !op.isMutating, take(job, op) {
                    taken = true
                    continue
                }
                busy.insert(connection)
            } else {
                open = false
            }
            rest.append(job)
        }
        if taken { jobs = rest }
    }

    /// Sends `WATCHDOG=1` when one is due. Only this thread calls it: pings
    /// stop when the scheduler stops.
    func pingWatchdogIfDue() {
        let t = MonotonicClock.seconds()
        guard watchdog.isDue(at: t) else { return }
        _ = try? notifier.watchdogPing()
        watchdog.pinged(at: t)
    }

    /// Watchdog ping and `STATUS=`: at most once a second when something
    /// changed, and every `statusRefresh` seconds anyway (the clock moves the
    /// next slot even when nothing else happens).
    private func housekeeping() {
        pingWatchdogIfDue()
        let t = MonotonicClock.seconds()
        if (statusIsStale && t - lastStatus >= Self.statusInterval) || t - lastStatus >= Self.statusRefresh {
            lastStatus = t
            statusIsStale = false
            _ = try? notifier.status(statusLine())
        }
    }

    /// The one-line summary sent as `STATUS=`, for `systemctl status fairway`.
    func statusLine() -> String {
        let s = scheduler.summary()
        var line = "\(s.queued) queued, \(s.committed) committed, \(s.delivered) delivered"
        if let next = s.nextSlot {
            line += "; \(next.depot) next slot \(next.used)/\(next.capacity) committed"
        }
        if let reloadNote { line += "; \(reloadNote)" }
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
        switch op {
        case .report(let from, let to, let by):
            // The report reads the store: commit what came before it, then count elsewhere.
            commit()
            waitingForHistory.insert(connection)
            history.report(from: from, to: to, by: by, now: now, id: request.id, connection: connection, closeAfter: closeAfter)
            return
        case .export(let from, let to):
            // So does the export: a long one must not stall ingest or lookups.
            commit()
            waitingForHistory.insert(connection)
            history.export(
                from: from ?? Timestamp(milliseconds: 0), to: to ?? Timestamp(milliseconds: Int64.max / 2), id: request.id,
                connection: connection, closeAfter: closeAfter)
            return
        default:
            break
        }
        if case .watch(let kinds) = op {
            // The events committed from here on are the watcher's, after its answer.
            commit()
            outbox.watchers.add(connection: connection, kinds: kinds)
        }
        if !op.isMutating {
            // A read sees only committed state: commit what came before it.
            commit()
            let started = MonotonicClock.seconds()
            let bytes = answer(op, id: request.id, now: now, actor: peer.actor)
            durations.record(op: op.name, seconds: MonotonicClock.seconds() - started)
            outbox.post([Outgoing(connection: connection, bytes: bytes, close: closeAfter)])
            return
        }
        let started = MonotonicClock.seconds()
        let bytes = answer(op, id: request.id, now: now, actor: peer.actor)
        durations.record(op: op.name, seconds: MonotonicClock.seconds() - started)
        pending.append((Outgoing(connection: connection, bytes: bytes, close: closeAfter), !scheduler.changes.isEmpty, request.id))
    }

    /// Writes the accumulated changes; on success releases the waiting
    /// answers, on failure answers `unavailable` and rebuilds from disk.
    private func commit() {
        let changes = scheduler.drainChanges()
        if changes.isEmpty {
            if !scheduler.hasUsablePublishedView { placeAndPublish() }
            release()
            return
        }
        statusIsStale = true
        do {
            try store.write(changes, from: scheduler, wake: mailbox.lookupPosted) { answerWaitingLookups(in: scheduler) }
            counters.update(scheduler, changes: changes)
            placeAndPublish()
            release()
            // On disk: the watchers may see it (the owner never waits for them).
            if !outbox.watchers.isEmpty { outbox.watchers.publish(Event.watchEvents(of: changes)) }
            log.record(changes.events)
        } catch {
            log.log("could not write to \(store.path): \(error.message); changes refused until the store works again",
                    priority: .err, event: "store_error")
            let message = "the state could not be written (\(error.message)); nothing was changed; changes are taken again once \(store.path) can be written"
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
            counters = OrderCounters(scheduler)
            placeAndPublish()
        } catch {
            log.log("could not reload the state from \(store.path): \(error); stopping", priority: .crit, event: "store_error")
            log.flush()
            exit(1)
        }
    }

    /// Puts a new config in force: what changed is applied (committed
    /// promises stay where they are), restart-only keys keep their running
    /// values with a warning, and a config the state cannot take (a depot
    /// with open orders removed, a capacity below a queued order) is refused
    /// whole. Ends with `READY=1` after the `RELOADING=1` the I/O thread sent.
    private func reload(_ requested: FairwayConfig, now: Timestamp) {
        commit()
        let plan = ReloadPlan(running: config, requested: requested)
        do {
            try scheduler.reload(plan.config, now: now, actor: "SIGHUP")
            config = plan.config
            answerBudget = Self.answerBudget(plan.config.limits)
            log.setMode(plan.config.log)
            commit()
            outbox.accept(plan.config)
            for change in plan.needsRestart {
                log.log(
                    "\(configPath): \(change.key) changed from \(change.running) to \(change.requested): "
                        + "a restart is needed to apply it; the running value stays until then",
                    priority: .warning, event: "reload_needs_restart",
                    fields: [("CONFIG_FILE", configPath), ("CONFIG_KEY", change.key)])
            }
            reloadNote = plan.needsRestart.isEmpty
                ? nil : "restart needed for " + plan.needsRestart.map(\.key).joined(separator: ", ")
        } catch {
            log.log(
                "\(configPath): configuration not reloaded: \(error.message); the running configuration stays",
                priority: .err, event: "reload_failed", fields: [("CONFIG_FILE", configPath)])
            reloadNote = "last reload refused: \(error.message)"
        }
        lastStatus = MonotonicClock.seconds()
        statusIsStale = false
        _ = try? notifier.readyAfterReload(status: statusLine())
    }
}
